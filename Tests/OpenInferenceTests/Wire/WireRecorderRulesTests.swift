import Foundation
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("Wire recorder: what it records and what it leaves alone")
struct WireRecorderRulesTests {
    @Test(
        "A call to no known API is not recorded",
        arguments: [
            ("POST", "https://api.openai.com/v1/files"),
            ("GET", "https://api.openai.com/v1/models"),
            ("GET", "https://api.openai.com/v1/chat/completions"),
            ("POST", "https://api.anthropic.com/v1/messages/count_tokens"),
            ("POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens"),
            ("POST", "https://example.com/chat"),
        ]
    )
    func unknownCallsPassThrough(method: String, url: String) async {
        let spans = await recordSpans {
            #expect(WireRecorder().start(method: method, url: URL(string: url)!, body: Data("{}".utf8)) == nil)
        }
        #expect(spans.isEmpty)
    }

    static let knownCalls = [
        "https://api.openai.com/v1/chat/completions",
        "https://api.openai.com/v1/embeddings",
        "https://api.openai.com/v1/responses",
        "https://api.anthropic.com/v1/messages",
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
    ]

    @Test("A request body that is not JSON still gets a span, with the body as text and a note why nothing was read", arguments: knownCalls)
    func unreadableRequest(url: String) async throws {
        let span = try #require(await CannedExchange(url: url, request: "model=gpt&messages=hi", response: ["{}"]).record().first)
        #expect(span.attribute("input.value") == "model=gpt&messages=hi")
        #expect(span.attribute("input.mime_type") == "text/plain")
        #expect(span.attribute("openinference.swift.recording_issue")?.hasPrefix("the request body is not JSON") == true)
        #expect(span.status?.code == .ok)
    }

