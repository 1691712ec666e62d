import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackLLM
import StackTestSupport
import Testing
import Tracing

@Suite("OpenAI-compatible client")
struct LLMClientTests {
    static let answer = #"""
        {"id":"c1","model":"scripted-1","choices":[{"index":0,"finish_reason":"stop",
        "message":{"role":"assistant","content":"SQLite is embedded."}}],
        "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}
        """#

    @Test("A chat call is an LLM span with model, parameters, messages, reply and token counts")
    func chatIsTraced() async throws {
        let server = ScriptedHTTPServer([.json(Self.answer)])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        let response = try await withTracer(StackTracer(processor: recorder)) {
            try await client.chat(ChatRequest(messages: [.user("What is SQLite?")], temperature: 0.1, maxTokens: 32))
        }
        #expect(response.message.content == "SQLite is embedded.")
        #expect(response.usage?.total == 16)
        let span = try #require(recorder.spans.first)
        #expect(span.attributes.get("openinference.span.kind") == .string("LLM"))
        #expect(span.attributes.get("llm.model_name") == .string("scripted-1"))
        // As the reference instrumentation: the request without messages and tools, the model included.
        #expect(span.attributes.get("llm.invocation_parameters") == .string(#"{"max_tokens":32,"model":"scripted","temperature":0.1}"#))
        #expect(span.attributes.get("llm.finish_reason") == .string("stop"))
        #expect(span.attributes.get("output.mime_type") == .string("application/json"))
        #expect(span.status?.code == .ok)
        #expect(span.attributes.get("llm.input_messages.0.message.content") == .string("What is SQLite?"))
        #expect(span.attributes.get("llm.output_messages.0.message.content") == .string("SQLite is embedded."))
        #expect(span.attributes.get("llm.token_count.prompt") == .int64(12))
        #expect(span.attributes.get("llm.token_count.total") == .int64(16))

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == "Bearer sk-test-secret")
        #expect(sent.headers["traceparent"]?.contains(span.context.traceIDHex) == true)
        #expect(sent.json?["max_tokens"] as? Int == 32)
        #expect(sent.json?["model"] as? String == "scripted")
        var recorded: [String] = []
        span.attributes.forEach { key, value in recorded.append("\(key)=\(value)") }
        #expect(!recorded.joined().contains("sk-test-secret"))
    }

    @Test("Tool calls in the answer are decoded and recorded on the span")
    func toolCallsAreDecoded() async throws {
        let body = #"""
            {"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
            "tool_calls":[{"id":"call_1","type":"function","function":{"name":"now","arguments":"{}"}}]}}]}
            """#
        let server = ScriptedHTTPServer([.json(body)])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        let tool = LLMToolDefinition(name: "now", description: "Current time", parameters: ["type": "object"])
        let response = try await withTracer(StackTracer(processor: recorder)) {
            try await client.chat(ChatRequest(messages: [.user("time?")], tools: [tool], toolChoice: .auto))
        }
        #expect(response.message.toolCalls == [LLMToolCall(id: "call_1", name: "now", arguments: "{}")])
        #expect(response.finishReason == "tool_calls")
        let span = try #require(recorder.spans.first)
        #expect(span.attributes.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == .string("now"))
        #expect(span.attributes.get("llm.tools.0.tool.json_schema") != nil)
        let sentTools = server.requests.first?.json?["tools"] as? [[String: Any]]
        #expect(sentTools?.count == 1)
        #expect(server.requests.first?.json?["tool_choice"] as? String == "auto")
    }

    @Test("A streamed answer is assembled from deltas, with the reference's first-token event and final usage")
    func streamingAssemblesDeltas() async throws {
        let server = ScriptedHTTPServer([
            .events([
                #"{"model":"scripted-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#,
                #"{"choices":[{"index":0,"delta":{"content":"lo"}}]}"#,
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c9","function":{"name":"now","arguments":"{\"tz\":"}}]}}]}"#,
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"UTC\"}"}}]},"finish_reason":"tool_calls"}]}"#,
                #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"#,
            ])
        ])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        let pieces = PieceCollector()
        let response = try await withTracer(StackTracer(processor: recorder)) {
            try await client.chatStream(ChatRequest(messages: [.user("hi")])) { await pieces.add($0) }
        }
        #expect(await pieces.all == ["Hel", "lo"])
        #expect(response.message.content == "Hello")
        #expect(response.message.toolCalls == [LLMToolCall(id: "c9", name: "now", arguments: #"{"tz":"UTC"}"#)])
        #expect(response.usage?.total == 8)
        let sent = try #require(server.requests.first?.json)
        #expect(sent["stream"] as? Bool == true)
        #expect((sent["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        let span = try #require(recorder.spans.first)
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.status?.code == .ok)
        // The merged stream is recorded as one completion, as the reference instrumentation does.
        let output = try #require(span.attributes.get("output.value").flatMap { if case .string(let s) = $0 { s } else { nil } })
        #expect(output.contains(#""content":"Hello""#))
        #expect(span.attributes.get("output.mime_type") == .string("application/json"))
        #expect(span.attributes.get("llm.token_count.completion") == .int64(3))
    }

    @Test("A stream cut before [DONE] is a typed error on an ERROR span")
    func truncatedStreamFails() async throws {
        let server = ScriptedHTTPServer([
            .events([#"{"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#], done: false)
        ])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        _ = await withTracer(StackTracer(processor: recorder)) {
            await #expect(throws: LLMClientError.truncatedStream(received: 1)) {
                try await client.chatStream(ChatRequest(messages: [.user("hi")]))
            }
        }
        #expect(recorder.spans.first?.status?.code == .error)
    }

    @Test("429 with Retry-After and a 503 are retried; the call then succeeds")
    func retriesHonourRetryAfter() async throws {
        let server = ScriptedHTTPServer([
            .json(#"{"error":{"message":"slow down"}}"#, status: 429, headers: [("Retry-After", "0")]),
            .json(#"{"error":{"message":"overloaded"}}"#, status: 503),
            .json(Self.answer),
        ])
        let client = try await makeClient(server)
        let response = try await client.chat(ChatRequest(messages: [.user("hi")]))
        #expect(response.message.content == "SQLite is embedded.")
        #expect(server.requests.count == 3)
    }

    @Test("A 401 is not retried and its error says to check the key, without the key")
    func unauthorizedIsClear() async throws {
        let server = ScriptedHTTPServer([.json(#"{"error":{"message":"invalid api key"}}"#, status: 401)])
        let client = try await makeClient(server)
        do {
            _ = try await client.chat(ChatRequest(messages: [.user("hi")]))
            Issue.record("a 401 did not throw")
        } catch let error as LLMClientError {
            #expect(error == .httpStatus(401, url: server.requests[0].fullURL(client), message: "invalid api key"))
            #expect(error.description.contains("check OPENAI_API_KEY"))
            #expect(!error.description.contains("sk-test-secret"))
        }
        #expect(server.requests.count == 1)
    }

    @Test("A body that is not a chat completion is a malformed-response error")
    func malformedBody() async throws {
        let server = ScriptedHTTPServer([.json("<html>proxy error</html>")])
        let client = try await makeClient(server)
        await #expect {
            _ = try await client.chat(ChatRequest(messages: [.user("hi")]))
        } throws: { error in
            guard case LLMClientError.malformedResponse = error else { return false }
            return true
        }
    }

    @Test("A refused connection is retried, then reported as a connection failure")
    func connectionRefused() async throws {
        var configuration = LLMClientConfiguration(baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: "m")
        configuration.maxRetries = 1
        configuration.initialBackoff = .milliseconds(10)
        let client = LLMClient(configuration: configuration)
        await #expect {
            _ = try await client.chat(ChatRequest(messages: [.user("hi")]))
        } throws: { error in
            guard case LLMClientError.connectionFailed = error else { return false }
            return String(describing: error).contains("is it running?")
        }
    }

    @Test("A model slower than the timeout is a timedOut error on an ERROR span")
    func slowModelTimesOut() async throws {
        let server = ScriptedHTTPServer([
            ScriptedHTTPServer.Reply.json(#"{"choices":[{"message":{"role":"assistant","content":"late"}}]}"#).delayed(by: .seconds(3))
        ])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "m", timeout: .milliseconds(200), maxRetries: 0))
        let recorder = InMemorySpanRecorder()
        _ = await withTracer(StackTracer(processor: recorder)) {
            await #expect {
                _ = try await client.chat(ChatRequest(messages: [.user("hi")]))
            } throws: { error in
                guard case LLMClientError.timedOut = error else { return false }
                return true
            }
        }
        let span = try #require(recorder.spans.first)
        #expect(span.status?.code == .error)
        #expect(span.events.contains { $0.name == "exception" })
    }

    @Test("Embeddings are an EMBEDDING span; per-token vectors are mean-pooled")
    func embeddingsArePooled() async throws {
        let body = #"""
            {"data":[{"index":0,"embedding":[[1.0,2.0],[3.0,4.0]]},{"index":1,"embedding":[0.5,0.5]}],
             "usage":{"prompt_tokens":3,"total_tokens":3}}
            """#
        let server = ScriptedHTTPServer([.json(body)])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        let vectors = try await withTracer(StackTracer(processor: recorder)) {
            try await client.embed(["a b", "c"])
        }
        #expect(vectors == [[2.0, 3.0], [0.5, 0.5]])
        let span = try #require(recorder.spans.first)
        #expect(span.attributes.get("openinference.span.kind") == .string("EMBEDDING"))
        #expect(span.attributes.get("embedding.model_name") == .string("scripted-embed"))
        #expect(span.attributes.get("embedding.embeddings.1.embedding.text") == .string("c"))
        #expect(span.attributes.get("embedding.embeddings.0.embedding.vector") == .doubleArray([2.0, 3.0]))
    }

    @Test("OPENAI_* variables configure the client; a bad base URL is refused clearly")
    func environmentConfiguration() throws {
        let config = try LLMClientConfiguration.fromEnvironment([
            "OPENAI_BASE_URL": "http://localhost:8080/v1",
            "OPENAI_API_KEY": "sk-x",
            "OPENAI_MODEL": "smollm2",
            "OPENAI_TIMEOUT": "2.5",
        ])
        #expect(config.baseURL.absoluteString == "http://localhost:8080/v1")
        #expect(config.apiKey == "sk-x")
        #expect(config.model == "smollm2")
        #expect(config.timeout == .milliseconds(2500))
        #expect(throws: LLMClientError.self) { try LLMClientConfiguration.fromEnvironment(["OPENAI_BASE_URL": "localhost"]) }
    }

    @Test("With the latest GenAI conventions a stream records its time to first chunk; by default it does not", arguments: [true, false])
    func streamRecordsTimeToFirstChunk(latest: Bool) async throws {
        let server = ScriptedHTTPServer([
            .events([
                #"{"model":"scripted-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}"#
            ])
        ])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        var config = TraceConfig()
        config.enableGenAISemanticConventions = true
        config.genAILatestExperimental = latest
        _ = try await withTracer(StackTracer(processor: recorder)) {
            try await withTraceConfig(config) {
                try await client.chatStream(ChatRequest(messages: [.user("hi")])) { _ in }
            }
        }
        let span = try #require(recorder.spans.first)
        if latest {
            guard case .double(let seconds)? = span.attributes.get("gen_ai.response.time_to_first_chunk") else {
                Issue.record("no gen_ai.response.time_to_first_chunk")
                return
            }
            #expect(seconds >= 0 && seconds < 30)
        } else {
            #expect(span.attributes.get("gen_ai.response.time_to_first_chunk") == nil)
        }
    }

    @Test("Hidden input images are redacted inside input.value too, while the server gets them whole")
    func imagesInTheRecordedBodyFollowMasking() async throws {
        let server = ScriptedHTTPServer([.json(Self.answer)])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        var config = TraceConfig()
        config.hideInputImages = true
        let image = "data:image/png;base64,iVBORw0KGgo"
        _ = try await withTracer(StackTracer(processor: recorder)) {
            try await withTraceConfig(config) {
                try await client.chat(ChatRequest(messages: [LLMMessage(role: "user", contents: [.text("what is it?"), .image(url: image)])]))
            }
        }
        let span = try #require(recorder.spans.first)
        guard case .string(let input)? = span.attributes.get("input.value") else {
            Issue.record("no input.value")
            return
        }
        #expect(input.contains("__REDACTED__"))
        #expect(!input.contains("iVBORw0KGgo"))
        #expect(span.attributes.get("llm.input_messages.0.message.contents.1.message_content.image.image.url") == nil)
        #expect(server.requests.first?.body.contains("iVBORw0KGgo") == true)
    }

    @Test("An embeddings call is a CreateEmbeddings span with its request, parameters and the answering model")
    func embeddingSpanReadsLikeTheReference() async throws {
        let server = ScriptedHTTPServer([
            .json(#"{"model":"embed-1","data":[{"index":0,"embedding":[0.5,0.25]}],"usage":{"prompt_tokens":3,"total_tokens":3}}"#)
        ])
        let client = try await makeClient(server)
        let recorder = InMemorySpanRecorder()
        _ = try await withTracer(StackTracer(processor: recorder)) { try await client.embed(["hello"]) }
        let span = try #require(recorder.spans.first)
        #expect(span.name == "CreateEmbeddings")
        #expect(span.attributes.get("embedding.invocation_parameters") == .string(#"{"encoding_format":"float","model":"scripted-embed"}"#))
        #expect(span.attributes.get("input.value") == .string(#"{"encoding_format":"float","input":["hello"],"model":"scripted-embed"}"#))
        #expect(span.attributes.get("embedding.model_name") == .string("embed-1"))
        #expect(span.attributes.get("llm.system") == .string("openai"))
        #expect(span.attributes.get("output.mime_type") == .string("application/json"))
        #expect(span.status?.code == .ok)
    }

    private func makeClient(_ server: ScriptedHTTPServer) async throws -> LLMClient {
        let url = try await server.start()
        return LLMClient(
            configuration: LLMClientConfiguration(
                baseURL: url,
                apiKey: "sk-test-secret",
                model: "scripted",
                embeddingModel: "scripted-embed",
                initialBackoff: .milliseconds(10)
            )
        )
    }
}

actor PieceCollector {
    private(set) var all: [String] = []
    func add(_ piece: String) { all.append(piece) }
}

extension ScriptedHTTPServer.Request {
    func fullURL(_ client: LLMClient) -> String {
        var base = client.configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path.dropFirst("/v1".count)
    }
}

@Suite("Rerank endpoint")
struct RerankTests {
    @Test("Rerank sends the query and documents and returns them best first")
    func rerankOrdersByScore() async throws {
        let server = ScriptedHTTPServer([
            .json(#"{"results":[{"index":0,"relevance_score":0.1},{"index":2,"relevance_score":0.9},{"index":1,"relevance_score":0.5}]}"#)
        ])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "m"))
        let results = try await client.rerank(query: "q", documents: ["a", "b", "c"], model: "reranker", topN: 3)
        #expect(results.map(\.index) == [2, 1, 0])
        #expect(results.first?.relevanceScore == 0.9)
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/rerank")
        #expect(sent.json?["documents"] as? [String] == ["a", "b", "c"])
        #expect(sent.json?["top_n"] as? Int == 3)
    }

    @Test("A rerank answer pointing at a document that was not sent is rejected")
    func rerankRejectsBadIndex() async throws {
        let server = ScriptedHTTPServer([.json(#"{"results":[{"index":7,"relevance_score":0.1}]}"#)])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "m"))
        await #expect(throws: LLMClientError.self) { try await client.rerank(query: "q", documents: ["a"], model: "r") }
    }
}
