import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: the JSON it reads")
struct WireJSONParserTests {
    /// Request bodies covering what the parser must read as Foundation's JSON decoding does.
    static let bodies = [
        #"{"model":"m","messages":[{"role":"user","content":"plain"}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"quote \" backslash \\ slash \/ tab \t newline \n"}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"caf\u00e9, \u6771\u4eac, \ud83d\ude00 and ünïcödé as is"}]}"#,
        #"{"model":"m","temperature":0.25,"max_tokens":64,"seed":-7,"top_p":1e-2,"n":1.0,"big":18446744073709551616,"logit_bias":{"50256":-100}}"#,
        #"  {"model" : "m" , "messages" : [ ] , "stop" : [ "\n\n" , null ] , "stream" : false , "user" : "" }  "#,
        #"{"model":"m","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{}}}}}}}],"messages":[]}"#,
    ]

    /// The LLM span of a chat completion whose request body is `request`.
    static func recordedSpan(request: String) async throws -> RecordedSpans.Element {
        let spans = await CannedExchange(
            url: "https://api.openai.com/v1/chat/completions",
            request: request,
            response: [#"{"model":"m","choices":[]}"#]
        ).record()
        return try spans.only(kind: .llm)
    }

    @Test("A request body is read as JSON decoding reads it: escapes, surrogate pairs, numbers, whitespace, nesting", arguments: bodies)
    func readsAsFoundationDoes(body: String) async throws {
        let span = try await Self.recordedSpan(request: body)
        let expected = try JSONDecoder().decode(OpenInferenceJSON.self, from: Data(body.utf8))
        #expect(span.jsonAttribute("input.value") == expected)
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test(
        "A body that is not one JSON value still gets a span, with a note saying why",
        arguments: [#"{"model":"m""#, #"{"model":"m"} trailing"#, #"{"model":01x}"#, #"{"a":"\q"}"#, String(repeating: "[", count: 600)]
    )
    func notJSON(body: String) async throws {
        let span = try await Self.recordedSpan(request: body)
        #expect(span.attribute("openinference.swift.recording_issue")?.contains("byte") == true)
    }
}
