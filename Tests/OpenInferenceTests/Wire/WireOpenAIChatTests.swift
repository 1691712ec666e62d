import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: OpenAI Chat Completions")
struct WireOpenAIChatTests {
    static let toolRequest = #"""
        {"model":"gpt-4o-mini","temperature":0.2,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather in Oslo?"},{"type":"image_url","image_url":{"url":"https://example.com/oslo.png"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"-3°C"}],"tools":[{"type":"function","function":{"name":"weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
        """#

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
        #expect(span.attribute("stack.recording_issue") == nil)
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
