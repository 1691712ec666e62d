import Foundation
import Logging
import MCP
import OpenInference
import OpenInferenceTelemetry
import StackAgent
import StackLLM
import StackMCP
import StackTestSupport
import Testing
import Tracing

/// MCP servers as the agent's tool source, against real child processes (a deliberately faulty server
/// written with Python's standard library, Tests/Fixtures/mcp/scripted_server.py).
@Suite("MCP servers as a tool source")
struct MCPToolSourceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mcp")
    static let logger = Logger(label: "test.mcp") { _ in SwiftLogNoOpLogHandler() }

    static func scripted(_ mode: String) -> String {
        "python3 '\(fixtures.appendingPathComponent("scripted_server.py").path)' \(mode)"
    }

    static func start(_ mode: String, timeout: Duration = .seconds(20)) async throws -> MCPServerConnection {
        try await MCPServerConnection.start(scripted(mode), environment: ProcessInfo.processInfo.environment, timeout: timeout, logger: logger)
    }

    /// Whether `pid` names no process (not even a zombie): it was reaped.
    static func isReaped(_ pid: Int32?) -> Bool {
        guard let pid else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    static func kind(_ span: FinishedSpan) -> String? {
        if case .string(let kind) = span.attributes.get("openinference.span.kind") { return kind }
        return nil
    }

    @Test("A call carries the client TOOL span's traceparent in _meta, beside the arguments")
    func callCarriesTraceContext() async throws {
        let server = try await Self.start("ok")
        var tools = ToolRegistry()
        let names = try await tools.register(source: server)
        #expect(names.map(\.registered) == ["probe"])
        #expect(tools.definitions.first?.parameters == ["type": "object", "properties": ["text": ["type": "string"]]])

        let recorder = InMemorySpanRecorder()
        let output = try await withTracer(StackTracer(processor: recorder)) {
            try await withAgentSpan("agent", goal: "probe") { _ in
                try await tools.execute(LLMToolCall(id: "call_1", name: "probe", arguments: #"{"text":"hello"}"#))
            }
        }
        await server.close()
        #expect(Self.isReaped(server.processID))

        struct Echo: Decodable {
            var arguments: [String: String]
            var meta: [String: String]?
        }
        let echo = try JSONDecoder().decode(Echo.self, from: Data(output.utf8))
        #expect(echo.arguments == ["text": "hello"])
        let tool = try #require(recorder.spans.first { Self.kind($0) == "TOOL" })
        let traceparent = try #require(echo.meta?["traceparent"].flatMap(TraceParent.init(header:)))
        #expect(traceparent.traceID == tool.context.traceContext.traceID.description)
        #expect(traceparent.spanID == tool.context.traceContext.spanID.description)
        #expect(tool.status?.code != .error)
    }

    @Test(
        "A failing server becomes an ERROR TOOL span and a tool message the model reads; the run goes on and the process is reaped",
        arguments: [
            ("crash", "exited"), ("hang", "timedOut"), ("error", "toolError"), ("rpc-error", "protocolError"), ("malformed", "malformedResult"),
        ]
    )
    func failingServer(mode: String, code: String) async throws {
        let model = ScriptedHTTPServer([
            .json(
                #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_p","type":"function","function":{"name":"probe","arguments":"{\"text\":\"x\"}"}}]}}]}"#
            ),
            .json(#"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"The probe failed."}}]}"#),
        ])
        let url = try await model.start()
        let server = try await Self.start(mode, timeout: .seconds(12))
        var tools = ToolRegistry()
        try await tools.register(source: server)
        let recorder = InMemorySpanRecorder()
        let agent = Agent(model: LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted")), tools: tools)
        let result = try await withTracer(StackTracer(processor: recorder)) {
            try await agent.run(goal: "Probe it.")
        }
        await server.close()

        #expect(result.answer == "The probe failed.")
        let message = try #require(result.transcript.first { $0.role == "tool" }?.content)
        #expect(message.hasPrefix("error: MCP server '\(Self.scripted(mode))'"))
        let tool = try #require(recorder.spans.first { Self.kind($0) == "TOOL" })
        #expect(tool.status?.code == .error)
        #expect(Self.isReaped(server.processID))
        // The code behind the message, from a direct call on a fresh server of the same mode.
        let again = try await Self.start(mode, timeout: .seconds(12))
        var thrown: MCPServerError?
        do {
            _ = try await again.callTool("probe", arguments: "{}")
        } catch let error as MCPServerError {
            thrown = error
        }
        await again.close()
        #expect(thrown?.code.description == code)
        #expect(Self.isReaped(again.processID))
    }

    @Test("A server that cannot start is reported with a failedToStart error; the others start", arguments: ["exit-at-start", "no-such-mode-binary"])
    func failsToStart(mode: String) async throws {
        let command = mode == "exit-at-start" ? Self.scripted(mode) : "/nonexistent/mcp-server --stdio"
        let servers = await MCPServerSet.start(
            [command, Self.scripted("ok")],
            environment: ProcessInfo.processInfo.environment,
            configuration: MCPConfiguration(timeout: .seconds(10)),
            logger: Self.logger
        )
        #expect(servers.connections.map(\.command) == [Self.scripted("ok")])
        #expect(servers.failures.map(\.code) == [.failedToStart])
        #expect(servers.failures.first?.server == command)
        await servers.close()
        #expect(servers.connections.allSatisfy { Self.isReaped($0.processID) })
    }

    @Test("Cancelling a run in the middle of a hung call still reaps every server process")
    func cancellationReaps() async throws {
        let pids = AsyncStream.makeStream(of: Int32.self)
        let run = Task {
            try await MCPServerSet.with(
                [Self.scripted("hang"), Self.scripted("ok")],
                environment: ProcessInfo.processInfo.environment,
                configuration: MCPConfiguration(timeout: .seconds(600)),
                logger: Self.logger
            ) { servers in
                for connection in servers.connections { pids.continuation.yield(connection.processID ?? 0) }
                pids.continuation.finish()
                let hung = try #require(servers.connections.first)
                return try await hung.callTool("probe", arguments: "{}")
            }
        }
        var started: [Int32] = []
        for await pid in pids.stream { started.append(pid) }
        #expect(started.count == 2)
        run.cancel()
        _ = await run.result
        #expect(started.allSatisfy(Self.isReaped))
    }

    @Test(
        "Errors and logs name a server without the secrets its command may hold",
        arguments: [
            ("API_KEY=sk-live-1 npx server", "API_KEY=… npx server"),
            ("server --api-key sk-live-1 --verbose", "server --api-key … --verbose"),
            ("server --token=abc --port=8080", "server --token=… --port=8080"),
            ("python3 'server.py' --mode ok", "python3 'server.py' --mode ok"),
            ("https://me:pw-1@example.com:8443/mcp?token=sk-live-1&x=1", "https://…@example.com:8443/mcp?token=…&x=1"),
            ("http://127.0.0.1:8765/mcp", "http://127.0.0.1:8765/mcp"),
        ]
    )
    func redactsCommands(command: String, shown: String) {
        #expect(MCPServerError.redacting(command) == shown)
        #expect(!MCPServerError(.timedOut, server: command, message: "m").description.contains("sk-live-1"))
    }

    @Test("Tools of several sources keep unique names: a clash is prefixed with the source's name")
    func uniqueNames() async throws {
        let first = try await Self.start("ok")
        let second = try await Self.start("ok")
        var tools = ToolRegistry([NowTool()])
        try await tools.register(source: first)
        let names = try await tools.register(source: second)
        await first.close()
        await second.close()
        #expect(tools.definitions.map(\.name) == ["now", "probe", "scripted_probe"])
        #expect(names.map(\.original) == ["probe"])
    }
}
