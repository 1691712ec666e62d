import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server program run for the length of a test: started with its standard output in a file, read
/// with ``waitForLine(containing:timeout:)``, and ended with ``stop()`` (SIGTERM, then SIGKILL), which
/// also reaps it; one never stopped (a test that threw) is killed and reaped when released. Spawned by
/// hand for the reason ``runToCompletion(_:_:environment:)`` gives.
public final class BackgroundProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    private let output: URL

    /// Starts `executable` with `arguments` and `environment`.
    ///
    /// - Throws: ``ChildProcessFailure`` when it cannot start.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("background-\(UUID().uuidString).out")
        pid = try spawn(executable, arguments, environment: environment, output: output)
    }

    /// The first line of standard output containing `text`, once printed.
    ///
    /// - Throws: ``ChildProcessFailure`` when the process ends first or `timeout` passes.
    public func waitForLine(containing text: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = printed.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw ChildProcessFailure(
                    command: "\(pid)", reason: "ended (wait status \(status)) before printing '\(text)'; it printed: \(printed)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChildProcessFailure(command: "\(pid)", reason: "printed no line with '\(text)' within \(timeout)")
    }

    /// Sends SIGTERM, waits up to `grace` for the exit, then SIGKILL; reaps the process either way.
    ///
    /// - Returns: the wait status (a clean exit after SIGTERM is 0).
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> Int32 {
        var status: Int32 = 0
        defer { try? FileManager.default.removeItem(at: output) }
        guard waitpid(pid, &status, WNOHANG) == 0 else { return status }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: grace)
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return status
    }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: output)
    }
}
