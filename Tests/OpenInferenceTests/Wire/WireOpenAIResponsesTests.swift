import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: OpenAI Responses")
struct WireOpenAIResponsesTests {
    static let url = "https://api.openai.com/v1/responses"

    @Test("Instructions and a string input become system and user messages; reasoning, text and usage details come from the output")
    func plain() async throws {
        let request =
            #"{"model":"o4-mini","instructions":"Be brief.","input":"Why is the sky blue?","reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"],"tools":[{"type":"function","name":"search","parameters":{"type":"object"}}]}"#
        let response = #"""
            {"id":"resp_1","object":"response","status":"completed","model":"o4-mini-2025-04-16","output":[{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Rayleigh."},{"type":"summary_text","text":"Short waves."}],"encrypted_content":"enc-123"},{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Rayleigh scattering.","annotations":[]}]}],"usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":4},"output_tokens":30,"output_tokens_details":{"reasoning_tokens":16},"total_tokens":50}}
            """#
        let span = try await CannedExchange(url: Self.url, request: request, response: [response]).record().only(kind: .llm)
        #expect(span.operationName == "Response")
        #expect(span.attribute("llm.system") == "openai")
        #expect(
            span.jsonAttribute("llm.invocation_parameters") == [
                "model": "o4-mini", "reasoning": ["effort": "low", "summary": "auto"], "include": ["reasoning.encrypted_content"],
            ])
        #expect(span.jsonAttribute("llm.tools.0.tool.json_schema")?.member("name") == "search")
        #expect(span.attribute("llm.input_messages.0.message.role") == "system")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.attribute("llm.input_messages.1.message.role") == "user")
        #expect(span.attribute("llm.input_messages.1.message.content") == "Why is the sky blue?")
        #expect(span.attribute("llm.model_name") == "o4-mini-2025-04-16")
        #expect(span.attribute("llm.output_messages.0.message.role") == "assistant")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.type") == "reasoning")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Rayleigh.\nShort waves.")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.encrypted_content") == "enc-123")
        #expect(span.attribute("llm.output_messages.1.message.contents.0.message_content.type") == "text")
        #expect(span.attribute("llm.output_messages.1.message.contents.0.message_content.text") == "Rayleigh scattering.")
        #expect(span.intAttribute("llm.token_count.prompt") == 20)
        #expect(span.intAttribute("llm.token_count.completion") == 30)
        #expect(span.intAttribute("llm.token_count.total") == 50)
        #expect(span.intAttribute("llm.token_count.completion_details.reasoning") == 16)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 4)
    }

    @Test("Input items: messages, function_call as an assistant tool call, function_call_output as a tool message; output function calls")
    func toolItems() async throws {
        let request =
            #"{"model":"gpt-4.1","input":[{"role":"user","content":[{"type":"input_text","text":"Weather?"}]},{"type":"function_call","call_id":"call_1","name":"weather","arguments":"{\"city\":\"Oslo\"}"},{"type":"function_call_output","call_id":"call_1","output":"-3°C"}]}"#
        let response =
            #"{"id":"resp_2","model":"gpt-4.1","tools":[{"type":"function","name":"time","parameters":{"type":"object"},"strict":true}],"output":[{"type":"function_call","id":"fc_2","call_id":"call_2","name":"time","arguments":"{}"}]}"#
        let span = try await CannedExchange(url: Self.url, request: request, response: [response]).record().only(kind: .llm)
        #expect(span.attribute("llm.input_messages.0.message.contents.0.message_content.text") == "Weather?")
        #expect(span.attribute("llm.input_messages.1.message.role") == "assistant")
        #expect(span.attribute("llm.input_messages.1.message.tool_calls.0.tool_call.id") == "call_1")
        #expect(span.attribute("llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.input_messages.2.message.role") == "tool")
        #expect(span.attribute("llm.input_messages.2.message.tool_call_id") == "call_1")
        #expect(span.attribute("llm.input_messages.2.message.content") == "-3°C")
        #expect(span.attribute("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "call_2")
        #expect(span.attribute("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "time")
        #expect(span.jsonAttribute("llm.tools.0.tool.json_schema")?.member("strict") == true)
    }

    @Test("A stream is recorded from response.completed, with the first-token event at the first delta")
    func stream() async throws {
        let events = [
            #"{"type":"response.created","response":{"id":"resp_3","model":"gpt-4.1","output":[]}}"#,
            #"{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_3","type":"message","role":"assistant","content":[]}}"#,
            #"{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hel"}"#,
            #"{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"lo"}"#,
            #"{"type":"response.completed","response":{"id":"resp_3","model":"gpt-4.1","output":[{"id":"msg_3","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello"}]}],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}"#,
        ]
        let span = try await CannedExchange.stream(url: Self.url, request: #"{"model":"gpt-4.1","input":"Hi","stream":true}"#, events: events)
            .record().only(kind: .llm)
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Hello")
        #expect(span.intAttribute("llm.token_count.total") == 4)
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("A stream that breaks off records the text deltas of the message in progress")
    func streamBrokenOff() async throws {
        let events = [
            #"{"type":"response.created","response":{"id":"resp_4","model":"gpt-4.1","output":[]}}"#,
            #"{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_4","type":"message","role":"assistant","content":[]}}"#,
            #"{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Partial"}"#,
        ]
        let span = try await CannedExchange.stream(url: Self.url, request: #"{"model":"gpt-4.1","input":"Hi","stream":true}"#, events: events)
            .record(until: .fail(CancellationError())).only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Partial")
        #expect(span.status?.code == .error)
    }

    @Test("A response.failed event ends the span as an error with the response's message")
    func streamFailed() async throws {
        let events = [
            #"{"type":"response.created","response":{"id":"resp_5","model":"gpt-4.1","output":[]}}"#,
            #"{"type":"response.failed","response":{"id":"resp_5","model":"gpt-4.1","status":"failed","error":{"code":"server_error","message":"The model crashed."},"output":[]}}"#,
        ]
        let span = try await CannedExchange.stream(url: Self.url, request: #"{"model":"gpt-4.1","input":"Hi","stream":true}"#, events: events)
            .record().only(kind: .llm)
        #expect(span.status?.code == .error)
        #expect(span.status?.message == "the stream sent an error: The model crashed.")
        #expect(span.attribute("llm.model_name") == "gpt-4.1")
    }
}
