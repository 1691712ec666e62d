import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import Testing
import Tracing

/// A Phoenix of the test's own (started with `scripts/phoenix.sh`, so the shared one is untouched)
/// is stopped while the application keeps tracing, then started again on the same port and data.
@Suite(
    "Phoenix stopped and restarted under a running application",
    .enabled(if: PhoenixEnvironment.isRequired || PhoenixEnvironment.baseURL != nil)
)
struct PhoenixRestartTests {
    /// Runs `scripts/phoenix.sh` and returns what it printed.
    ///
    /// Spawned and reaped by hand: Foundation's `Process` leaves the child unreaped in this test
    /// process (it never sees it exit), so it would wait forever.
    static func phoenixScript(_ arguments: [String], port: Int? = nil) async throws -> String {
        let root = URL(fileURLWithPath: #filePath)  // Stack/Tests/PhoenixIntegrationTests/this file
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("phoenix-script-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var environment = ProcessInfo.processInfo.environment
        if let port { environment["PHOENIX_PORT"] = String(port) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = (["/bin/bash", root.appendingPathComponent("scripts/phoenix.sh").path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp) == 0 else { throw IntegrationFailure() }
        var status: Int32 = 0
        // Polled, so no cooperative thread is held and the test stays cancellable.
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(200)) }
        guard (status >> 8) & 0xff == 0, status & 0x7f == 0 else { throw IntegrationFailure() }
        return (try String(contentsOf: output, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One agent trace with an LLM child; returns its trace id.
    static func trace(_ tracer: StackTracer, goal: String) async -> String {
        await withTracer(tracer) {
            await withAgentSpan("agent", goal: goal) { _ in
                await withLLMSpan(model: "m", messages: [.user(goal)]) { span in span.recordOutput(messages: [.assistant("ok")]) }
                return Telemetry.currentTraceID ?? ""
            }
        }
    }

    @Test("Spans sent while Phoenix is down are counted, never block, and traces after its restart arrive", .timeLimit(.minutes(5)))
    func restart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stack-phoenix-restart-\(UUID().uuidString)")
        defer {
            // The last resort if the test failed midway; the normal path stops Phoenix itself.
            let pidFile = directory.appendingPathComponent("pid")
            if let pid = try? String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), let number = Int32(pid) {
                kill(number, SIGTERM)
            }
            try? FileManager.default.removeItem(at: directory)
        }
        let base = try #require(URL(string: try await Self.phoenixScript(["start", directory.path])))
        let port = try #require(base.port)
        let phoenix = PhoenixClient(baseURL: base)
        let project = "restart-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-restart-test")
        configuration.endpoint = base.absoluteString + "/v1/traces"
        configuration.projectName = project
        configuration.batch.scheduleDelay = .milliseconds(100)
        configuration.batch.exportTimeout = .seconds(3)
        let telemetry = try Telemetry(configuration: configuration)
        let processor = try #require(telemetry.batchProcessors.first)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await telemetry.run() }

            let before = await Self.trace(telemetry.tracer, goal: "before the outage")
            await telemetry.forceFlush()
            _ = try await phoenix.waitForTrace(project: project, traceID: before, count: 2)

            _ = try await Self.phoenixScript(["stop", directory.path])
            let failedBefore = processor.failedSpans
            let during = await Self.trace(telemetry.tracer, goal: "during the outage")
            await telemetry.forceFlush()
            #expect(processor.failedSpans > failedBefore, "the outage's batch should be counted as failed")

            _ = try await Self.phoenixScript(["start", directory.path], port: port)
            let after = await Self.trace(telemetry.tracer, goal: "after the restart")
            await telemetry.forceFlush()
            let arrived = try await phoenix.waitForTrace(project: project, traceID: after, count: 2)
            #expect(arrived.count == 2)
            // Phoenix kept its data across the restart; the outage's trace is the one that was lost.
            #expect(try await phoenix.spans(project: project, traceID: before).count == 2)
            #expect(try await phoenix.spans(project: project, traceID: during).isEmpty)
            group.cancelAll()
        }
        await telemetry.shutdown()
        _ = try await Self.phoenixScript(["stop", directory.path])
    }
}
