import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackLLM
import StackRetrieval
import Synchronization
import Testing
import Tracing

/// Runs the agent against the real llama.cpp server (SmolLM2-135M) with the demo corpus indexed,
/// exports to the real Phoenix, and checks what Phoenix stores.
///
/// `make test` starts both servers and sets `STACK_MODEL_URL` and `STACK_PHOENIX_URL`.
@Suite(
    "Agent against the real model and Phoenix",
    .enabled(if: LiveServers.isRequired || (LiveServers.model != nil && LiveServers.phoenix != nil)),
    .serialized
)
struct AgentAgainstRealModelTests {
    @Test("The trace has one AGENT root with LLM, TOOL, RETRIEVER and EMBEDDING descendants and real token counts")
    func agentTraceInPhoenix() async throws {
        let modelURL = try #require(LiveServers.model, "STACK_MODEL_URL is not set; run `make test`")
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let client = LLMClient(
            configuration: LLMClientConfiguration(baseURL: modelURL, model: "smollm2", embeddingModel: "smollm2-embed", timeout: .seconds(120))
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stack-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let embedder = LiveEmbedder(client: client)
        let index = try RetrievalIndex(path: directory.appendingPathComponent("index.sqlite").path, embedder: embedder)
        let corpus = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/corpus")
        let ingested = try await index.ingest(folder: corpus)
        #expect(ingested > 0)
        let retriever = HybridRetriever(index: index, embedder: embedder)

        let project = "stack-agent-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-integration-tests")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)
        let agent = Agent(
            model: client,
            tools: ToolRegistry([SearchDocsTool { query, limit in try await retriever.retrieve(query: query, topK: limit) }]),
            maxIterations: 2,
            temperature: 0,
            maxTokens: 96,
            firstTurnToolChoice: .function("search_docs")
        )
        let capture = TraceCapture()
        let result = try await withTracer(telemetry.tracer) {
            try await agent.run(goal: "Compare Postgres and SQLite for a small Django app's database.") {
                capture.set(Telemetry.currentTraceID)
            }
        }
        await telemetry.forceFlush()
        let exported = try #require(telemetry.batchProcessors.first?.exportedSpans)
        let traceID = try #require(capture.value)
        #expect(result.iterations >= 1)

        let spans = try await PhoenixClient(baseURL: phoenixURL).waitForTrace(project: project, traceID: traceID, count: exported)
        let roots = spans.filter { $0.parentID == nil }
        #expect(roots.count == 1)
        #expect(roots.first?.spanKind == "AGENT")
        let kinds = Set(spans.map(\.spanKind))
        #expect(kinds.isSuperset(of: ["AGENT", "LLM", "TOOL", "RETRIEVER", "EMBEDDING"]))
        let llm = try #require(spans.first { $0.spanKind == "LLM" })
        #expect((llm.int("llm.token_count.prompt") ?? 0) > 0)
        #expect((llm.int("llm.token_count.completion") ?? 0) > 0)
        let retrieverSpan = try #require(spans.first { $0.spanKind == "RETRIEVER" })
        #expect(retrieverSpan.string("retrieval.documents.0.document.id") != nil)
        let tool = try #require(spans.first { $0.spanKind == "TOOL" })
        #expect(retrieverSpan.parentID == tool.context.spanID)
        await telemetry.shutdown()
    }
}

struct LiveEmbedder: EmbeddingProvider {
    let client: LLMClient
    func embed(_ texts: [String]) async throws -> [[Double]] { try await client.embed(texts) }
}

final class TraceCapture: Sendable {
    private let stored = Mutex<String?>(nil)
    var value: String? { stored.withLock { $0 } }
    func set(_ id: String?) { stored.withLock { $0 = id } }
}

enum LiveServers {
    static var model: URL? { ProcessInfo.processInfo.environment["STACK_MODEL_URL"].flatMap(URL.init(string:)) }
    static var phoenix: URL? { ProcessInfo.processInfo.environment["STACK_PHOENIX_URL"].flatMap(URL.init(string:)) }
    static var isRequired: Bool { ProcessInfo.processInfo.environment["STACK_REQUIRE_PHOENIX"] == "1" }
}
