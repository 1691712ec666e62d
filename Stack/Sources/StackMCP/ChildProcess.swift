import Foundation
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A command run by `/bin/sh -c 'exec COMMAND'` with its standard input and output on pipes, reaped by
/// ``terminate(grace:)``.
///
/// Spawned with `posix_spawn` and reaped with non-blocking `waitpid` polls rather than Foundation's
/// `Process`, which (inside a test process at least) can leave a child unreaped and its waiter hanging,
/// and which holds no cooperative thread while waiting. Standard error is inherited, so a server's
/// diagnostics reach the user.
final class ChildProcess: Sendable {
    /// The process id.
    let pid: pid_t
    /// Our end of the child's standard input.
    let input: FileDescriptor
    /// Our end of the child's standard output.
    let output: FileDescriptor
    private let status = Mutex<Int32?>(nil)
    private let closed = Mutex(false)

    private init(pid: pid_t, input: FileDescriptor, output: FileDescriptor) {
        self.pid = pid
        self.input = input
        self.output = output
    }

    /// Starts `command` with `environment`.
    ///
    /// The first call sets SIGPIPE to be ignored in this process: writing to a server that has exited must
    /// fail that call with EPIPE, not end the process.
    static func spawn(_ command: String, environment: [String: String]) throws(Errno) -> ChildProcess {
        _ = ignoreBrokenPipes
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw Errno(rawValue: errno) }
        guard pipe(&fromChild) == 0 else {
            let error = Errno(rawValue: errno)
            close(toChild[0])
            close(toChild[1])
            throw error
        }
        // Our ends must not leak into this or any later child.
        _ = fcntl(toChild[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromChild[0], F_SETFD, FD_CLOEXEC)

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addclose(&actions, toChild[0])
        posix_spawn_file_actions_addclose(&actions, fromChild[1])

        // The child starts with no blocked signals and default dispositions: a test runner or the Swift
        // runtime may block some (SIGTERM among them), and a blocked SIGTERM could not end the child.
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let words: [String] = ["/bin/sh", "-c", "exec \(command)"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw Errno(rawValue: result)
        }
        return ChildProcess(pid: pid, input: FileDescriptor(rawValue: toChild[1]), output: FileDescriptor(rawValue: fromChild[0]))
    }

    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// The wait status once the process has ended (reaping it), `nil` while it runs. Never blocks.
    func exitStatus() -> Int32? {
        status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw
            } else if result == -1, errno == ECHILD {
                status = -1  // reaped elsewhere; nothing left to wait for
            }
            return status
        }
    }

    /// How the process ended, in words, or `nil` while it runs.
    var exitDescription: String? {
        guard let raw = exitStatus() else { return nil }
        if raw == -1 { return "ended" }
        if raw & 0x7f == 0 {
            let code = (raw >> 8) & 0xff
            // The shell's own codes: 127 when it found no such command, 126 when it could not run it.
            let meaning = code == 127 ? " (no such command)" : code == 126 ? " (the command is not executable)" : ""
            return "exited with status \(code)\(meaning)"
        }
        return "was killed by signal \(raw & 0x7f)"
    }

    /// ``exitDescription``, waiting up to `limit` for the process to end: a closed pipe is often seen a
    /// moment before the exit can be reaped.
    func exitDescription(within limit: Duration) async -> String? {
        _ = await waitForExit(limit)
        return exitDescription
    }

    /// Ends the process and reaps it: closes its standard input (a well-behaved server exits at end of
    /// input), waits up to `grace`, then sends SIGTERM, waits up to `grace` again, then SIGKILL.
    ///
    /// Runs to the end even when the calling task is cancelled, so no child is ever left behind.
    func terminate(grace: Duration = .seconds(2)) async {
        await Task {
            closeDescriptors()
            if await waitForExit(grace) { return }
            kill(pid, SIGTERM)
            if await waitForExit(grace) { return }
            kill(pid, SIGKILL)
            _ = await waitForExit(.seconds(3600))
        }.value
    }

    /// Polls for the exit every 20 ms for up to `limit`; true when the process has been reaped.
    private func waitForExit(_ limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while exitStatus() == nil {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Closes our ends of the pipes once.
    func closeDescriptors() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        try? input.close()
        try? output.close()
    }

    deinit {
        closeDescriptors()
        // A process never terminated is at least not left a zombie.
        if exitStatus() == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }
}
