import Foundation
import Hummingbird
import Logging
import MCP
import OpenInference
import OpenInferenceTelemetry
import StackAgent
import StackMCP
import Testing
import Tracing

/// The stack's tools served over MCP's Streamable HTTP transport (``MCPHTTPEndpoint`` on a free loopback
/// port) and called by ``MCPServerConnection`` over the SDK's `HTTPClientTransport`, in one process and one
/// recorder: the server's TOOL span must be the child of the client's through `_meta` alone.
@Suite("MCP over HTTP")
struct MCPHTTPTests {
    static let logger = Logger(label: "test.mcp-http") { _ in SwiftLogNoOpLogHandler() }

    static func kind(_ span: FinishedSpan) -> String? {
        if case .string(let kind) = span.attributes.get("openinference.span.kind") { return kind }
        return nil
    }

    /// Serves `tools` on a free loopback port for the duration of `body`, which gets the endpoint's URL.
    static func withEndpoint<T: Sendable>(
        _ tools: ToolRegistry, host: String = "127.0.0.1", _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let endpoint = MCPHTTPEndpoint(server: MCPToolServer(tools: tools, logger: logger), host: host, port: 0, logger: logger)
        let application = endpoint.application { port in
            continuation.yield(port)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            return try await body(try #require(URL(string: "http://\(host):\(port)\(MCPHTTPEndpoint.path)")))
        }
    }

    @Test("A tool called over HTTP: the server's TOOL span is the child of the client's TOOL span, in one trace")
    func serverSpanIsChildOfClientSpan() async throws {
        let recorder = InMemorySpanRecorder()
        let (output, registered) = try await withTracer(StackTracer(processor: recorder)) {
            try await Self.withEndpoint(ToolRegistry([NowTool()])) { url in
                let connection = try await MCPServerConnection.start(url.absoluteString, environment: [:], timeout: .seconds(20), logger: Self.logger)
                #expect(connection.processID == nil)
                #expect(connection.sourceName == "stack")
                var tools = ToolRegistry()
                let registered = try await tools.register(source: connection)
                let output = try await withAgentSpan("agent", goal: "time") { _ in
                    try await tools.execute(LLMToolCall(id: "call_1", name: "now", arguments: #"{"timezone":"Europe/Oslo"}"#))
                }
                await connection.close()
                return (output, registered.map(\.registered))
            }
        }
        #expect(registered == ["now"])
        #expect(output.contains("+01:00") || output.contains("+02:00"))
        let tools = recorder.spans.filter { Self.kind($0) == "TOOL" }
        let agent = try #require(recorder.spans.first { Self.kind($0) == "AGENT" })
        let client = try #require(tools.first { $0.parentSpanID == agent.context.traceContext.spanID })
        let server = try #require(tools.first { $0.context.traceContext.spanID != client.context.traceContext.spanID })
        #expect(server.context.traceContext.traceID == client.context.traceContext.traceID)
        #expect(server.parentSpanID == client.context.traceContext.spanID)
        #expect(server.parentIsRemote)
        #expect(server.status?.code != .error)
    }

    /// A raw `tools/call` POST, as an HTTP-instrumented client that does not know MCP would send it.
    static func call(meta: String?, headers: [String: String]) -> MCP.HTTPRequest {
        let metaMember = meta.map { #","_meta":{"traceparent":"\#($0)"}"# } ?? ""
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"now","arguments":{"timezone":"UTC"}\#(metaMember)}}"#
        return MCP.HTTPRequest(
            method: "POST",
            headers: ["Host": "127.0.0.1:8765", "Accept": "application/json, text/event-stream", "Content-Type": "application/json"]
                .merging(headers) { _, new in new },
            body: Data(body.utf8),
            path: "/mcp"
        )
    }

    static let headerParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    static let metaParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test(
        "Over HTTP, _meta's traceparent wins; without one, the request's traceparent header is the parent; with neither, a new trace",
        arguments: [
            (metaParent as String?, headerParent as String?, metaParent as String?),
            (nil, headerParent, headerParent),
            (metaParent, nil, metaParent),
            (nil, nil, nil),
        ]
    )
    func parentFromMetaOrHeader(meta: String?, header: String?, expected: String?) async throws {
        let recorder = InMemorySpanRecorder()
        let server = MCPToolServer(tools: ToolRegistry([NowTool()]), logger: Self.logger)
        let response = await withTracer(StackTracer(processor: recorder)) {
            await server.respond(to: Self.call(meta: meta, headers: header.map { ["traceparent": $0] } ?? [:]))
        }
        #expect(response.statusCode == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let text = String(decoding: response.bodyData ?? Data(), as: UTF8.self)
        #expect(text.contains(#""isError":false"#), "\(text)")
        let span = try #require(recorder.spans.first { Self.kind($0) == "TOOL" })
        if let expected, let parent = TraceParent(header: expected) {
            #expect(span.context.traceContext.traceID.description == parent.traceID)
            #expect(span.parentSpanID?.description == parent.spanID)
        } else {
            #expect(span.parentSpanID == nil)
        }
    }

    @Test(
        "The endpoint refuses what it must: a foreign Host (DNS rebinding) 421, GET 405, a client that does not accept JSON 406",
        arguments: [
            (["Host": "evil.example:8765"], "POST", 421), ([:], "GET", 405), (["Accept": "text/event-stream"], "POST", 406),
        ]
    )
    func refusals(headers: [String: String], method: String, status: Int) async {
        let server = MCPToolServer(tools: ToolRegistry([NowTool()]), logger: Self.logger)
        let call = Self.call(meta: nil, headers: headers)
        let response = await server.respond(to: MCP.HTTPRequest(method: method, headers: call.headers, body: call.body, path: call.path))
        #expect(response.statusCode == status)
    }

    @Test(
        "The Host check follows the address served: loopback names on loopback, the address itself elsewhere, none on a wildcard",
        arguments: [
            ("127.0.0.1", 8765, "localhost:8765", 200), ("127.0.0.1", 8765, "192.168.1.5:8765", 421),
            ("192.168.1.5", 9000, "192.168.1.5:9000", 200), ("192.168.1.5", 9000, "evil.example:9000", 421),
            ("0.0.0.0", 8765, "tools.example:8765", 200),
        ]
    )
    func hostCheck(served: String, port: Int, host: String, status: Int) async {
        let server = MCPToolServer(tools: ToolRegistry([NowTool()]), logger: Self.logger)
        let response = await server.respond(
            to: Self.call(meta: nil, headers: ["Host": host]),
            validation: MCPToolServer.httpValidation(origin: MCPHTTPEndpoint.originValidator(host: served, port: port))
        )
        #expect(response.statusCode == status)
    }

    @Test("Several clients use one HTTP endpoint at once, each initializing on its own (no session is kept)")
    func severalClients() async throws {
        let outputs = try await Self.withEndpoint(ToolRegistry([NowTool()])) { url in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let connection = try await MCPServerConnection.start(
                            url.absoluteString, environment: [:], timeout: .seconds(20), logger: Self.logger)
                        let output = try await connection.callTool("now", arguments: #"{"timezone":"UTC"}"#)
                        await connection.close()
                        return output
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(outputs.count == 3)
        #expect(outputs.allSatisfy { $0.contains("Z") || $0.contains("+00:00") })
    }

    @Test("A call over HTTP that outlasts the timeout fails with timedOut; the connection goes on serving other calls")
    func hungCallTimesOut() async throws {
        var tools = ToolRegistry([NowTool()])
        tools.register(LLMToolDefinition(name: "slow", description: "Answers late.", parameters: ["type": "object", "properties": [:]])) { _ in
            try await Task.sleep(for: .seconds(20))
            return "late"
        }
        try await Self.withEndpoint(tools) { url in
            // Long enough for initialize on a busy machine; the slow tool outlasts it by far.
            let connection = try await MCPServerConnection.start(url.absoluteString, environment: [:], timeout: .seconds(8), logger: Self.logger)
            var thrown: MCPServerError?
            do {
                _ = try await connection.callTool("slow", arguments: "{}")
            } catch let error as MCPServerError {
                thrown = error
            }
            #expect(thrown?.code == .timedOut)
            #expect(try await connection.callTool("now", arguments: #"{"timezone":"UTC"}"#).hasSuffix("Z"))
            await connection.close()
        }
    }
}
