import Foundation
import Logging
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackMCP
import StackTestSupport
import Testing
import Tracing

/// One trace across processes and languages, read back from a real Phoenix: Python's `mcp` SDK
/// instrumented with openinference-instrumentation-mcp on one side, StackMCP on the other.
/// `make test` sets STACK_PHOENIX_URL and STACK_MCP_PYTHON (the venv of scripts/mcp-venv.sh).
@Suite(
    "MCP across languages, one trace in Phoenix",
    .enabled(if: MCPPeers.isRequired || (MCPPeers.phoenix != nil && MCPPeers.python != nil))
)
struct MCPAcrossLanguagesTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = package.appendingPathComponent("Tests/Fixtures/mcp")

    @Test(
        "A Python MCP server called by our agent (on stdio, and over Streamable HTTP): its TOOL span is the child of our client TOOL span",
        .timeLimit(.minutes(3)),
        arguments: ["stdio", "http"]
    )
    func pythonServerJoinsOurTrace(transport: String) async throws {
        let phoenixURL = try #require(MCPPeers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let python = try #require(MCPPeers.python, "STACK_MCP_PYTHON is not set; run `make test` (scripts/mcp-venv.sh makes it)")
        let project = "stack-mcp-py-server-\(transport)-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-mcp-it")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)

        let script = Self.fixtures.appendingPathComponent("python_server.py").path
        var command = "'\(python)' '\(script)' '\(phoenixURL.absoluteString)' \(project)"
        // Over HTTP the Python server runs first and prints its URL, which is then the "command".
        var httpServer: BackgroundProcess?
        if transport == "http" {
            let started = try BackgroundProcess(
                python, [script, phoenixURL.absoluteString, project, "--http"], environment: ProcessInfo.processInfo.environment)
            httpServer = started
            do {
                command = String(try #require(try await started.waitForLine(containing: "serving MCP at ").split(separator: " ").last))
            } catch {
                await started.stop()
                throw error
            }
        }
        let server: MCPServerConnection
        do {
            server = try await MCPServerConnection.start(
                command,
                environment: ProcessInfo.processInfo.environment,
                timeout: .seconds(60),
                logger: Logger(label: "test.mcp") { _ in SwiftLogNoOpLogHandler() }
            )
        } catch {
            await httpServer?.stop()
            throw error
        }
        #expect((server.processID == nil) == (transport == "http"))
        var tools = ToolRegistry([NowTool()])
        let registered = try await tools.register(source: server)
        #expect(registered.map(\.registered) == ["word_count"])
        let (output, traceID) = try await withTracer(telemetry.tracer) {
            try await withAgentSpan("agent", goal: "count words") { _ in
                let output = try await tools.execute(LLMToolCall(id: "call_1", name: "word_count", arguments: #"{"text":"one two three"}"#))
                return (output, TraceParent.current?.traceID ?? "")
            }
        }
        await server.close()
        await httpServer?.stop()
        await telemetry.forceFlush()
        await telemetry.shutdown()
        #expect(output == "3")

        // Ours: AGENT > TOOL word_count. Python's: the mcp SDK's own request span and the fixture's TOOL span.
        // Spans of the two processes arrive in any order: wait until the chain from the Python TOOL span up to ours is whole.
        let spans = try await PhoenixClient(baseURL: phoenixURL).waitForTrace(
            project: project, traceID: traceID, timeout: .seconds(60), waitingFor: "Python's word_count span under our TOOL span"
        ) { spans in
            guard let agent = spans.first(where: { $0.spanKind == "AGENT" }),
                let client = spans.first(where: { $0.name == "word_count" && $0.parentID == agent.context.spanID })
            else { return false }
            return spans.contains {
                $0.name == "word_count" && $0.context.spanID != client.context.spanID && MCPPeers.descends($0, from: client.context.spanID, in: spans)
            }
        }
        let names = spans.map { "\($0.name) \($0.context.spanID) < \($0.parentID ?? "root")" }
        let agent = try #require(spans.first { $0.spanKind == "AGENT" }, "spans: \(names)")
        let client = try #require(spans.first { $0.name == "word_count" && $0.parentID == agent.context.spanID }, "spans: \(names)")
        let remote = try #require(spans.first { $0.name == "word_count" && $0.context.spanID != client.context.spanID }, "spans: \(names)")
        #expect(client.spanKind == "TOOL")
        #expect(remote.spanKind == "TOOL")
        #expect(remote.string("output.value") == "3")
        // The Python span descends from our client TOOL span (through the SDK's request span, if any).
        var ancestor = remote.parentID
        var chain: [String] = []
        while let id = ancestor, id != client.context.spanID, let parent = spans.first(where: { $0.context.spanID == id }) {
            chain.append(parent.name)
            ancestor = parent.parentID
        }
        #expect(ancestor == client.context.spanID, "spans: \(names)")
        #expect(chain.count <= 1, "between our TOOL span and Python's: \(chain)")
    }

    @Test(
        "Python's MCP client calls `stack mcp` (on stdio, and with --http over Streamable HTTP): our server's TOOL span joins the Python trace",
        .timeLimit(.minutes(3)),
        arguments: ["stdio", "http"]
    )
    func ourServerJoinsPythonTrace(transport: String) async throws {
        let phoenixURL = try #require(MCPPeers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let python = try #require(MCPPeers.python, "STACK_MCP_PYTHON is not set; run `make test` (scripts/mcp-venv.sh makes it)")
        let stack = Self.package.appendingPathComponent(".build/debug/stack").path
        try #require(FileManager.default.isExecutableFile(atPath: stack), "\(stack) is missing; `swift build --package-path Stack` builds it")
        let project = "stack-mcp-py-client-\(transport)-\(UUID().uuidString.prefix(8).lowercased())"

        // Over HTTP the server runs first, on a free port it prints, exporting to this test's project.
        var server: BackgroundProcess?
        var target = stack
        if transport == "http" {
            var environment = ProcessInfo.processInfo.environment
            environment["PHOENIX_COLLECTOR_ENDPOINT"] = phoenixURL.absoluteString
            environment["PHOENIX_PROJECT_NAME"] = project
            let started = try BackgroundProcess(
                stack, ["mcp", "--http", "--port", "0", "--index", "/nonexistent/index.sqlite"], environment: environment)
            server = started
            do {
                let line = try await started.waitForLine(containing: "serving MCP at ")
                target = String(try #require(line.split(separator: " ").last))
            } catch {
                await started.stop()
                throw error
            }
        }
        let printed: String
        do {
            printed = try await runToCompletion(
                python,
                [Self.fixtures.appendingPathComponent("python_client.py").path, phoenixURL.absoluteString, project, target],
                environment: ProcessInfo.processInfo.environment
            )
        } catch {
            await server?.stop()
            throw error
        }
        if let server {
            // SIGTERM shuts the HTTP server down gracefully (flushing its spans): a clean exit.
            #expect(await server.stop() == 0)
        }
        struct Answer: Decodable {
            var trace_id: String
            var span_id: String
            var tools: [String]
            var result: String
            var is_error: Bool
        }
        let line = try #require(printed.split(separator: "\n").last, "the client printed nothing")
        let answer = try JSONDecoder().decode(Answer.self, from: Data(line.utf8))
        #expect(answer.tools == ["now"])
        #expect(answer.is_error == false)
        #expect(answer.result.contains("+01:00") || answer.result.contains("+02:00"))

        // Spans of the two processes arrive in any order: wait until the chain from our TOOL span up to Python's is whole.
        let spans = try await PhoenixClient(baseURL: phoenixURL).waitForTrace(
            project: project, traceID: answer.trace_id, timeout: .seconds(60), waitingFor: "our now span under Python's span"
        ) { spans in
            spans.contains { $0.name == "now" && MCPPeers.descends($0, from: answer.span_id, in: spans) }
        }
        let names = spans.map { "\($0.name) \($0.context.spanID) < \($0.parentID ?? "root")" }
        let tool = try #require(spans.first { $0.name == "now" && $0.string("tool.name") == "now" }, "spans: \(names)")
        // Our span descends from the Python span (through the mcp SDK's own request span, if any).
        var ancestor = tool.parentID
        var chain: [String] = []
        while let id = ancestor, id != answer.span_id, let parent = spans.first(where: { $0.context.spanID == id }) {
            chain.append(parent.name)
            ancestor = parent.parentID
        }
        #expect(ancestor == answer.span_id, "spans: \(names)")
        #expect(chain.count <= 1, "between Python's span and ours: \(chain)")
        #expect(tool.spanKind == "TOOL")
        #expect(tool.string("input.value") == #"{"timezone":"Europe/Oslo"}"#)
        #expect(tool.statusCode == "OK")
    }
}

enum MCPPeers {
    static var phoenix: URL? { ProcessInfo.processInfo.environment["STACK_PHOENIX_URL"].flatMap(URL.init(string:)) }
    static var python: String? { ProcessInfo.processInfo.environment["STACK_MCP_PYTHON"] }
    static var isRequired: Bool { ProcessInfo.processInfo.environment["STACK_REQUIRE_PHOENIX"] == "1" }

    /// Whether `span`'s parents, as far as `spans` holds them, lead to `ancestor`.
    static func descends(_ span: PhoenixSpan, from ancestor: String, in spans: [PhoenixSpan]) -> Bool {
        var parent = span.parentID
        var steps = 0
        while let id = parent, steps < spans.count {
            if id == ancestor { return true }
            parent = spans.first { $0.context.spanID == id }?.parentID
            steps += 1
        }
        return false
    }
}
