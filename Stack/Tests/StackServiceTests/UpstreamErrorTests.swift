import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInferenceTelemetry
import StackService
import StackTestSupport
import Testing

@Suite("Upstream errors: no secrets, no internal URL")
struct UpstreamErrorTests {
    static let modelKey = "sk-service-upstream-7f3a91c2"
    static let urlPassword = "url-pass-c0ffee11"
    static let urlUser = "svc-model-user"
    /// What must appear in no answer and no span.
    static let secrets = [modelKey, urlPassword, urlUser, "Bearer ", ServiceHarness.apiKey]

    static let routes: [(path: String, body: String)] = [
        ("/v1/agent/runs", #"{"goal":"hi"}"#),
        ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"hi"}]}"#),
        ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"hi"}],"stream":true}"#),
    ]

    @Test(
        "A model server echoing our headers in a 500: the answer is a generic 502 (or stream error event) with the trace id, and no span holds a secret",
        arguments: routes.indices
    )
    func echoedHeadersStayOut(route: Int) async throws {
        let (path, body) = Self.routes[route]
        let harness = try await ServiceHarness(
            modelReplies: [.echoingRequest(status: 500)], modelAPIKey: Self.modelKey,
            modelURLCredentials: "\(Self.urlUser):\(Self.urlPassword)"
        )
        let (status, text, traceID) = try await harness.test { client in
            try await client.execute(uri: path, method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body), $0.traceID)
            }
        }
        // The model server did get the key: that is what it echoed.
        let sent = try #require(harness.model.requests.first)
        #expect(sent.headers["authorization"] == "Bearer \(Self.modelKey)")
        let modelHost = try #require(sent.headers["host"])
        let trace = try #require(traceID)
        if body.contains("stream") {
            #expect(status == .ok)
            #expect(text.contains(#""type":"upstream_error""#))
        } else {
            #expect(status == .badGateway)
        }
        #expect(text.contains("HTTP 500"))
        #expect(text.contains(trace))
        for secret in Self.secrets + [modelHost, "chat/completions HTTP/1.1"] {
            #expect(!text.contains(secret), "the answer holds \(secret): \(text)")
        }
        let spans = harness.recorder.spans
        #expect(spans.contains { $0.status?.message?.contains("[REDACTED]") == true })
        for span in spans {
            var recorded = [span.name, span.status?.message ?? ""] + span.events.map { "\($0.name) \($0.attributes)" }
            span.attributes.forEach { key, value in recorded.append("\(key)=\(value)") }
            let all = recorded.joined(separator: "\n")
            for secret in Self.secrets { #expect(!all.contains(secret), "span \(span.name) holds \(secret): \(all)") }
        }
    }
}
