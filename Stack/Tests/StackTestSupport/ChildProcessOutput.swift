import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to its end and returns its standard output (standard error is inherited).
///
/// Spawned and reaped by hand: Foundation's `Process` leaves the child unreaped in a test process (it
/// never sees it exit), so waiting on it would hang. The wait polls, so no cooperative thread is held
/// and the caller stays cancellable.
///
/// - Throws: ``ChildProcessFailure`` when the program cannot start or exits with a nonzero status.
public func runToCompletion(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("child-output-\(UUID().uuidString).out")
    defer { try? FileManager.default.removeItem(at: output) }
    let pid = try spawn(executable, arguments, environment: environment, output: output)
    var status: Int32 = 0
    do {
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(100)) }
    } catch {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        throw error
    }
    let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    guard status == 0 else { throw ChildProcessFailure(command: executable, reason: "ended with wait status \(status); it printed: \(text)") }
    return text
}

/// A program run by ``runToCompletion(_:_:environment:)`` failed.
public struct ChildProcessFailure: Error, CustomStringConvertible {
    public var command: String
    public var reason: String
    public var description: String { "\(command) \(reason)" }
}

/// Starts `executable` with standard output written to the file `output` (standard error inherited).
func spawn(_ executable: String, _ arguments: [String], environment: [String: String], output: URL) throws(ChildProcessFailure) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw ChildProcessFailure(command: executable, reason: "could not start (errno \(spawned))") }
    return pid
}
