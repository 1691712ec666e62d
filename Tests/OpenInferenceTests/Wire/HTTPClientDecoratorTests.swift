import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

// The shape of SwiftOpenAI's and SwiftAnthropic's public `HTTPClient` protocol: a request value, `data(for:)`
// for a whole answer and `bytes(for:)` for a stream of bytes or lines. The decorator below is the one
// docs/wire-recorder.md shows, compiled and run here against that shape.

struct SDKRequest: Sendable {
    var url: URL
    var method: String
    var headers: [String: String]
    var body: Data?
}

struct SDKResponse: Sendable {
    var statusCode: Int
    var headers: [String: String]
}

enum SDKByteStream: Sendable {
    case bytes(AsyncThrowingStream<UInt8, any Error>)
    case lines(AsyncThrowingStream<String, any Error>)
}

protocol SDKHTTPClient: Sendable {
    func data(for request: SDKRequest) async throws -> (Data, SDKResponse)
    func bytes(for request: SDKRequest) async throws -> (SDKByteStream, SDKResponse)
}

/// Records the model calls of any `SDKHTTPClient` through the wire recorder, and passes everything on.
struct RecordingHTTPClient<Base: SDKHTTPClient>: SDKHTTPClient {
    let base: Base
    var recorder = WireRecorder()

    func data(for request: SDKRequest) async throws -> (Data, SDKResponse) {
        let exchange = recorder.start(method: request.method, url: request.url, body: request.body)
        do {
            let (data, response) = try await base.data(for: request)
            exchange?.receiveResponse(status: response.statusCode, headers: response.headers)
            exchange?.receiveBody(data)
            exchange?.finish()
            return (data, response)
        } catch {
            exchange?.fail(error)
            throw error
        }
    }

    func bytes(for request: SDKRequest) async throws -> (SDKByteStream, SDKResponse) {
        guard let exchange = recorder.start(method: request.method, url: request.url, body: request.body) else {
            return try await base.bytes(for: request)
        }
        let stream: SDKByteStream
        let response: SDKResponse
        do {
            (stream, response) = try await base.bytes(for: request)
        } catch {
            exchange.fail(error)
            throw error
        }
        exchange.receiveResponse(status: response.statusCode, headers: response.headers)
        switch stream {
        case .lines(let lines):
            // A line sequence drops the blank line that ends a server-sent event; a `data:` line ends one here.
            return (.lines(Self.passing(lines, to: exchange) { Data(($0 + ($0.hasPrefix("data:") ? "\n\n" : "\n")).utf8) }), response)
        case .bytes(let bytes):
            return (.bytes(Self.passing(bytes, to: exchange) { Data([$0]) }), response)
        }
    }

    /// `elements`, each handed to the caller and then, as bytes, to `exchange`; the span ends with the stream.
    private static func passing<Element: Sendable>(
        _ elements: AsyncThrowingStream<Element, any Error>,
        to exchange: WireExchange,
        as bytes: @escaping @Sendable (Element) -> Data
    ) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await element in elements {
                        continuation.yield(element)
                        exchange.receiveBody(bytes(element))
                    }
                    exchange.finish()
                    continuation.finish()
                } catch {
                    exchange.fail(error)
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A client answering from memory, as a transport would.
struct CannedSDKClient: SDKHTTPClient {
    var answer = ""
    var lines: [String] = []
    var failure: (any Error & Sendable)?

    func data(for request: SDKRequest) async throws -> (Data, SDKResponse) {
        if let failure { throw failure }
        return (Data(answer.utf8), SDKResponse(statusCode: 200, headers: ["Content-Type": "application/json"]))
    }

    func bytes(for request: SDKRequest) async throws -> (SDKByteStream, SDKResponse) {
        let lines = lines
        let stream = AsyncThrowingStream<String, any Error> { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
        return (.lines(stream), SDKResponse(statusCode: 200, headers: ["Content-Type": "text/event-stream"]))
    }
}

@Suite("Wire recorder: a decorator over an SDK's HTTPClient protocol")
struct HTTPClientDecoratorTests {
    static let request = SDKRequest(
        url: URL(string: "https://api.anthropic.com/v1/messages")!,
        method: "POST",
        headers: ["x-api-key": "sk-ant-decorator-secret"],
        body: Data(#"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#.utf8)
    )

    @Test("A whole answer through the decorator is an LLM span, and the caller gets it unchanged")
    func wholeAnswer() async throws {
        let answer = #"""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello."}],"stop_reason":"end_turn","usage":{"input_tokens":8,"output_tokens":2}}
            """#
        var read = Data()
        let spans = try await recordSpans {
            (read, _) = try await RecordingHTTPClient(base: CannedSDKClient(answer: answer)).data(for: Self.request)
        }
        #expect(read == Data(answer.utf8))
        let span = try spans.only(kind: .llm)
        #expect(span.operationName == "messages.create")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Hello.")
        #expect(span.intAttribute("llm.token_count.prompt") == 8)
        #expect(!"\(span.attributes)".contains("sk-ant-decorator-secret"))
    }

    @Test("A stream of lines through the decorator reaches the caller line by line, and the span has the merged answer")
    func streamedLines() async throws {
        let lines = [
            "event: message_start",
            #"data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":8,"output_tokens":1}}}"#,
            "event: content_block_start",
            #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            "event: content_block_delta",
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#,
            "event: content_block_delta",
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo."}}"#,
            "event: content_block_stop",
            #"data: {"type":"content_block_stop","index":0}"#,
            "event: message_delta",
            #"data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}"#,
            "event: message_stop",
            #"data: {"type":"message_stop"}"#,
        ]
        var received: [String] = []
        let spans = try await recordSpans {
            let (stream, _) = try await RecordingHTTPClient(base: CannedSDKClient(lines: lines)).bytes(for: Self.request)
            guard case .lines(let read) = stream else { return }
            for try await line in read { received.append(line) }
        }
        #expect(received == lines)
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Hello.")
        #expect(span.hasEvent(named: "First Token Stream Event"))
        #expect(span.attribute("openinference.swift.recording_issue") == nil)
    }

    @Test("A failing call through the decorator fails as before and ends the span with the error")
    func failingCall() async throws {
        let spans = await recordSpans {
            await #expect(throws: CannedFailure.self) {
                _ = try await RecordingHTTPClient(base: CannedSDKClient(failure: CannedFailure())).data(for: Self.request)
            }
        }
        let span = try spans.only(kind: .llm)
        #expect(span.status?.code == .error)
    }
}
