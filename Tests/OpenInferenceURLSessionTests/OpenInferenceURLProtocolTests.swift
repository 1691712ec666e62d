import Foundation
import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import OpenInferenceURLSession
import Synchronization
import Testing
import Tracing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The process-wide tracer: a `URLProtocol` loads on the session's threads, outside any task's
/// `withTracer`, so these tests record through the bootstrapped tracer, as an application does, and find
/// their spans by a marker in the request.
enum GlobalTracer {
    static let tracer: InMemoryTracer = {
        let tracer = InMemoryTracer()
        InstrumentationSystem.bootstrap(tracer)
        return tracer
    }()

    /// The ended span whose request carried `marker`, waiting for it a little: the span ends just after the
    /// caller got the whole response.
    static func span(marked marker: String) async throws -> FinishedInMemorySpan {
        for _ in 0..<200 {
            if let span = tracer.finishedSpans.first(where: { $0.attribute("input.value")?.contains(marker) == true }) {
                return span
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SpanNotFound(marker: marker)
    }

    struct SpanNotFound: Error, CustomStringConvertible {
        var marker: String
        var description: String { "no span was recorded for the request marked \(marker)" }
    }
}

/// A session delegate that hands each piece of data to `onData` as it arrives.
final class ChunkCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let chunks = Mutex<[Data]>([])
    private let onData: @Sendable (URLSessionDataTask, Int) -> Void
    private let done: @Sendable ((any Error)?) -> Void

    init(onData: @escaping @Sendable (URLSessionDataTask, Int) -> Void, done: @escaping @Sendable ((any Error)?) -> Void) {
        self.onData = onData
        self.done = done
    }

    var text: String { String(decoding: chunks.withLock { $0.reduce(Data(), +) }, as: UTF8.self) }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let count = chunks.withLock { chunks in
            chunks.append(data)
            return chunks.count
        }
        onData(dataTask, count)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        done(error)
    }
}

