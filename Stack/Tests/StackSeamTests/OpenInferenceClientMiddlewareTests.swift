import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import OpenInference
import OpenInferenceOpenAPI
import OpenInferenceTesting
import StackTestSupport
import Testing

@Suite("OpenInferenceClientMiddleware: a swift-openapi client's model calls become spans")
struct OpenInferenceClientMiddlewareTests {
    /// Runs one call through the middleware and swift-openapi-async-http-client's transport, as a generated
    /// client does, and returns the status and body the caller read.
    static func send(
        path: String, body: String, to server: URL, iteration: IterationBehavior = .multiple, readsBody: Bool = true
    ) async throws -> (status: Int, body: String) {
        // The scripted server's root ends in /v1; the generated client's server URL is the host.
        let baseURL = URL(string: server.absoluteString.replacingOccurrences(of: "/v1", with: ""))!
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.authorization] = "Bearer \(SeamFixtures.key)"
        let request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: path, headerFields: fields)
        let requestBody = HTTPBody(
            AsyncStream { continuation in
                continuation.yield(ArraySlice(body.utf8))
                continuation.finish()
            },
            length: .known(Int64(body.utf8.count)),
            iterationBehavior: iteration
        )
        let transport = AsyncHTTPClientTransport()
        let (response, responseBody) = try await OpenInferenceClientMiddleware().intercept(
            request, body: iteration == .multiple ? HTTPBody(body) : requestBody, baseURL: baseURL, operationID: "op"
        ) { request, body, baseURL in
            try await transport.send(request, body: body, baseURL: baseURL, operationID: "op")
        }
        guard readsBody, let responseBody else { return (response.status.code, "") }
        var read = ""
        for try await piece in responseBody { read += String(decoding: piece, as: UTF8.self) }
        return (response.status.code, read)
    }

    @Test("A chat completion gets an LLM span with what the request and answer say, and the server gets the request unchanged")
    func chatCompletion() async throws {
        let server = ScriptedHTTPServer([.json(SeamFixtures.chatAnswer)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var result: (status: Int, body: String) = (0, "")
        let spans = try await recordSpans {
            result = try await Self.send(path: "/v1/chat/completions", body: SeamFixtures.chatRequest, to: root)
        }
        #expect(result.status == 200)
        #expect(result.body == SeamFixtures.chatAnswer)
        #expect(server.requests.first?.body == SeamFixtures.chatRequest)
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(SeamFixtures.key)")
        let span = try spans.only(kind: .llm)
        #expect(span.operationName == "ChatCompletion")
        #expect(span.attribute("llm.input_messages.0.message.content") == "Say hi")
        #expect(span.attribute("llm.output_messages.0.message.content") == "Hi.")
        #expect(span.intAttribute("llm.token_count.total") == 11)
        #expect(span.attribute("llm.model_name") == "gpt-4o-mini-2024-07-18")
    }

    @Test("A request body that can be read once is read for the span and still sent whole")
    func singleIterationBody() async throws {
        let server = ScriptedHTTPServer([.json(SeamFixtures.anthropicAnswer)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        let spans = try await recordSpans {
            _ = try await Self.send(path: "/v1/messages", body: SeamFixtures.anthropicRequest, to: root, iteration: .single)
        }
        #expect(server.requests.first?.body == SeamFixtures.anthropicRequest)
        let span = try spans.only(kind: .llm)
        #expect(span.operationName == "messages.create")
        #expect(span.attribute("llm.output_messages.0.message.contents.0.message_content.text") == "Hello.")
    }

    @Test("A streamed answer reaches the caller byte for byte, and the span has the merged output and the first-token event")
    func streamedAnswer() async throws {
        let server = ScriptedHTTPServer([.events(SeamFixtures.streamedEvents)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var read = ""
        let spans = try await recordSpans {
            read = try await Self.send(path: "/v1/chat/completions", body: SeamFixtures.streamedRequest, to: root).body
        }
        #expect(read == SeamFixtures.streamedBody)
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("llm.output_messages.0.message.content") == "One, two")
        #expect(span.hasEvent(named: "First Token Stream Event"))
    }

    @Test("A call to a path no model API has passes through with no span")
    func unknownPath() async throws {
        let server = ScriptedHTTPServer([.json(#"{"ok":true}"#)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var result: (status: Int, body: String) = (0, "")
        let spans = try await recordSpans {
            result = try await Self.send(path: "/v1/files", body: #"{"purpose":"x"}"#, to: root)
        }
        #expect(result.body == #"{"ok":true}"#)
        #expect(spans.isEmpty)
    }

    @Test("An HTTP error ends the span with status ERROR; no header value, key included, reaches it")
    func httpErrorAndNoKey() async throws {
        let server = ScriptedHTTPServer([.json(#"{"error":{"message":"bad model"}}"#, status: 400)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        var result: (status: Int, body: String) = (0, "")
        let spans = try await recordSpans {
            result = try await Self.send(path: "/v1/chat/completions", body: SeamFixtures.chatRequest, to: root)
        }
        #expect(result.status == 400)
        let span = try spans.only(kind: .llm)
        #expect(span.status?.code == .error)
        let everything = "\(span.attributes) \(span.events)"
        #expect(!everything.contains(SeamFixtures.key))
    }

    @Test("A response body released unread still ends the span, with a note saying so")
    func bodyReleasedUnread() async throws {
        let server = ScriptedHTTPServer([.json(SeamFixtures.chatAnswer)])
        let root = try await server.start()
        defer { Task { try? await server.stop() } }
        let spans = try await recordSpans {
            _ = try await Self.send(path: "/v1/chat/completions", body: SeamFixtures.chatRequest, to: root, readsBody: false)
        }
        let span = try spans.only(kind: .llm)
        #expect(span.attribute("openinference.swift.recording_issue") != nil)
    }
}
