import OpenInference
import StackTelemetry
import Testing
import Tracing

@Suite("Span helpers")
struct SpanHelperTests {
    @Test("An LLM span flattens messages, tool calls, tools, parameters and token counts")
    func llmSpanFlattensEverything() async throws {
        let weather = ToolDefinition(
            name: "weather",
            description: "Current weather for a city",
            parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
        )
        let spans = await recordSpans {
            await withLLMSpan(
                model: "gpt-test",
                system: "openai",
                provider: "openai",
                messages: [
                    .system("Be brief."),
                    .user("Weather in Oslo?"),
                    .assistant(nil, toolCalls: [ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Oslo"}"#)]),
                    .tool("-3°C", toolCallID: "call_1", name: "weather"),
                ],
                parameters: ["temperature": 0.5, "max_tokens": 64],
                tools: [weather]
            ) { span in
                span.recordOutput(messages: [.assistant("It is -3°C in Oslo.")])
                span.recordTokenUsage(TokenUsage(prompt: 42, completion: 9, promptCacheRead: 10))
            }
        }
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.openInferenceKind == "LLM")
        #expect(span.kind == .client)
        #expect(span.string("llm.model_name") == "gpt-test")
        #expect(span.string("llm.system") == "openai")
        #expect(span.string("llm.provider") == "openai")
        #expect(span.string("llm.invocation_parameters") == #"{"max_tokens":64,"temperature":0.5}"#)
        #expect(span.string("llm.input_messages.0.message.role") == "system")
        #expect(span.string("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.string("llm.input_messages.1.message.content") == "Weather in Oslo?")
        #expect(span.string("llm.input_messages.2.message.role") == "assistant")
        #expect(span.string("llm.input_messages.2.message.content") == nil)
        #expect(span.string("llm.input_messages.2.message.tool_calls.0.tool_call.id") == "call_1")
        #expect(span.string("llm.input_messages.2.message.tool_calls.0.tool_call.function.name") == "weather")
        #expect(
            span.string("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#
        )
        #expect(span.string("llm.input_messages.3.message.role") == "tool")
        #expect(span.string("llm.input_messages.3.message.tool_call_id") == "call_1")
        #expect(span.string("llm.input_messages.3.message.name") == "weather")
        #expect(
            span.string("llm.tools.0.tool.json_schema")
                == #"{"function":{"description":"Current weather for a city","name":"weather","parameters":{"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"}},"type":"function"}"#
        )
        #expect(span.string("llm.output_messages.0.message.role") == "assistant")
        #expect(span.string("llm.output_messages.0.message.content") == "It is -3°C in Oslo.")
        #expect(span.string("output.value") == "It is -3°C in Oslo.")
        #expect(span.int("llm.token_count.prompt") == 42)
        #expect(span.int("llm.token_count.completion") == 9)
        #expect(span.int("llm.token_count.total") == 51)
        #expect(span.int("llm.token_count.prompt_details.cache_read") == 10)
        #expect(span.status == nil)
    }

