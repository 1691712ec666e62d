import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: Anthropic Messages")
struct WireAnthropicTests {
    static let url = "https://api.anthropic.com/v1/messages"
    static let request = #"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.","thinking":{"type":"enabled","budget_tokens":512},"tools":[{"name":"weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"messages":[{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Oslo"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"-3°C"},{"type":"text","text":"And tomorrow?"}]}]}
        """#

    @Test("The request: system first, tool results as tool messages, tool_use as tool calls, parameters without model, system, messages and tools")
    func request() async throws {
        let response =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Cold."}],"stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":3}}"#
        let span = try await CannedExchange(url: Self.url, request: Self.request, response: [response]).record().only(kind: .llm)
        #expect(span.operationName == "messages.create")
        #expect(span.attribute("llm.system") == "anthropic")
        #expect(span.attribute("llm.provider") == "anthropic")
        #expect(span.attribute("llm.request.model_name") == "claude-sonnet-4-5")
        #expect(span.attribute("llm.response.model_name") == "claude-sonnet-4-5-20250929")
        #expect(span.attribute("llm.model_name") == "claude-sonnet-4-5-20250929")
        #expect(span.jsonAttribute("llm.invocation_parameters") == ["max_tokens": 1024, "thinking": ["type": "enabled", "budget_tokens": 512]])
        #expect(span.attribute("llm.input_messages.0.message.role") == "system")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.attribute("llm.input_messages.1.message.content") == "Weather in Oslo?")
        #expect(span.attribute("llm.input_messages.2.message.contents.0.message_content.text") == "Checking.")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.id") == "toolu_1")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        // The tool_use block is also the message's second part, as in Python's instrumentor.
        #expect(span.attribute("llm.input_messages.2.message.contents.1.message_content.type") == "tool_use")
        #expect(span.attribute("llm.input_messages.2.message.contents.1.tool_call.id") == "toolu_1")
        #expect(span.attribute("llm.input_messages.2.message.contents.1.tool_call.function.name") == "weather")
        #expect(span.attribute("llm.input_messages.2.message.contents.1.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.input_messages.3.message.role") == "tool")
        #expect(span.attribute("llm.input_messages.3.message.tool_call_id") == "toolu_1")
        #expect(span.attribute("llm.input_messages.3.message.content") == "-3°C")
        #expect(span.attribute("llm.input_messages.4.message.role") == "user")
        #expect(span.attribute("llm.input_messages.4.message.contents.0.message_content.text") == "And tomorrow?")
        #expect(span.jsonAttribute("llm.tools.0.tool.json_schema")?.member("name") == "weather")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Cold.")
        #expect(span.attribute("llm.finish_reason") == "end_turn")
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("Thinking and redacted thinking become reasoning parts, tool_use a tool call, and cached tokens count in the prompt")
    func reasoningAndCache() async throws {
        let response = #"""
            {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"thinking","thinking":"The user wants weather.","signature":"sig-abc"},{"type":"redacted_thinking","data":"opaque-xyz"},{"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Oslo"}}],"stop_reason":"tool_use","usage":{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":40}}
            """#
        let span = try await CannedExchange(url: Self.url, request: Self.request, response: [response]).record().only(kind: .llm)
        let contents = "llm.output_messages.0.message.contents"
        #expect(span.attribute("\(contents).0.message_content.type") == "reasoning")
        #expect(span.attribute("\(contents).0.message_content.text") == "The user wants weather.")
        #expect(span.attribute("\(contents).0.message_content.signature") == "sig-abc")
        #expect(span.attribute("\(contents).1.message_content.type") == "reasoning")
        #expect(span.attribute("\(contents).1.message_content.data") == "opaque-xyz")
        #expect(span.attribute("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "weather")
        #expect(span.attribute("\(contents).2.message_content.type") == "tool_use")
        #expect(span.attribute("\(contents).2.tool_call.id") == "toolu_2")
        #expect(span.attribute("llm.finish_reason") == "tool_use")
        #expect(span.intAttribute("llm.token_count.prompt") == 1250)
        #expect(span.intAttribute("llm.token_count.completion") == 40)
        #expect(span.intAttribute("llm.token_count.total") == 1290)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 1000)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_write") == 200)
    }

    @Test("A block with no keys of its own is a part of its type holding the block as JSON, base64 data redacted; indices follow the blocks")
    func otherBlocks() async throws {
        let request = #"""
            {"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}},{"type":"image","source":{"type":"file","file_id":"file_1"}},{"type":"text","text":"Summarise."}]}]}
            """#
        let response =
            #"{"id":"msg_4","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},{"type":"text","text":"Done."}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":2}}"#
        let span = try await CannedExchange(url: Self.url, request: request, response: [response]).record().only(kind: .llm)
        let input = "llm.input_messages.0.message.contents"
        #expect(span.attribute("\(input).0.message_content.type") == "document")
        let document = try #require(span.jsonAttribute("\(input).0.message_content.text"))
        #expect(document.member("source")?.member("data") == "__REDACTED__")
        #expect(document.member("source")?.member("media_type") == "application/pdf")
        #expect(span.attribute("\(input).1.message_content.type") == "image")
        #expect(span.jsonAttribute("\(input).1.message_content.text")?.member("source")?.member("file_id") == "file_1")
        #expect(span.attribute("\(input).2.message_content.text") == "Summarise.")
        let output = "llm.output_messages.0.message.contents"
        #expect(span.attribute("\(output).0.message_content.type") == "web_search_tool_result")
        #expect(span.attribute("\(output).1.message_content.text") == "Done.")
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test(
        "A stream: message_start's usage, blocks joined from their deltas (thinking, signature, text, tool input JSON), message_delta's stop reason")
    func stream() async throws {
        let events = [
            #"{"type":"message_start","message":{"id":"msg_3","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":20,"cache_read_input_tokens":5,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-1"}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}"#,
            #"{"type":"content_block_stop","index":1}"#,
            #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_3","name":"weather","input":{}}}"#,
            #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\": "}}"#,
            #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"Oslo\"}"}}"#,
            #"{"type":"content_block_stop","index":2}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}"#,
            #"{"type":"message_stop"}"#,
        ]
        let span = try await CannedExchange.stream(url: Self.url, request: Self.request, events: events).record().only(kind: .llm)
        let message = "llm.output_messages.0.message"
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.attribute("\(message).contents.0.message_content.type") == "reasoning")
        #expect(span.attribute("\(message).contents.0.message_content.text") == "Let me think.")
        #expect(span.attribute("\(message).contents.0.message_content.signature") == "sig-1")
        #expect(span.attribute("\(message).contents.1.message_content.text") == "Hello")
        #expect(span.attribute("\(message).tool_calls.0.tool_call.id") == "toolu_3")
        #expect(span.attribute("\(message).contents.2.message_content.type") == "tool_use")
        #expect(span.attribute("\(message).contents.2.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("\(message).tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.finish_reason") == "tool_use")
        #expect(span.intAttribute("llm.token_count.prompt") == 25)
        #expect(span.intAttribute("llm.token_count.completion") == 30)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 5)
        #expect(span.jsonAttribute("output.value")?.member("stop_reason") == "tool_use")
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("An error event in the middle of a stream ends the span as an error, with the text that arrived before it")
    func streamErrorEvent() async throws {
        let events = [
            #"{"type":"message_start","message":{"id":"msg_4","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}"#,
            #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ]
        let span = try await CannedExchange.stream(url: Self.url, request: Self.request, events: events).record().only(kind: .llm)
        #expect(span.status?.code == .error)
        #expect(span.status?.message == "the stream sent an error: Overloaded")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Partial")
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }
}
