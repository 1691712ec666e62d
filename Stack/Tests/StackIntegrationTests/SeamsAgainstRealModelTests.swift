import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import OpenInference
import OpenInferenceAsyncHTTPClient
import OpenInferenceOpenAPI
import OpenInferenceTelemetry
import PhoenixClient
import Testing
import Tracing

/// A chat completion to the real llama.cpp server through each HTTP seam an adopter would use, exported
/// to the real Phoenix: what Phoenix stores is what the caller read.
///
/// The URLSession seam takes its parent from the request's headers under the bootstrapped tracer, which
/// a test process shares; its wire behaviour is tested in the library (`OpenInferenceURLSessionTests`).
@Suite(
    "The HTTP seams against the real model and Phoenix",
    .enabled(if: LiveServers.isRequired || (LiveServers.model != nil && LiveServers.phoenix != nil)),
    .serialized
)
struct SeamsAgainstRealModelTests {
    enum Seam: String, CaseIterable, Sendable {
        case openapi, asynchttpclient
    }

    @Test(
        "A chat completion through the seam is an LLM span in Phoenix whose output is what the caller read",
        arguments: Seam.allCases,
        [false, true]
    )
    func chatCompletionInPhoenix(seam: Seam, streamed: Bool) async throws {
        let modelURL = try #require(LiveServers.model, "STACK_MODEL_URL is not set; run `make test`")
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let project = "stack-seams-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-integration-tests")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)
        let body = """
            {"model":"smollm2","messages":[{"role":"user","content":"Name one colour."}],\
            "max_tokens":12,"temperature":0,"stream":\(streamed)}
            """
        let url = modelURL.absoluteString + "/chat/completions"

        var read = Data()
        var traceID = ""
        var status = 0
        try await withTracer(telemetry.tracer) {
            try await withOpenInferenceSpan("seam call", kind: .chain, ofKind: .client) { _ in
                traceID = TraceParent.current?.traceID ?? ""
                (status, read) = try await seam.send(url: url, body: Data(body.utf8))
            }
        }
        await telemetry.forceFlush()
        await telemetry.shutdown()
        #expect(status == 200)

        let spans = try await PhoenixClient(baseURL: phoenixURL).waitForTrace(project: project, traceID: traceID, count: 2)
        let llm = try #require(spans.first { $0.spanKind == "LLM" })
        #expect(llm.name == "ChatCompletion")
        #expect(llm.statusCode != "ERROR")
        #expect(llm.string("llm.input_messages.0.message.content") == "Name one colour.")
        #expect(llm.string("llm.output_messages.0.message.content") == Self.content(of: read, streamed: streamed))
        #expect(llm.string("llm.model_name") != nil)
        if streamed {
            #expect(llm.events.contains { $0.name == "First Token Stream Event" })
        } else {
            #expect((llm.int("llm.token_count.prompt") ?? 0) > 0)
            #expect((llm.int("llm.token_count.completion") ?? 0) > 0)
        }
    }

    /// The answer's text as the caller reads it: the message, or the stream's deltas joined.
    static func content(of read: Data, streamed: Bool) -> String? {
        struct Choice: Decodable {
            struct Text: Decodable { var content: String? }
            var message: Text?
            var delta: Text?
        }
        struct Answer: Decodable { var choices: [Choice] }
        guard streamed else {
            return (try? JSONDecoder().decode(Answer.self, from: read))?.choices.first?.message?.content
        }
        let events = String(decoding: read, as: UTF8.self).split(separator: "\n").compactMap { line -> Answer? in
            guard line.hasPrefix("data: "), line != "data: [DONE]" else { return nil }
            return try? JSONDecoder().decode(Answer.self, from: Data(line.dropFirst(6).utf8))
        }
        return events.compactMap { $0.choices.first?.delta?.content }.joined()
    }
}

extension SeamsAgainstRealModelTests.Seam {
    /// POSTs `body` to `url` as an application on this seam would, and returns the status and what it read.
    func send(url: String, body: Data) async throws -> (Int, Data) {
        switch self {
        case .asynchttpclient:
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await HTTPClient.shared.executeRecorded(request, timeout: .seconds(120))
            var read = Data()
            for try await piece in response.body { read.append(contentsOf: piece.readableBytesView) }
            return (Int(response.status.code), read)
        case .openapi:
            // A generated client's server URL, and its operation's path.
            var components = try #require(URLComponents(string: url))
            let path = components.percentEncodedPath
            components.percentEncodedPath = ""
            let baseURL = try #require(components.url)
            let request = HTTPRequest(
                method: .post,
                scheme: nil,
                authority: nil,
                path: path,
                headerFields: [.contentType: "application/json"]
            )
            let transport = AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(120)))
            let (response, responseBody) = try await OpenInferenceClientMiddleware().intercept(
                request,
                body: HTTPBody(body),
                baseURL: baseURL,
                operationID: "createChatCompletion"
            ) { request, body, baseURL in
                try await transport.send(request, body: body, baseURL: baseURL, operationID: "createChatCompletion")
            }
            var read = Data()
            if let responseBody {
                for try await piece in responseBody { read.append(contentsOf: piece) }
            }
            return (response.status.code, read)
        }
    }
}