    @Test("A throwing body records the exception, sets ERROR and rethrows the same error")
    func throwingBodyMarksSpanAsError() async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await #expect(throws: ScriptedFailure.self) {
                try await withLLMSpan(model: "m", messages: [.user("hi")]) { _ in throw ScriptedFailure() }
            }
        }
        let span = try #require(recorder.spans.first)
        #expect(span.status?.code == .error)
        #expect(span.status?.message == "the scripted model refused")
        let exception = try #require(span.events.first { $0.name == "exception" })
        #expect(exception.attributes.get("exception.message") == .string("the scripted model refused"))
        #expect(exception.attributes.get("exception.type") == .string(String(reflecting: ScriptedFailure.self)))
    }

    @Test("Spans nest through task-local context, across child tasks, without passing parents")
    func spansNestAcrossChildTasks() async throws {
        let spans = try await recordSpans {
            try await withAgentSpan(agentName: "helper", goal: "compare databases") { agent in
                async let first: Void = withToolSpan(tool: "search_docs", arguments: #"{"query":"postgres"}"#) { tool in
                    tool.recordOutput("3 chunks")
                }
                async let second: Void = withRetrieverSpan(query: "sqlite", topK: 2) { retriever in
                    try await withEmbeddingSpan(model: "embed", texts: ["sqlite"]) { $0.recordVectors([[0.1, 0.2]]) }
                    retriever.recordDocuments([Document(id: "a", content: "SQLite is a library", score: 0.9)])
                }
                _ = try await (first, second)
                agent.recordOutput("Use Postgres.")
                agent.recordStop(reason: "final_answer", iterations: 1)
            }
        }
        #expect(spans.count == 4)
        let agent = try #require(spans.first { $0.openInferenceKind == "AGENT" })
        let tool = try #require(spans.first { $0.openInferenceKind == "TOOL" })
        let retriever = try #require(spans.first { $0.openInferenceKind == "RETRIEVER" })
        let embedding = try #require(spans.first { $0.openInferenceKind == "EMBEDDING" })
        #expect(agent.parentSpanID == nil)
        #expect(tool.parentSpanID == agent.context.traceContext.spanID)
        #expect(retriever.parentSpanID == agent.context.traceContext.spanID)
        #expect(embedding.parentSpanID == retriever.context.traceContext.spanID)
        #expect(Set(spans.map(\.context.traceIDHex)).count == 1)
        #expect(agent.string("input.value") == "compare databases")
        #expect(agent.string("agent.name") == "helper")
        #expect(agent.string("agent.stop_reason") == "final_answer")
        #expect(agent.int("agent.iterations") == 1)
        #expect(tool.string("tool.name") == "search_docs")
        #expect(tool.name == "search_docs")
        #expect(tool.string("input.value") == #"{"query":"postgres"}"#)
        #expect(tool.string("output.value") == "3 chunks")
        #expect(retriever.int("retrieval.top_k") == 2)
        #expect(retriever.string("retrieval.documents.0.document.id") == "a")
        #expect(retriever.string("retrieval.documents.0.document.content") == "SQLite is a library")
        #expect(retriever.attributes.get("retrieval.documents.0.document.score") == .double(0.9))
        #expect(embedding.string("embedding.embeddings.0.embedding.text") == "sqlite")
        #expect(embedding.attributes.get("embedding.embeddings.0.embedding.vector") == .doubleArray([0.1, 0.2]))
    }

    @Test("A reranker span records its query, input and output documents")
    func rerankerSpanRecordsDocuments() async throws {
        let input = [Document(id: "1", content: "a", score: 0.1), Document(id: "2", content: "b", score: 0.2)]
        let spans = await recordSpans {
            await withRerankerSpan(query: "q", model: "rrf", topK: 1, documents: input) { span in
                span.recordOutputDocuments([Document(id: "2", content: "b", score: 0.9, metadata: ["source": "b.md"])])
            }
        }
        let span = try #require(spans.first)
        #expect(span.openInferenceKind == "RERANKER")
        #expect(span.string("reranker.query") == "q")
        #expect(span.string("reranker.model_name") == "rrf")
        #expect(span.int("reranker.top_k") == 1)
        #expect(span.string("reranker.input_documents.1.document.id") == "2")
        #expect(span.string("reranker.output_documents.0.document.id") == "2")
        #expect(span.string("reranker.output_documents.0.document.metadata") == #"{"source":"b.md"}"#)
    }

    @Test("Every OpenInference kind can be started with the generic helper", arguments: OpenInferenceSpanKind.allCases)
    func genericHelperSetsAnyKind(kind: OpenInferenceSpanKind) async throws {
        let spans = await recordSpans {
            await withOpenInferenceSpan("step", kind: kind) { span in span.recordOutput("done") }
        }
        #expect(spans.first?.openInferenceKind == kind.rawValue)
        #expect(spans.first?.string("output.value") == "done")
    }

    @Test("A value that is not JSON-encodable is recorded as text with a diagnostic, not a crash")
    func nonEncodableValueIsRecordedAsText() async throws {
        struct Reading: Encodable { var value = Double.nan }
        let spans = await recordSpans {
            await withChainSpan("parse") { span in span.recordOutput(encoding: Reading()) }
        }
        let span = try #require(spans.first)
        #expect(span.string("output.mime_type") == "text/plain")
        #expect(span.string("output.value")?.contains("nan") == true)
        #expect(span.string("openinference.recording_issue")?.contains("could not be encoded as JSON") == true)
    }

    @Test("An encodable value is recorded as sorted JSON")
    func encodableValueIsRecordedAsJSON() async throws {
        struct Query: Encodable { var text = "hi"; var limit = 3 }
        let spans = await recordSpans {
            await withChainSpan("parse") { span in span.recordInput(encoding: Query()) }
        }
        #expect(spans.first?.string("input.value") == #"{"limit":3,"text":"hi"}"#)
        #expect(spans.first?.string("input.mime_type") == "application/json")
    }
}
