import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("Span helpers")
struct SpanHelperTests {
    @Test("An LLM span flattens messages, tool calls, tools, parameters and token counts")
    func llmSpanFlattensEverything() async throws {
        let weather = LLMToolDefinition(
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
                    .assistant(nil, toolCalls: [LLMToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Oslo"}"#)]),
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
        #expect(span.openInferenceKind == .llm)
        #expect(span.kind == .client)
        #expect(span.attribute("llm.model_name") == "gpt-test")
        #expect(span.attribute("llm.system") == "openai")
        #expect(span.attribute("llm.provider") == "openai")
        #expect(span.attribute("llm.invocation_parameters") == #"{"max_tokens":64,"temperature":0.5}"#)
        #expect(span.attribute("llm.input_messages.0.message.role") == "system")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.attribute("llm.input_messages.1.message.content") == "Weather in Oslo?")
        #expect(span.attribute("llm.input_messages.2.message.role") == "assistant")
        #expect(span.attribute("llm.input_messages.2.message.content") == nil)
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.id") == "call_1")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.name") == "weather")
        #expect(
            span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#
        )
        #expect(span.attribute("llm.input_messages.3.message.role") == "tool")
        #expect(span.attribute("llm.input_messages.3.message.tool_call_id") == "call_1")
        #expect(span.attribute("llm.input_messages.3.message.name") == "weather")
        #expect(
            span.attribute("llm.tools.0.tool.json_schema")
                == #"{"function":{"description":"Current weather for a city","name":"weather","parameters":{"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"}},"type":"function"}"#
        )
        #expect(span.attribute("llm.output_messages.0.message.role") == "assistant")
        #expect(span.attribute("llm.output_messages.0.message.content") == "It is -3°C in Oslo.")
        #expect(span.attribute("output.value") == "It is -3°C in Oslo.")
        #expect(span.intAttribute("llm.token_count.prompt") == 42)
        #expect(span.intAttribute("llm.token_count.completion") == 9)
        #expect(span.intAttribute("llm.token_count.total") == 51)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 10)
        #expect(span.status?.code == .ok)
    }

    @Test("A throwing body records the exception, sets ERROR and rethrows the same error")
    func throwingBodyMarksSpanAsError() async throws {
        let spans = await recordSpans {
            await #expect(throws: ScriptedFailure.self) {
                try await withLLMSpan(model: "m", messages: [.user("hi")]) { _ in throw ScriptedFailure() }
            }
        }
        let span = try spans.only(kind: .llm)
        #expect(span.status?.code == .error)
        #expect(span.status?.message == "the scripted model refused")
        // The tracer turns the recorded error into its own representation (an `exception` event in
        // OpenTelemetry tracers); the helper's job is to hand it over once.
        #expect(span.errors.count == 1)
        #expect(span.errors.first?.error is ScriptedFailure)
    }

    @Test("Spans nest through task-local context, across child tasks, without passing parents")
    func spansNestAcrossChildTasks() async throws {
        let spans = await recordSpans {
            await withAgentSpan(agentName: "helper", goal: "compare databases") { agent in
                async let first: Void = withToolSpan(tool: "search_docs", arguments: #"{"query":"postgres"}"#) { tool in
                    tool.recordOutput("3 chunks")
                }
                async let second: Void = withRetrieverSpan(query: "sqlite") { retriever in
                    await withEmbeddingSpan(model: "embed", texts: ["sqlite"]) { $0.recordVectors([[0.1, 0.2]]) }
                    retriever.recordDocuments([RetrievalDocument(id: "a", content: "SQLite is a library", score: 0.9)])
                }
                _ = await (first, second)
                agent.recordOutput("Use Postgres.")
            }
        }
        #expect(spans.count == 4)
        let agent = try #require(spans.first { $0.openInferenceKind == .agent })
        let tool = try #require(spans.first { $0.openInferenceKind == .tool })
        let retriever = try #require(spans.first { $0.openInferenceKind == .retriever })
        let embedding = try #require(spans.first { $0.openInferenceKind == .embedding })
        #expect(agent.parentSpanID == nil)
        #expect(tool.parentSpanID == agent.spanID)
        #expect(retriever.parentSpanID == agent.spanID)
        #expect(embedding.parentSpanID == retriever.spanID)
        #expect(Set(spans.map(\.traceID)).count == 1)
        #expect(agent.attribute("input.value") == "compare databases")
        #expect(agent.attribute("agent.name") == "helper")
        // The library writes no key of the application's.
        var applicationKeys: [String] = []
        for span in spans { span.attributes.forEach { key, _ in if key.hasPrefix("stack.") { applicationKeys.append(key) } } }
        #expect(applicationKeys.isEmpty)
        #expect(tool.attribute("tool.name") == "search_docs")
        #expect(tool.operationName == "search_docs")
        #expect(tool.attribute("input.value") == #"{"query":"postgres"}"#)
        #expect(tool.attribute("output.value") == "3 chunks")
        #expect(retriever.attribute("retrieval.documents.0.document.id") == "a")
        #expect(retriever.attribute("retrieval.documents.0.document.content") == "SQLite is a library")
        #expect(retriever.attributes.get("retrieval.documents.0.document.score") == .double(0.9))
        #expect(embedding.attribute("embedding.embeddings.0.embedding.text") == "sqlite")
        #expect(embedding.attributes.get("embedding.embeddings.0.embedding.vector") == .doubleArray([0.1, 0.2]))
    }

    @Test("A reranker span records its query, input and output documents")
    func rerankerSpanRecordsDocuments() async throws {
        let input = [RetrievalDocument(id: "1", content: "a", score: 0.1), RetrievalDocument(id: "2", content: "b", score: 0.2)]
        let spans = await recordSpans {
            await withRerankerSpan(query: "q", model: "rrf", topK: 1, documents: input) { span in
                span.recordOutputDocuments([RetrievalDocument(id: "2", content: "b", score: 0.9, metadata: ["source": "b.md"])])
            }
        }
        let span = try #require(spans.first)
        #expect(span.openInferenceKind == .reranker)
        #expect(span.attribute("reranker.query") == "q")
        #expect(span.attribute("reranker.model_name") == "rrf")
        #expect(span.intAttribute("reranker.top_k") == 1)
        #expect(span.attribute("reranker.input_documents.1.document.id") == "2")
        #expect(span.attribute("reranker.output_documents.0.document.id") == "2")
        #expect(span.attribute("reranker.output_documents.0.document.metadata") == #"{"source":"b.md"}"#)
    }

    @Test("A decision span records the requested and answering model, lowercased vendor names, input, answer and tokens")
    func decisionSpanRecordsModelsAndTokens() async throws {
        let spans = await recordSpans {
            await withDecisionSpan(model: "router", system: "TypeSafe", provider: "TypeSafe", input: ["state": "open"]) { span in
                span.recordResponseModel("router-2025-11")
                span.recordOutput(json: ["choice": "escalate"])
                span.recordTokenCounts(input: 12, output: 3)
            }
        }
        let span = try #require(spans.first)
        #expect(span.openInferenceKind == .decision)
        #expect(span.attribute("decision.request.model_name") == "router")
        #expect(span.attribute("decision.response.model_name") == "router-2025-11")
        #expect(span.attribute("decision.model_name") == "router-2025-11")
        #expect(span.attribute("decision.system") == "typesafe")
        #expect(span.attribute("decision.provider") == "typesafe")
        #expect(span.attribute("input.value") == #"{"state":"open"}"#)
        #expect(span.attribute("output.value") == #"{"choice":"escalate"}"#)
        #expect(span.intAttribute("decision.token_count.input") == 12)
        #expect(span.intAttribute("decision.token_count.output") == 3)
    }

    @Test("Agents that delegate record their graph nodes, the delegate naming its parent")
    func delegatingAgentsRecordGraphNodes() async throws {
        let spans = await recordSpans {
            await withAgentSpan(agentName: "planner", goal: "plan") { planner in
                planner.base.recordGraphNode(id: "planner", name: "Planner")
                await withAgentSpan(agentName: "researcher", goal: "look up") { researcher in
                    researcher.base.recordGraphNode(id: "researcher", name: "Researcher", parentID: "planner")
                }
            }
        }
        let planner = try #require(spans.first { $0.attribute("agent.name") == "planner" })
        let researcher = try #require(spans.first { $0.attribute("agent.name") == "researcher" })
        #expect(planner.attribute("graph.node.id") == "planner")
        #expect(planner.attribute("graph.node.name") == "Planner")
        #expect(planner.attribute("graph.node.parent_id") == nil)
        #expect(researcher.attribute("graph.node.id") == "researcher")
        #expect(researcher.attribute("graph.node.parent_id") == "planner")
    }

    @Test("Every OpenInference kind can be started with the generic helper", arguments: OpenInferenceSpanKind.allCases)
    func genericHelperSetsAnyKind(kind: OpenInferenceSpanKind) async throws {
        let spans = await recordSpans {
            await withOpenInferenceSpan("step", kind: kind) { span in span.recordOutput("done") }
        }
        #expect(spans.first?.openInferenceKind == kind)
        #expect(spans.first?.attribute("output.value") == "done")
    }

    @Test("On another tracer's span, each recording step keeps what came before and a later value wins")
    func recordingStepsMergeInOrder() async throws {
        let spans = await recordSpans {
            await withChainSpan("steps") { span in
                span.base.record { writer in
                    writer.set("step.first", "a")
                    writer.set("step.twice", "early")
                    writer.set("step.twice", "late")
                }
                span.setAttribute("step.second", .int64(2))
                span.setAttribute("step.first", "replaced")
            }
        }
        let span = try #require(spans.first)
        #expect(span.attribute("step.first") == "replaced")
        #expect(span.attribute("step.twice") == "late")
        #expect(span.attributes.get("step.second") == .int64(2))
        #expect(span.openInferenceKind == .chain)
    }

    @Test("A value that is not JSON-encodable is recorded as text with a diagnostic, not a crash")
    func nonEncodableValueIsRecordedAsText() async throws {
        struct Reading: Encodable { var value = Double.nan }
        let spans = await recordSpans {
            await withChainSpan("parse") { span in span.recordOutput(encoding: Reading()) }
        }
        let span = try #require(spans.first)
        #expect(span.attribute("output.mime_type") == "text/plain")
        #expect(span.attribute("output.value")?.contains("nan") == true)
        #expect(span.attribute("openinference.swift.recording_issue")?.contains("could not be encoded as JSON") == true)
    }

    @Test("An encodable value is recorded as sorted JSON")
    func encodableValueIsRecordedAsJSON() async throws {
        struct Query: Encodable {
            var text = "hi"
            var limit = 3
        }
        let spans = await recordSpans {
            await withChainSpan("parse") { span in span.recordInput(encoding: Query()) }
        }
        #expect(spans.first?.attribute("input.value") == #"{"limit":3,"text":"hi"}"#)
        #expect(spans.first?.attribute("input.mime_type") == "application/json")
    }
}
