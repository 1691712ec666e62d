import Foundation
import Logging
import MCP
import OpenInference
import OpenInferenceMCP
import OpenInferenceTelemetry
import StackAgent
import StackMCP
import Testing
import Tracing

/// The stack's tools served over MCP (in process, over the SDK's in-memory transport).
@Suite("Tools served over MCP")
struct MCPToolServerTests {
    static let logger = Logger(label: "test.mcp-server") { _ in SwiftLogNoOpLogHandler() }

    /// Runs a server for `tools` and a connected client, traced by one recorder, and hands `body` the client.
    static func withServedTools<T: Sendable>(
        _ tools: ToolRegistry,
        recorder: InMemorySpanRecorder,
        _ body: @Sendable (Client) async throws -> T
    ) async throws -> T {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        return try await withTracer(StackTracer(processor: recorder)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await MCPToolServer(tools: tools, logger: logger).run(transport: serverSide) }
                defer { group.cancelAll() }
                let client = Client(name: "test", version: "1")
                try await client.connect(transport: clientSide)
                let result = try await body(client)
                await client.disconnect()
                return result
            }
        }
    }

    @Test("Each call is a TOOL span continuing the trace context the caller put in _meta")
    func toolSpanContinuesCallerTrace() async throws {
        let recorder = InMemorySpanRecorder()
        let tools = ToolRegistry([NowTool()])
        let (listed, text, callerTrace, callerSpan) = try await Self.withServedTools(tools, recorder: recorder) { client in
            let listed = try await client.listTools().tools
            return try await withAgentSpan("caller", goal: "time") { _ in
                let parent = try #require(TraceParent.current)
                let (content, isError) = try await client.callTool(
                    name: "now",
                    arguments: ["timezone": "UTC"],
                    meta: TraceContextMetadata.injecting()
                )
                #expect(isError == false)
                guard case .text(let text, _, _) = content.first else { throw MCPError.internalError("no text") }
                return (listed, text, parent.traceID, parent.spanID)
            }
        }
        #expect(listed.map(\.name) == ["now"])
        #expect(listed.first?.inputSchema.objectValue?["type"] == .string("object"))
        #expect(text.hasSuffix("Z"))
        let tool = try #require(recorder.spans.first { $0.name == "now" })
        #expect(tool.attributes.get("openinference.span.kind") == .string("TOOL"))
        #expect(tool.context.traceContext.traceID.description == callerTrace)
        #expect(tool.parentSpanID?.description == callerSpan)
        #expect(tool.attributes.get("input.value") == .string(#"{"timezone":"UTC"}"#))
    }

    @Test("Oversized arguments over MCP are refused before the tool runs: isError naming the bound; a long search query too")
    func oversizedArguments() async throws {
        let recorder = InMemorySpanRecorder()
        let searched = SearchCount()
        let search = SearchDocsTool { _, _ in
            await searched.increment()
            return []
        }
        let (huge, long) = try await Self.withServedTools(ToolRegistry([search]), recorder: recorder) { client in
            let huge = try await client.callTool(name: "search_docs", arguments: ["query": .string(String(repeating: "q", count: 400_000))])
            let long = try await client.callTool(name: "search_docs", arguments: ["query": .string(String(repeating: "w ", count: 2_500))])
            return (huge, long)
        }
        #expect(huge.isError == true)
        #expect(long.isError == true)
        guard case .text(let hugeText, _, _) = huge.content.first, case .text(let longText, _, _) = long.content.first else {
            Issue.record("no text")
            return
        }
        #expect(hugeText.contains("more than the \(ToolRegistry.maxArgumentBytes)"))
        #expect(longText.contains("more than \(SearchDocsTool.maxQueryCharacters) characters"))
        #expect(await searched.value == 0)
        #expect(recorder.spans.filter { $0.name == "search_docs" }.allSatisfy { $0.status?.code == .error })
    }

    @Test("A failing tool answers isError with the error's text and ends its span in ERROR; an unknown tool is a JSON-RPC error")
    func failures() async throws {
        let recorder = InMemorySpanRecorder()
        let (failed, unknown) = try await Self.withServedTools(ToolRegistry([NowTool()]), recorder: recorder) { client in
            let failed = try await client.callTool(name: "now", arguments: ["timezone": "Mars/Olympus"])
            let unknown = await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "teleport", arguments: [:]) }
            return (failed, unknown)
        }
        #expect(failed.isError == true)
        guard case .text(let text, _, _) = failed.content.first else {
            Issue.record("no text")
            return
        }
        #expect(text.contains("'Mars/Olympus' is not an IANA time zone"))
        #expect(unknown != nil)
        let tool = try #require(recorder.spans.first { $0.name == "now" })
        #expect(tool.status?.code == .error)
        #expect(tool.parentSpanID == nil)
    }

    @Test("_meta without trace context, or with a malformed traceparent, starts a new trace")
    func noContext() {
        let context = TraceContextMetadata.extracting(
            from: Metadata(additionalFields: ["traceparent": .string("00-zz-11-01"), "progressToken": .int(3)]))
        let traceparent = withTracer(StackTracer(processor: InMemorySpanRecorder())) { () -> TraceParent? in
            InstrumentationContext.$current.withValue(context) { TraceParent.current }
        }
        #expect(traceparent == nil)
        #expect(TraceContextMetadata.injecting(into: nil, context: nil) == nil)
    }
}

/// Counts searches, to prove a refused call never reached the index.
private actor SearchCount {
    private(set) var value = 0
    func increment() { value += 1 }
}
