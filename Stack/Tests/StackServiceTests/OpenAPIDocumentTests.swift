import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import StackService

/// The OpenAPI document against the router and the types the server answers with.
@Suite struct OpenAPIDocumentTests {
    /// The bundled document, parsed.
    static func document() throws -> [String: Any] {
        let document = try #require(OpenAPIDocument.bundled(), "the OpenAPI document is not in the test binary's resource bundle")
        return try #require(try JSONSerialization.jsonObject(with: Data(document.text.utf8)) as? [String: Any])
    }

    static func paths(_ document: [String: Any]) throws -> [String: [String: Any]] {
        try #require(document["paths"] as? [String: [String: Any]])
    }

    /// An example of `components.schemas[name]`, re-encoded as JSON.
    static func example(_ name: String, in document: [String: Any]) throws -> Data {
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: [String: Any]])
        let example = try #require(schemas[name]?["example"], "schema \(name) has no example")
        return try JSONSerialization.data(withJSONObject: example)
    }

    @Test("The document names exactly the routes the router serves, method and path")
    func documentMatchesRouter() async throws {
        let harness = try await ServiceHarness(modelReplies: [], page: PageConfiguration())
        let routes = harness.api.router(keys: ServiceHarness.keys).routes.map { "\($0.method.rawValue) \($0.path.description)" }
        // Hummingbird answers HEAD on every GET route (the document says so once); a HEAD of its own stays.
        let served = Set(routes.filter { !($0.hasPrefix("HEAD ") && routes.contains("GET " + $0.dropFirst(5))) })
        let documented = Set(
            try Self.paths(Self.document()).flatMap { path, operations in
                operations.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" }
            }
        )
        #expect(served.subtracting(documented).isEmpty, "routes served but not in openapi.json: \(served.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(served).isEmpty, "routes in openapi.json the router does not serve: \(documented.subtracting(served).sorted())")
    }

    @Test("Every documented answer, errors included, declares the required X-Trace-Id header")
    func everyAnswerHasTraceID() throws {
        let document = try Self.document()
        let components = try #require(document["components"] as? [String: Any])
        let shared = try #require(components["responses"] as? [String: [String: Any]])
        for (path, operations) in try Self.paths(document) {
            for (method, operation) in operations {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: [String: Any]])
                for (status, response) in responses {
                    let resolved = (response["$ref"] as? String).flatMap { shared[String($0.split(separator: "/").last ?? "")] } ?? response
                    let headers = resolved["headers"] as? [String: Any]
                    #expect(headers?["X-Trace-Id"] != nil, "\(method) \(path) \(status) does not declare X-Trace-Id")
                }
            }
        }
    }

    @Test("The documented examples decode as the bodies the server reads and answers")
    func examplesDecode() throws {
        let document = try Self.document()
        let decoder = JSONDecoder()
        _ = try decoder.decode(ErrorAnswer.self, from: Self.example("Error", in: document))
        _ = try decoder.decode(AgentRunAnswer.self, from: Self.example("AgentRunAnswer", in: document))
        _ = try decoder.decode(FeedbackAnswer.self, from: Self.example("FeedbackAnswer", in: document))
        _ = try decoder.decode(StackAPI.AgentRunBody.self, from: Self.example("AgentRunRequest", in: document))
        _ = try decoder.decode(StackAPI.FeedbackBody.self, from: Self.example("FeedbackRequest", in: document))
        _ = try decoder.decode(StackAPI.PassagesBody.self, from: Self.example("PassagesRequest", in: document))
    }

    @Test("A stream whose model fails after it started ends in events the document describes: data, an Error, then [DONE]")
    func streamedFailureIsDocumented() async throws {
        let document = try Self.document()
        let chat = try #require(Self.paths(document)["/v1/chat/completions"]?["post"] as? [String: Any])
        let ok = try #require((chat["responses"] as? [String: [String: Any]])?["200"])
        let stream = try #require((ok["content"] as? [String: [String: Any]])?["text/event-stream"])
        #expect((stream["schema"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/ChatCompletionEvent")
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let event = try #require(schemas["ChatCompletionEvent"])
        #expect(event["type"] as? String == "object")
        #expect(event["required"] as? [String] == ["data"])
        let fields = try #require(event["properties"] as? [String: [String: Any]])
        #expect(Set(fields.keys) == ["data", "event", "id", "retry"])

        // A model that answers a stream request with one JSON body (what `StackBench fake-model` does).
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("not a stream")])
        let body = #"{"messages":[{"role":"user","content":"hi"}],"stream":true}"#
        let (traceID, text) = try await harness.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "text/event-stream")
                return ($0.traceID, String(buffer: $0.body))
            }
        }
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        for event in events {
            for line in event.split(separator: "\n") {
                let field = String(line.prefix { $0 != ":" })
                #expect(fields.keys.contains(field), "event line \(line) has a field the document does not describe")
            }
        }
        #expect(events.last == "data: [DONE]")
        let failure = try #require(events.dropLast().last.map { String($0.dropFirst("data: ".count)) })
        let error = try JSONDecoder().decode(ErrorAnswer.self, from: Data(failure.utf8))
        #expect(error.error.type == "upstream_error")
        #expect(error.error.traceID == traceID)
    }

    @Test("GET /openapi.json answers the document without a key, with its trace id; a binary without it says what to copy")
    func servesDocument() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        let expected = try #require(OpenAPIDocument.bundled())
        try await harness.test { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[HTTPField.Name("X-Trace-Id")!]?.count == 32)
            #expect(String(buffer: response.body) == expected.text)
        }
        var api = harness.api
        api.openAPI = nil
        let app = Application(router: api.router(keys: ServiceHarness.keys))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body).contains("Stack_StackService.resources"))
        }
    }
}
