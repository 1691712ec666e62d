import AsyncHTTPClient
import Foundation
import NIOCore
import OpenInference
import OpenInferenceAsyncHTTPClient
import OpenInferenceTesting
import StackTestSupport
import Testing

@Suite("HTTPClient.executeRecorded: AsyncHTTPClient's model calls become spans")
struct HTTPClientExecuteRecordedTests {
    /// Executes one POST of `body` to `url` and returns the status and body the caller read.
    static func send(
        _ url: String,
        body: String,
        readsBody: Bool = true,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "x-api-key", value: SeamFixtures.key)
        // A streamed request body, as a client sending an upload would.
        request.body = .stream(
            AsyncStream { continuation in
                for piece in body.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).enumerated() {
                    continuation.yield(ByteBuffer(bytes: (piece.offset == 0 ? [] : [UInt8(ascii: ",")]) + piece.element))
                }
                continuation.finish()
            },
            length: .known(Int64(body.utf8.count))
        )
        let response = try await HTTPClient.shared.executeRecorded(request, timeout: timeout)
        guard readsBody else { return (Int(response.status.code), "") }
        var read = ""
        for try await piece in response.body { read += String(buffer: piece) }
        return (Int(response.status.code), read)
    }

    @Test("An Anthropic message gets an LLM span, and the server gets the streamed request body whole")
    func anthropicMessage() async throws {
        let server = ScriptedHTTPServer([.json(SeamFixtures.anthropicAnswer)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var result: (status: Int, body: String) = (0, "")
        let spans = try await recordSpans {
            result = try await Self.send(root.absoluteString + "/messages", body: SeamFixtures.anthropicRequest)
        }
        #expect(result.status == 200)
        #expect(result.body == SeamFixtures.anthropicAnswer)
        #expect(server.requests.first?.body == SeamFixtures.anthropicRequest)
        let span = try spans.only(kind: .llm)
        #expect(span.operationName == "messages.create")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Hi")
        #expect(span.intAttribute("llm.token_count.prompt") == 5)
        #expect(!"\(span.attributes)".contains(SeamFixtures.key))
    }

    @Test("A streamed chat answer reaches the caller byte for byte, and the span has the merged output")
    func streamedAnswer() async throws {
        let server = ScriptedHTTPServer([.events(SeamFixtures.streamedEvents)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var read = ""
        let spans = try await recordSpans {
            read = try await Self.send(root.absoluteString + "/chat/completions", body: SeamFixtures.streamedRequest).body
        }
        #expect(read == SeamFixtures.streamedBody)
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.content") == "One, two")
        #expect(span.hasEvent(named: "First Token Stream Event"))
        #expect(span.status?.code != .error)
    }

    @Test("A call to a path no model API has is executed untouched, with no span")
    func unknownPath() async throws {
        let server = ScriptedHTTPServer([.json(#"{"ok":true}"#)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var result: (status: Int, body: String) = (0, "")
        let spans = try await recordSpans {
            result = try await Self.send(root.absoluteString + "/files", body: #"{"a":1,"b":2}"#)
        }
        #expect(result.body == #"{"ok":true}"#)
        #expect(server.requests.first?.body == #"{"a":1,"b":2}"#)
        #expect(spans.isEmpty)
    }

    @Test("A refused connection fails the call as AsyncHTTPClient does and ends the span with the error")
    func refusedConnection() async throws {
        // A port that was just free: bound, read, and closed again.
        let server = ScriptedHTTPServer([])
        let root = try await server.start()
        try await server.stop()
        // AsyncHTTPClient retries a refused connection until the deadline, so the deadline is short.
        let spans = await recordSpans {
            await #expect(throws: (any Error).self) {
                _ = try await Self.send(
                    root.absoluteString + "/chat/completions",
                    body: SeamFixtures.chatRequest,
                    timeout: .seconds(1)
                )
            }
        }
        let span = try spans.only(kind: .llm)
        #expect(span.status?.code == .error)
    }

    @Test("A response body released unread still ends the span, with a note saying so")
    func bodyReleasedUnread() async throws {
        let server = ScriptedHTTPServer([.json(SeamFixtures.chatAnswer)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        let spans = try await recordSpans {
            _ = try await Self.send(root.absoluteString + "/chat/completions", body: SeamFixtures.chatRequest, readsBody: false)
        }
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("openinference.swift.recording_issue") != nil)
    }
}
