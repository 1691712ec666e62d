import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import Testing
import Tracing

/// Sends spans of every kind to a real Phoenix and reads them back through its REST API.
///
/// `make test` starts Phoenix and sets `STACK_PHOENIX_URL`; with `STACK_REQUIRE_PHOENIX=1` (as in CI)
/// a missing Phoenix fails the run instead of skipping it.
@Suite("Round trip through a live Phoenix", .enabled(if: PhoenixEnvironment.isRequired || PhoenixEnvironment.baseURL != nil))
struct PhoenixRoundTripTests {
    @Test("Every span kind arrives with its kind, parent, flattened messages, tokens and documents")
    func everyKindRoundTrips() async throws {
        let baseURL = try #require(PhoenixEnvironment.baseURL, "STACK_PHOENIX_URL is not set; run `make test`")
        let project = "stack-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-integration-tests")
        configuration.endpoint = baseURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)

        let traceID: String = try await withTracer(telemetry.tracer) {
            try await withOpenInferenceContext(sessionID: "session-7", userID: "user-3", tags: ["it"]) {
                try await withAgentSpan(agentName: "it-agent", goal: "Compare Postgres and SQLite") { agent in
                    await withLLMSpan(
                        model: "smollm2",
                        system: "openai",
                        messages: [
                            .system("You are terse."),
                            .user("Which database?"),
                        ],
                        parameters: ["temperature": 0],
                        tools: [LLMToolDefinition(name: "search_docs", description: "Search notes", parameters: ["type": "object"])]
                    ) { llm in
                        llm.recordOutput(messages: [
                            .assistant(nil, toolCalls: [LLMToolCall(id: "call_9", name: "search_docs", arguments: #"{"query":"sqlite"}"#)])
                        ])
                        llm.recordTokenUsage(TokenUsage(prompt: 31, completion: 7))
                    }
                    await withToolSpan(tool: "search_docs", description: "Search notes", arguments: #"{"query":"sqlite"}"#) { tool in
                        await withRetrieverSpan(query: "sqlite", topK: 2) { retriever in
                            await withEmbeddingSpan(model: "smollm2-embed", texts: ["sqlite"]) { $0.recordVectors([[0.5, -0.5]]) }
                            await withRerankerSpan(query: "sqlite", documents: [RetrievalDocument(id: "d1", content: "SQLite", score: 0.2)]) {
                                $0.recordOutputDocuments([RetrievalDocument(id: "d1", content: "SQLite", score: 0.9)])
                            }
                            retriever.recordDocuments([
                                RetrievalDocument(id: "d1", content: "SQLite is an embedded database.", score: 0.9, metadata: ["path": "sqlite.md"]),
                                RetrievalDocument(id: "d2", content: "Postgres is a server.", score: 0.4),
                            ])
                        }
                        tool.recordOutput("2 documents")
                    }
                    await #expect(throws: IntegrationFailure.self) {
                        try await withOpenInferenceSpan("policy", kind: .guardrail) { _ in throw IntegrationFailure() }
                    }
                    agent.recordOutput("Use SQLite for a small app.")
                    agent.recordStop(reason: "final_answer", iterations: 1)
                    return try #require(Telemetry.currentTraceID)
                }
            }
        }
        await telemetry.forceFlush()
        #expect(telemetry.batchProcessors.first?.exportedSpans == 7)

        let phoenix = PhoenixClient(baseURL: baseURL)
        let spans = try await phoenix.waitForTrace(project: project, traceID: traceID, count: 7)
        #expect(spans.count == 7)
        func span(_ kind: String) throws -> PhoenixSpan {
            try #require(spans.first { $0.spanKind == kind }, "no \(kind) span in \(spans.map(\.spanKind))")
        }
        let agent = try span("AGENT")
        let llm = try span("LLM")
        let tool = try span("TOOL")
        let retriever = try span("RETRIEVER")
        let embedding = try span("EMBEDDING")
        let reranker = try span("RERANKER")
        let guardrail = try span("GUARDRAIL")

        #expect(agent.parentID == nil)
        #expect(llm.parentID == agent.context.spanID)
        #expect(tool.parentID == agent.context.spanID)
        #expect(retriever.parentID == tool.context.spanID)
        #expect(embedding.parentID == retriever.context.spanID)
        #expect(reranker.parentID == retriever.context.spanID)
        #expect(guardrail.parentID == agent.context.spanID)

        #expect(agent.string("input.value") == "Compare Postgres and SQLite")
        #expect(agent.string("output.value") == "Use SQLite for a small app.")
        #expect(agent.string("session.id") == "session-7")
        #expect(agent.string("user.id") == "user-3")
        #expect(llm.string("llm.model_name") == "smollm2")
        #expect(llm.string("llm.input_messages.0.message.role") == "system")
        #expect(llm.string("llm.input_messages.1.message.content") == "Which database?")
        #expect(llm.string("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "search_docs")
        #expect(llm.string("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "call_9")
        #expect(llm.int("llm.token_count.prompt") == 31)
        #expect(llm.int("llm.token_count.completion") == 7)
        #expect(llm.int("llm.token_count.total") == 38)
        #expect(llm.string("llm.tools.0.tool.json_schema")?.contains("search_docs") == true)
        #expect(tool.string("tool.name") == "search_docs")
        #expect(tool.string("output.value") == "2 documents")
        #expect(retriever.string("retrieval.documents.0.document.id") == "d1")
        #expect(retriever.string("retrieval.documents.0.document.content") == "SQLite is an embedded database.")
        #expect(retriever.attributes["retrieval.documents.1.document.score"] == .double(0.4))
        #expect(embedding.string("embedding.embeddings.0.embedding.text") == "sqlite")
        #expect(reranker.string("reranker.output_documents.0.document.id") == "d1")
        #expect(guardrail.statusCode == "ERROR")
        #expect(guardrail.events.contains { $0.name == "exception" })
        await telemetry.shutdown()
    }

    @Test("A stopped collector costs the application nothing: spans are counted as failed, not blocking")
    func stoppedCollectorDoesNotBlock() async throws {
        var configuration = TelemetryConfiguration(serviceName: "stack-integration-tests")
        configuration.endpoint = "http://127.0.0.1:9/v1/traces"  // discard port: nothing listens
        configuration.batch.shutdownTimeout = .milliseconds(500)
        let telemetry = try Telemetry(configuration: configuration)
        withTracer(telemetry.tracer) {
            for index in 0..<100 { withSpan("work \(index)") { _ in } }
        }
        await telemetry.shutdown()
        let processor = try #require(telemetry.batchProcessors.first)
        #expect(processor.exportedSpans == 0)
        #expect(processor.failedSpans + processor.droppedSpans == 100)
    }
}

struct IntegrationFailure: Error {}

enum PhoenixEnvironment {
    static var baseURL: URL? {
        ProcessInfo.processInfo.environment["STACK_PHOENIX_URL"].flatMap(URL.init(string:))
    }

    static var isRequired: Bool {
        ProcessInfo.processInfo.environment["STACK_REQUIRE_PHOENIX"] == "1"
    }
}
