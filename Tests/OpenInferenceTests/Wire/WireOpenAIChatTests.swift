import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: OpenAI Chat Completions")
struct WireOpenAIChatTests {
    static let toolRequest = #"""
        {"model":"gpt-4o-mini","temperature":0.2,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather in Oslo?"},{"type":"image_url","image_url":{"url":"https://example.com/oslo.png"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"-3°C"}],"tools":[{"type":"function","function":{"name":"weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
        """#

    @Test("An empty content or text part is recorded as none, as openinference-instrumentation-openai reads it")
    func emptyContentIsNone() async throws {
        let request = #"""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"Hi"}]},{"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{}"}}]}]}
            """#
        let response = #"{"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}"#
        let spans = await CannedExchange(url: "https://api.openai.com/v1/chat/completions", request: request, response: [response]).record()
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("llm.input_messages.0.message.contents.0.message_content.text") == "Hi")
        #expect(span.attribute("llm.input_messages.0.message.contents.1.message_content.type") == nil)
        #expect(span.attribute("llm.input_messages.1.message.content") == nil)
        #expect(span.attribute("llm.input_messages.1.message.tool_calls.0.tool_call.id") == "call_1")
        #expect(span.attribute("llm.output_messages.0.message.content") == nil)
        #expect(span.attribute("llm.output_messages.0.message.role") == "assistant")
    }

    @Test("A plain completion records the request's messages, tools and parameters and the answer's message, usage and finish reason")
    func plainCompletion() async throws {
        let response = #"""
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"It is -3°C."},"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":7,"total_tokens":49,"prompt_tokens_details":{"cached_tokens":10,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":3}}}
            """#
        let spans = await CannedExchange(url: "https://api.openai.com/v1/chat/completions", request: Self.toolRequest, response: [response]).record()
        let span = try spans.only(kind: .llm)
        #expect(span.operationName == "ChatCompletion")
        #expect(span.kind == .client)
        #expect(span.status?.code == .ok)
        #expect(span.attribute("llm.system") == "openai")
        #expect(span.attribute("llm.provider") == "openai")
        #expect(span.attribute("llm.model_name") == "gpt-4o-mini-2024-07-18")
        #expect(span.jsonAttribute("input.value") == (try OpenInferenceJSON.parseForTest(Self.toolRequest)))
        #expect(span.attribute("input.mime_type") == "application/json")
        #expect(span.jsonAttribute("llm.invocation_parameters") == ["model": "gpt-4o-mini", "temperature": 0.2])
        #expect(span.attribute("llm.input_messages.0.message.role") == "system")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.attribute("llm.input_messages.1.message.contents.0.message_content.type") == "text")
        #expect(span.attribute("llm.input_messages.1.message.contents.0.message_content.text") == "Weather in Oslo?")
        #expect(span.attribute("llm.input_messages.1.message.contents.1.message_content.image.image.url") == "https://example.com/oslo.png")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.id") == "call_1")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.name") == "weather")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.input_messages.3.message.role") == "tool")
        #expect(span.attribute("llm.input_messages.3.message.tool_call_id") == "call_1")
        #expect(span.jsonAttribute("llm.tools.0.tool.json_schema")?.member("function")?.member("name") == "weather")
        #expect(span.attribute("llm.output_messages.0.message.role") == "assistant")
        #expect(span.attribute("llm.output_messages.0.message.content") == "It is -3°C.")
        #expect(span.attribute("llm.finish_reason") == "stop")
        #expect(span.intAttribute("llm.token_count.prompt") == 42)
        #expect(span.intAttribute("llm.token_count.completion") == 7)
        #expect(span.intAttribute("llm.token_count.total") == 49)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 10)
        #expect(span.intAttribute("llm.token_count.completion_details.reasoning") == 3)
        #expect(span.attribute("output.value") == response)
        #expect(span.attribute("output.mime_type") == "application/json")
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    static let streamRequest =
        #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}"#

    @Test("A streamed answer is read event by event: first-token event, text joined, usage from the last chunk, merged completion as output")
    func streamedCompletion() async throws {
        let spans = await CannedExchange.stream(
            url: "http://127.0.0.1:8080/v1/chat/completions",
            request: Self.streamRequest,
            events: [
                #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"local","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
                #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"local","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#,
                #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"local","choices":[{"index":0,"delta":{"content":"lo!"},"finish_reason":"stop"}]}"#,
                #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"local","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#,
                "[DONE]",
            ]
        ).record()
        let span = try spans.only(kind: .llm)
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.attribute("llm.provider") == nil)
        #expect(span.attribute("llm.output_messages.0.message.role") == "assistant")
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hello!")
        #expect(span.attribute("llm.finish_reason") == "stop")
        #expect(span.intAttribute("llm.token_count.total") == 7)
        #expect(
            span.jsonAttribute("output.value")?.member("choices") == [
                ["index": 0, "message": ["role": "assistant", "content": "Hello!"], "finish_reason": "stop"]
            ])
        #expect(span.jsonAttribute("llm.invocation_parameters")?.member("stream") == true)
        #expect(span.status?.code == .ok)
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("With the latest GenAI conventions a stream also records its time to first chunk")
    func timeToFirstChunk() async throws {
        var config = TraceConfig()
        config.enableGenAISemanticConventions = true
        config.genAILatestExperimental = true
        let spans = await CannedExchange.stream(
            url: "https://api.openai.com/v1/chat/completions",
            request: Self.streamRequest,
            events: [#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#, "[DONE]"]
        ).record(config: config)
        let span = try spans.only(kind: .llm)
        #expect((span.doubleAttribute("gen_ai.response.time_to_first_chunk") ?? -1) >= 0)
        #expect(span.attribute("gen_ai.operation.name") == "chat")
    }

    @Test("Streamed tool-call fragments are joined by index into whole calls")
    func streamedToolCalls() async throws {
        let spans = await CannedExchange.stream(
            url: "https://api.openai.com/v1/chat/completions",
            request: Self.streamRequest,
            events: [
                #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]}}]}"#,
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}"#,
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"time","arguments":"{}"}}]}}]}"#,
                #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]},"finish_reason":"tool_calls"}]}"#,
                "[DONE]",
            ]
        ).record()
        let span = try spans.only(kind: .llm)
        let prefix = "llm.output_messages.0.message.tool_calls"
        #expect(span.attribute("\(prefix).0.tool_call.id") == "call_a")
        #expect(span.attribute("\(prefix).0.tool_call.function.name") == "weather")
        #expect(span.attribute("\(prefix).0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("\(prefix).1.tool_call.id") == "call_b")
        #expect(span.attribute("\(prefix).1.tool_call.function.name") == "time")
        #expect(span.attribute("llm.output_messages.0.message.content") == nil)
        #expect(span.attribute("llm.finish_reason") == "tool_calls")
    }

    @Test("The legacy function_call of an answer is recorded as message.function_call_name and arguments")
    func legacyFunctionCall() async throws {
        let response =
            #"{"model":"llama","choices":[{"index":0,"message":{"role":"assistant","content":null,"function_call":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}},"finish_reason":"function_call"}]}"#
        let spans = await CannedExchange(url: "http://localhost:8080/v1/chat/completions", request: Self.streamRequest, response: [response]).record()
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.function_call_name") == "weather")
        #expect(span.attribute("llm.output_messages.0.message.function_call_arguments_json") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.finish_reason") == "function_call")
    }

    @Test("An HTTP error status ends the span with status ERROR, an exception event and the API's message")
    func errorStatus() async throws {
        var exchange = CannedExchange(
            url: "https://api.openai.com/v1/chat/completions",
            request: Self.streamRequest,
            response: [#"{"error":{"message":"Invalid value: 'bogus'.","type":"invalid_request_error"}}"#]
        )
        exchange.status = 400
        let span = try await exchange.record().only(kind: .llm)
        #expect(span.status?.code == .error)
        #expect(span.status?.message == "the API answered HTTP 400: Invalid value: 'bogus'.")
        #expect(span.errors.count == 1)
        #expect(span.attribute("output.value") == nil)
        #expect(span.attribute("llm.input_messages.0.message.content") == "Hi")
    }

    @Test("A stream cut short keeps what arrived, with a note; a failure records the error as well")
    func streamCutShort() async throws {
        let events = [#"{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#]
        let stream = CannedExchange.stream(url: "https://api.openai.com/v1/chat/completions", request: Self.streamRequest, events: events)
        let ended = try await stream.record().only(kind: .llm)
        #expect(ended.attribute("llm.output_messages.0.message.content") == "Hel")
        #expect(ended.attribute("openinference.swift.recording_issue")?.contains("without the event that closes it") == true)
        #expect(ended.status?.code == .ok)
        let failed = try await stream.record(until: .fail(CannedFailure())).only(kind: .llm)
        #expect(failed.attribute("llm.output_messages.0.message.content") == "Hel")
        #expect(failed.status?.code == .error)
        #expect(failed.status?.message == "the connection was reset")
        #expect(failed.attribute("openinference.swift.recording_issue")?.contains("broke off after 1 events") == true)
    }
}

extension OpenInferenceJSON {
    func member(_ key: String) -> OpenInferenceJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    static func parseForTest(_ text: String) throws -> OpenInferenceJSON {
        try JSONDecoder().decode(OpenInferenceJSON.self, from: Data(text.utf8))
    }
}

@Suite("Wire recorder: long streams")
struct WireLongStreamTests {
    @Test(
        "Thousands of streamed pieces join into the whole answer, in OpenAI, Anthropic and Gemini shapes",
        arguments: ["openai", "anthropic", "gemini"])
    func longStream(api: String) async throws {
        let pieces = (0..<3000).map { "w\($0) " }
        let url: String
        var events: [String]
        switch api {
        case "openai":
            url = "https://api.openai.com/v1/chat/completions"
            events = pieces.map { #"{"choices":[{"index":0,"delta":{"content":"\#($0)"}}]}"# } + ["[DONE]"]
        case "anthropic":
            url = "https://api.anthropic.com/v1/messages"
            events = [
                #"{"type":"message_start","message":{"role":"assistant","content":[],"usage":{"input_tokens":1}}}"#,
                #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            ]
            events += pieces.map { #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#($0)"}}"# }
            events.append(#"{"type":"message_stop"}"#)
        default:
            url = "https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse"
            events = pieces.map { #"{"candidates":[{"index":0,"content":{"role":"model","parts":[{"text":"\#($0)"}]}}]}"# }
        }
        let span = try await CannedExchange.stream(url: url, request: #"{"model":"m","messages":[]}"#, events: events).record().only(kind: .llm)
        let text =
            span.attribute("llm.output_messages.0.message.content") ?? span.attribute("llm.output_messages.0.message.contents.0.message_content.text")
        #expect(text == pieces.joined())
    }
}