@Suite("Wire recorder through URLSession: OpenInferenceURLProtocol")
struct WireURLSessionTests {
    static func session(delegate: (any URLSessionDelegate)? = nil) -> URLSession {
        _ = GlobalTracer.tracer
        let configuration = URLSessionConfiguration.ephemeral
        configuration.recordOpenInferenceSpans()
        configuration.recordOpenInferenceSpans()
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    static func chatRequest(_ server: LoopbackHTTPServer, marker: String, stream: Bool = false) -> URLRequest {
        var request = URLRequest(url: URL(string: server.url + "/v1/chat/completions")!)
        request.httpMethod = "POST"
        request.setValue("Bearer sk-test-secret-42", forHTTPHeaderField: "Authorization")
        request.setValue("sk-test-secret-42", forHTTPHeaderField: "x-api-key")
        request.setValue("sk-test-secret-42", forHTTPHeaderField: "x-goog-api-key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"model":"local","stream":\#(stream),"messages":[{"role":"user","content":"\#(marker)"}]}"#.utf8)
        return request
    }

    static let streamEvents = [
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
    ]

    @Test("data(for:) gets the server's bytes unchanged, the server gets the request and its key, and the span gets neither key nor header")
    func dataForRecordsTheCall() async throws {
        let answer = #"{"model":"local-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}]}"#
        let server = try LoopbackHTTPServer { _ in .init(chunks: [String(answer.prefix(20)), String(answer.dropFirst(20))]) }
        defer { server.stop() }
        let marker = "plain-\(UUID())"
        let request = Self.chatRequest(server, marker: marker)
        let (data, response) = try await Self.session().data(for: request)
        #expect(String(decoding: data, as: UTF8.self) == answer)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let received = try #require(server.requests.first)
        #expect(received.headers["authorization"] == "Bearer sk-test-secret-42")
        #expect(received.headers["x-api-key"] == "sk-test-secret-42")
        #expect(received.headers["x-goog-api-key"] == "sk-test-secret-42")
        #expect(received.body == request.httpBody)
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.operationName == "ChatCompletion")
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hi there")
        #expect(span.attribute("llm.model_name") == "local-1")
        #expect(span.status?.code == .ok)
        var holding: [String] = []
        span.attributes.forEach { key, value in
            if "\(value)".contains("sk-test-secret-42") || "\(value)".contains("Bearer") { holding.append(key) }
        }
        #expect(holding.isEmpty, "these attributes hold the key: \(holding)")
    }

    @Test("A stream reaches the caller piece by piece while the server is still sending, and the span joins it")
    func streamIsNotHeldBack() async throws {
        let server = try LoopbackHTTPServer { _ in .init(contentType: "text/event-stream", chunks: Self.streamEvents, waitBeforeChunk: 1) }
        defer { server.stop() }
        let marker = "stream-\(UUID())"
        let text: String = try await withCheckedThrowingContinuation { continuation in
            // The server sends the second piece only once the first has reached the caller: a protocol
            // that held the stream back would never deliver the first, and the server would time out.
            let collector = Box<ChunkCollector>()
            collector.value = ChunkCollector(
                onData: { _, count in if count == 1 { server.gate.signal() } },
                done: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: collector.value!.text) }
                }
            )
            Self.session(delegate: collector.value).dataTask(with: Self.chatRequest(server, marker: marker, stream: true)).resume()
        }
        #expect(text == Self.streamEvents.joined())
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.events.map(\.name) == ["First Token Stream Event"])
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hello")
        #expect(span.attribute("llm.finish_reason") == "stop")
        #expect(span.status?.code == .ok)
    }

    @Test("data(for:) of a streamed answer gets the whole stream")
    func dataForAStream() async throws {
        let server = try LoopbackHTTPServer { _ in .init(contentType: "text/event-stream", chunks: Self.streamEvents) }
        defer { server.stop() }
        let marker = "datastream-\(UUID())"
        let (data, _) = try await Self.session().data(for: Self.chatRequest(server, marker: marker, stream: true))
        #expect(String(decoding: data, as: UTF8.self) == Self.streamEvents.joined())
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hello")
    }

    @Test("Cancelling the task mid-stream ends the span as an error with what arrived")
    func cancellation() async throws {
        let server = try LoopbackHTTPServer { _ in .init(contentType: "text/event-stream", chunks: Self.streamEvents, waitBeforeChunk: 1) }
        defer {
            server.gate.signal()
            server.stop()
        }
        let marker = "cancel-\(UUID())"
        let failure: (any Error)? = await withCheckedContinuation { continuation in
            let collector = ChunkCollector(onData: { task, _ in task.cancel() }, done: { continuation.resume(returning: $0) })
            Self.session(delegate: collector).dataTask(with: Self.chatRequest(server, marker: marker, stream: true)).resume()
        }
        #expect((failure as? URLError)?.code == .cancelled)
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.status?.code == .error)
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hel")
    }

    @Test("A call that cannot connect fails for the caller as it would without the protocol, and its span is an error")
    func connectionRefused() async throws {
        let server = try LoopbackHTTPServer { _ in .init(chunks: []) }
        server.stop()
        let marker = "refused-\(UUID())"
        await #expect(throws: URLError.self) { _ = try await Self.session().data(for: Self.chatRequest(server, marker: marker)) }
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.status?.code == .error)
        #expect(span.errors.count == 1)
    }

    @Test("An HTTP error answer reaches the caller unchanged and the span records it")
    func httpError() async throws {
        let body = #"{"error":{"message":"model not found"}}"#
        let server = try LoopbackHTTPServer { _ in .init(status: 404, chunks: [body]) }
        defer { server.stop() }
        let marker = "notfound-\(UUID())"
        let (data, response) = try await Self.session().data(for: Self.chatRequest(server, marker: marker))
        #expect((response as? HTTPURLResponse)?.statusCode == 404)
        #expect(String(decoding: data, as: UTF8.self) == body)
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.status?.message == "the API answered HTTP 404: model not found")
    }

    @Test("A call to no known API is left to the session", arguments: ["/v1/models", "/health"])
    func unknownCallsAreNotTaken(path: String) async throws {
        let server = try LoopbackHTTPServer { _ in .init(chunks: [#"{"data":[]}"#]) }
        defer { server.stop() }
        let request = URLRequest(url: URL(string: server.url + path)!)
        #expect(!OpenInferenceURLProtocol.canInit(with: request))
        let (data, _) = try await Self.session().data(for: request)
        #expect(String(decoding: data, as: UTF8.self) == #"{"data":[]}"#)
    }

    #if canImport(Darwin)
    @Test("bytes(for:) streams through the protocol")
    func bytesFor() async throws {
        let server = try LoopbackHTTPServer { _ in .init(contentType: "text/event-stream", chunks: Self.streamEvents) }
        defer { server.stop() }
        let marker = "bytes-\(UUID())"
        let (bytes, _) = try await Self.session().bytes(for: Self.chatRequest(server, marker: marker, stream: true))
        var lines: [String] = []
        for try await line in bytes.lines { lines.append(line) }
        #expect(lines.contains("data: [DONE]"))
        let span = try await GlobalTracer.span(marked: marker)
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hello")
    }
    #endif
}

/// A reference a closure can capture before the value it refers to exists.
final class Box<Value>: @unchecked Sendable {
    var value: Value?
}

@Suite("Wire recorder through URLSession: the span's parent")
struct WireURLSessionParentTests {
    struct HeaderInjector: Injector {
        func inject(_ value: String, forKey key: String, into headers: inout [String: String]) {
            headers[key] = value
        }
    }

    @Test("A request carrying its caller's context in its headers gets a span that is the caller's child")
    func parentFromHeaders() async throws {
        let server = try LoopbackHTTPServer { _ in .init(chunks: [#"{"choices":[]}"#]) }
        defer { server.stop() }
        let marker = "parent-\(UUID())"
        var request = WireURLSessionTests.chatRequest(server, marker: marker)
        let session = WireURLSessionTests.session()
        let parent = InstrumentationSystem.tracer.startSpan("caller")
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(parent.context, into: &headers, using: HeaderInjector())
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        _ = try await session.data(for: request)
        parent.end()
        let span = try await GlobalTracer.span(marked: marker)
        let caller = try #require(GlobalTracer.tracer.finishedSpans.first { $0.spanID == parent.context.inMemorySpanContext?.spanID })
        #expect(span.parentSpanID == caller.spanID)
        #expect(span.traceID == caller.traceID)
    }
}
