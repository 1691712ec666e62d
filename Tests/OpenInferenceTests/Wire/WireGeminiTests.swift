import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: Gemini generateContent")
struct WireGeminiTests {
    static let base = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
    static let request = #"""
        {"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Weather in Oslo?"}]},{"role":"model","parts":[{"functionCall":{"name":"weather","args":{"city":"Oslo"}},"thoughtSignature":"c2ln"}]},{"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"temp":-3}}}]}],"tools":[{"functionDeclarations":[{"name":"weather","description":"Current weather","parameters":{"type":"OBJECT"}}]}],"generationConfig":{"temperature":0.1,"thinkingConfig":{"includeThoughts":true}}}
        """#

    @Test(
        "The request: system instruction first, function responses as tool messages, declarations as tools, generationConfig as parameters, the model from the path"
    )
    func request() async throws {
        let response =
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Cold."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":2,"totalTokenCount":14},"modelVersion":"gemini-2.5-flash-001"}"#
        let span = try await CannedExchange(url: Self.base + ":generateContent", request: Self.request, response: [response]).record().only(
            kind: .llm)
        #expect(span.operationName == "GenerateContent")
        #expect(span.attribute("llm.provider") == "google")
        #expect(span.attribute("llm.system") == nil)
        #expect(span.jsonAttribute("llm.invocation_parameters") == ["temperature": 0.1, "thinkingConfig": ["includeThoughts": true]])
        #expect(span.attribute("llm.input_messages.0.message.role") == "system")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Be brief.")
        #expect(span.attribute("llm.input_messages.1.message.content") == "Weather in Oslo?")
        #expect(span.attribute("llm.input_messages.2.message.role") == "model")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.name") == "weather")
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(span.attribute("llm.input_messages.2.message.tool_calls.0.tool_call.reasoning_signature") == "c2ln")
        #expect(span.attribute("llm.input_messages.3.message.role") == "tool")
        #expect(span.attribute("llm.input_messages.3.message.name") == "weather")
        #expect(span.attribute("llm.input_messages.3.message.content") == #"{"temp":-3}"#)
        #expect(
            span.jsonAttribute("llm.tools.0.tool.json_schema") == [
                "name": "weather", "description": "Current weather", "parameters": ["type": "OBJECT"],
            ])
        #expect(span.attribute("llm.model_name") == "gemini-2.5-flash-001")
        #expect(span.attribute("llm.output_messages.0.message.role") == "model")
        #expect(span.attribute("llm.output_messages.0.message.content") == "Cold.")
        #expect(span.attribute("llm.finish_reason") == "STOP")
        #expect(span.intAttribute("llm.token_count.prompt") == 12)
        #expect(span.intAttribute("llm.token_count.total") == 14)
    }

    @Test("Thought parts become reasoning parts with their signature; thought tokens count in the completion")
    func thoughts() async throws {
        let response =
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Considering Oslo.","thought":true,"thoughtSignature":"dGhvdWdodA=="},{"text":"Cold."}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":4,"candidatesTokenCount":2,"thoughtsTokenCount":8,"totalTokenCount":20}}"#
        let span = try await CannedExchange(url: Self.base + ":generateContent", request: Self.request, response: [response]).record().only(
            kind: .llm)
        let contents = "llm.output_messages.0.message.contents"
        #expect(span.attribute("\(contents).0.message_content.type") == "reasoning")
        #expect(span.attribute("\(contents).0.message_content.text") == "Considering Oslo.")
        #expect(span.attribute("\(contents).0.message_content.signature") == "dGhvdWdodA==")
        #expect(span.attribute("\(contents).1.message_content.text") == "Cold.")
        #expect(span.intAttribute("llm.token_count.completion") == 10)
        #expect(span.intAttribute("llm.token_count.completion_details.reasoning") == 8)
        #expect(span.intAttribute("llm.token_count.prompt_details.cache_read") == 4)
        #expect(span.intAttribute("llm.token_count.total") == 20)
    }

    static let chunks = [
        #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Col"}]},"index":0}],"modelVersion":"gemini-2.5-flash"}"#,
        #"{"candidates":[{"content":{"role":"model","parts":[{"text":"d."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},"modelVersion":"gemini-2.5-flash"}"#,
    ]

    @Test("A stream with alt=sse joins the text pieces of a candidate and takes the last chunk's usage")
    func sseStream() async throws {
        let span = try await CannedExchange.stream(url: Self.base + ":streamGenerateContent?alt=sse", request: Self.request, events: Self.chunks)
            .record().only(kind: .llm)
        #expect(span.operationName == "GenerateContentStream")
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.attribute("llm.output_messages.0.message.content") == "Cold.")
        #expect(span.attribute("llm.finish_reason") == "STOP")
        #expect(span.intAttribute("llm.token_count.total") == 7)
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("A stream without alt=sse arrives as one JSON array and is merged the same way")
    func arrayStream() async throws {
        let body = "[" + Self.chunks.joined(separator: ",\r\n") + "]"
        let span = try await CannedExchange(
            url: Self.base + ":streamGenerateContent", request: Self.request, response: [String(body.prefix(50)), String(body.dropFirst(50))]
        )
        .record().only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.content") == "Cold.")
        #expect(span.intAttribute("llm.token_count.total") == 7)
    }
}