    @Test("A response body that is not JSON is recorded as text with a note", arguments: knownCalls)
    func unreadableResponse(url: String) async throws {
        let span = try #require(
            await CannedExchange(url: url, request: #"{"model":"m"}"#, response: ["<html>proxy", " error</html>"]).record().first)
        #expect(span.attribute("output.value") == "<html>proxy error</html>")
        #expect(span.attribute("output.mime_type") == "text/plain")
        #expect(span.attribute("openinference.swift.recording_issue")?.hasPrefix("the response body is not JSON") == true)
    }

    @Test("No API key reaches a span: the URL, which may carry Gemini's key, is never recorded", arguments: knownCalls)
    func noKeyInSpans(url: String) async throws {
        let secret = "sk-secret-0123456789"
        let spans = await CannedExchange(url: url + "?key=\(secret)&alt=sse", request: #"{"model":"m","messages":[]}"#, response: ["{}"]).record()
        let span = try #require(spans.first)
        var holding: [String] = []
        span.attributes.forEach { key, value in
            if "\(value)".contains(secret) { holding.append(key) }
        }
        #expect(holding.isEmpty, "these attributes hold the key: \(holding)")
    }

    @Test("The trace configuration masks a recorded call as it masks every span")
    func masking() async throws {
        var config = TraceConfig()
        config.hideInputs = true
        config.hideOutputText = true
        let spans = await CannedExchange(
            url: "https://api.openai.com/v1/chat/completions",
            request: #"{"model":"m","messages":[{"role":"user","content":"private"}]}"#,
            response: [#"{"choices":[{"index":0,"message":{"role":"assistant","content":"also private"},"finish_reason":"stop"}]}"#]
        ).record(config: config)
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("input.value") == "__REDACTED__")
        #expect(span.attribute("llm.input_messages.0.message.content") == nil)
        #expect(span.attribute("llm.output_messages.0.message.content") == "__REDACTED__")
        #expect(span.attribute("llm.finish_reason") == "stop")
    }

    @Test(
        "Hidden input images are redacted inside the recorded request body, in each API's image shape",
        arguments: [
            (
                "https://api.openai.com/v1/chat/completions",
                #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"#
            ),
            (
                "https://api.openai.com/v1/responses",
                #"{"input":[{"role":"user","content":[{"type":"input_image","image_url":"https://example.com/cat.png"}]}]}"#
            ),
            (
                "https://api.anthropic.com/v1/messages",
                #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo"}}]}]}"#
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent",
                #"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo"}}]}]}"#
            ),
        ]
    )
    func hiddenImages(url: String, request: String) async throws {
        var config = TraceConfig()
        config.hideInputImages = true
        let span = try #require(await CannedExchange(url: url, request: request, response: ["{}"]).record(config: config).first)
        let input = try #require(span.attribute("input.value"))
        #expect(input.contains("__REDACTED__"))
        #expect(!input.contains("cat.png") && !input.contains("iVBORw0KGgo"))
    }

    @Test("An exchange released before its response ended ends its span with a note")
    func releasedExchange() async throws {
        let spans = await recordSpans {
            let exchange = WireRecorder().start(
                method: "POST", url: URL(string: "https://api.openai.com/v1/chat/completions")!, body: Data(#"{"messages":[]}"#.utf8))
            exchange?.receiveResponse(status: 200, headers: [:])
        }
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("openinference.swift.recording_issue")?.contains("released before its response ended") == true)
    }

    @Test("Calls after the span ended change nothing")
    func callsAfterEnd() async throws {
        let spans = await recordSpans {
            let exchange = WireRecorder().start(
                method: "POST", url: URL(string: "https://api.openai.com/v1/chat/completions")!, body: Data(#"{"messages":[]}"#.utf8))
            exchange?.receiveResponse(status: 200, headers: [:])
            exchange?.receiveBody(Data(#"{"choices":[]}"#.utf8))
            exchange?.finish()
            exchange?.fail(CannedFailure())
            exchange?.receiveBody(Data("more".utf8))
            exchange?.finish()
        }
        let span = try spans.only(kind: .llm)
        #expect(span.status?.code == .ok)
        #expect(span.errors.isEmpty)
    }
}

@Suite("Wire recorder: without a recording tracer, and parts it cannot record")
struct WireRecorderEdgeTests {
    @Test("Under a tracer that records nothing, an exchange still takes the whole call and does nothing with it")
    func noRecordingTracer() {
        withTracer(NoOpTracer()) {
            let exchange = WireRecorder().start(
                method: "POST", url: URL(string: "https://api.openai.com/v1/chat/completions")!, body: Data("{}".utf8))
            #expect(exchange != nil)
            exchange?.receiveResponse(status: 200, headers: ["content-type": "text/event-stream"])
            exchange?.receiveBody(Data("data: {}\n\n".utf8))
            exchange?.finish()
        }
    }

    @Test(
        "A part of a kind not recorded is left out with a note saying which",
        arguments: [
            (
                "https://api.openai.com/v1/responses", #"{"input":[{"type":"item_reference","id":"msg_1"}]}"#,
                "an input item of type item_reference was not recorded"
            )
        ]
    )
    func unrecordedParts(url: String, request: String, note: String) async throws {
        let span = try #require(await CannedExchange(url: url, request: request, response: ["{}"]).record().first)
        #expect(span.attribute("openinference.swift.recording_issue") == note)
    }
}

@Suite("Wire recorder: stream events it cannot read")
struct WireUnreadableEventTests {
    @Test("Events that are not JSON are skipped, the first named in one note with a count of the others")
    func skippedEvents() async throws {
        let events = ["not json", #"{"choices":[{"index":0,"delta":{"content":"ok"}}]}"#, "still not", "[1,2]", "[DONE]"]
        let span = try await CannedExchange.stream(url: "https://api.openai.com/v1/chat/completions", request: "{}", events: events)
            .record().only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.content") == "ok")
        let note = try #require(span.attribute("openinference.swift.recording_issue"))
        #expect(note.hasPrefix("stream event 1 is not JSON"))
        #expect(note.hasSuffix(", and 2 more could not be read either, so they were skipped"))
    }
}
