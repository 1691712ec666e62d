import Foundation
import Logging
import OpenInference
import OpenInferenceTelemetry
import StackAgent
import StackLLM
import StackMCP
import StackTestSupport
import Testing
import Tracing

/// A configured MCP server that does not start becomes one `<server>_unavailable` tool: the model reads the
/// failure in its description and, when it calls it, as a tool error with an ERROR TOOL span; the run goes on.
@Suite("MCP servers that fail to start")
struct MCPUnavailableServerTests {
    static let logger = Logger(label: "test.mcp") { _ in SwiftLogNoOpLogHandler() }

    static func string(_ attributes: SpanAttributes, _ key: String) -> String? {
        if case .string(let value) = attributes.get(key) { return value }
        return nil
    }

    @Test(
        "A server that does not start is a tool whose call is the start error and an ERROR TOOL span; the run answers",
        arguments: [
            ("/nonexistent/mcp-server --stdio", "no such command"),
            (MCPToolSourceTests.scripted("exit-at-start"), "exited with status 7"),
            (MCPToolSourceTests.scripted("silent"), "no answer within 1.0 seconds"),
            ("http://127.0.0.1:1/mcp", "could not be reached"),
        ]
    )
    func failedServerBecomesToolError(command: String, reason: String) async throws {
        // Beside a server that works, which starts and keeps its tool; the silent one is alone, so its
        // short STACK_MCP_TIMEOUT cannot fail a Python start on a busy machine.
        let silent = command.hasSuffix(" silent")
        let others = silent ? [] : [MCPToolSourceTests.scripted("ok")]
        let servers = await MCPServerSet.start(
            [command] + others,
            environment: ProcessInfo.processInfo.environment,
            configuration: MCPConfiguration(timeout: .seconds(silent ? 1 : 30)),
            logger: Self.logger
        )
        var tools = ToolRegistry()
        await servers.registerTools(in: &tools, logger: Self.logger)
        let unavailable = "\(UnavailableMCPServer.shortName(of: command))_unavailable"
        #expect(tools.definitions.map(\.name) == (silent ? [] : ["probe"]) + [unavailable])
        #expect(servers.failures.map(\.code) == [.failedToStart])
        let description = try #require(tools.definitions.last?.description)
        #expect(description.contains(reason), "\(description)")
        #expect(description.contains("MCP server '\(MCPServerError.redacting(command))'"))

        // The model calls the unavailable tool, reads the error, and answers.
        let model = ScriptedHTTPServer([
            .json(
                #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_u","type":"function","function":{"name":"\#(unavailable)","arguments":"{}"}}]}}]}"#
            ),
            .json(#"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"That server is down."}}]}"#),
        ])
        let url = try await model.start()
        let recorder = InMemorySpanRecorder()
        let agent = Agent(model: LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted")), tools: tools)
        let result = try await withTracer(StackTracer(processor: recorder)) {
            try await agent.run(goal: "Use the server.")
        }
        await servers.close()
        try await model.stop()

        #expect(result.answer == "That server is down.")
        let message = try #require(result.transcript.first { $0.role == "tool" }?.content)
        #expect(message.hasPrefix("error: MCP server '\(MCPServerError.redacting(command))': did not start as an MCP server"))
        #expect(message.contains(reason), "\(message)")
        // The first model request offered the tool with the failure in its description.
        let offered = try #require(model.requests.first?.json?["tools"] as? [[String: Any]])
        let functions = offered.compactMap { $0["function"] as? [String: Any] }
        #expect(functions.contains { $0["name"] as? String == unavailable && ($0["description"] as? String)?.contains(reason) == true })

        let span = try #require(recorder.spans.first { Self.string($0.attributes, "tool.name") == unavailable })
        #expect(Self.string(span.attributes, "openinference.span.kind") == "TOOL")
        #expect(span.status?.code == .error)
        #expect(span.status?.message?.contains(reason) == true, "\(String(describing: span.status))")
        let exception = try #require(span.events.first { $0.name == "exception" })
        #expect(Self.string(exception.attributes, "exception.message")?.contains(reason) == true)
    }

    @Test("The unavailable tool's description and error name the server without the secrets its command holds")
    func failedServerRedactsSecrets() async throws {
        let command = "API_KEY=sk-live-9 /nonexistent/mcp-server --token sk-live-9"
        let servers = await MCPServerSet.start(
            [command], environment: [:], configuration: MCPConfiguration(timeout: .seconds(5)), logger: Self.logger)
        var tools = ToolRegistry()
        await servers.registerTools(in: &tools, logger: Self.logger)
        let definition = try #require(tools.definitions.first)
        #expect(definition.name == "mcp-server_unavailable")
        #expect(!definition.description.contains("sk-live-9"))
        var thrown: (any Error)?
        do {
            _ = try await tools.execute(LLMToolCall(id: "c", name: definition.name, arguments: "{}"))
        } catch {
            thrown = error
        }
        let text = try #require(thrown.map { "\($0)" })
        #expect(text.contains("API_KEY=… /nonexistent/mcp-server --token …"))
        #expect(!text.contains("sk-live-9"))
    }

    @Test(
        "A server's short name is a URL's host or the first word after assignments, without its folder, fit for a tool name",
        arguments: [
            ("python3 server.py", "python3"), ("TOKEN=x /usr/local/bin/stack mcp", "stack"), ("http://tools.local:8765/mcp", "tools_local"),
            ("", "mcp"),
        ]
    )
    func shortNames(command: String, name: String) {
        #expect(UnavailableMCPServer.shortName(of: command) == name)
    }
}
