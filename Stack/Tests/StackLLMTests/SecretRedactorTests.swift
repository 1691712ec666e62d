import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackLLM
import StackTestSupport
import Testing
import Tracing

@Suite("Secret redaction")
struct SecretRedactorTests {
    @Test(
        "Credential-shaped values are redacted whatever secrets are known",
        arguments: [
            ("Authorization: Bearer abc.def-123", "Authorization: [REDACTED]"),
            (#"{"authorization":"Bearer abc.def-123","x":1}"#, #"{"authorization":"[REDACTED]","x":1}"#),
            ("the token was bearer abcdef0123", "the token was bearer [REDACTED]"),
            ("X-API-Key: k-1234567", "X-API-Key: [REDACTED]"),
            ("Cookie: session=abc; other=def", "Cookie: [REDACTED]"),
            ("key sk-proj-ABCDEFGH1234 leaked", "key [REDACTED] leaked"),
            ("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==", "Proxy-Authorization: [REDACTED]"),
            ("sent Basic dXNlcjpwYXNzd29yZA== to it", "sent Basic [REDACTED] to it"),
            ("GET http://me:pa55word@model.internal/v1 failed", "GET http://[REDACTED]@model.internal/v1 failed"),
            ("nothing secret: HTTP 500, model busy", "nothing secret: HTTP 500, model busy"),
        ]
    )
    func shapes(input: String, expected: String) {
        #expect(SecretRedactor().redact(input) == expected)
    }

    @Test("Known secrets are redacted anywhere, as written and percent-encoded; short ones are left to the shapes")
    func knownSecrets() {
        let redactor = SecretRedactor(secrets: ["hunter2-long", "p@ss word", "ab", ""])
        #expect(redactor.redact("echo hunter2-long and again hunter2-long") == "echo [REDACTED] and again [REDACTED]")
        #expect(redactor.redact("raw p@ss word, encoded p%40ss%20word") == "raw [REDACTED], encoded [REDACTED]")
        #expect(redactor.redact("ab stays") == "ab stays")
    }

    @Test("A URL's user and password become known secrets, and the URL is shown without them")
    func urlCredentials() throws {
        let url = try #require(URL(string: "http://svc-user:s3cr%21t-pass@model.internal:8000/v1"))
        let redactor = SecretRedactor().adding(credentialsOf: url)
        #expect(redactor.redact("password s3cr!t-pass, user svc-user") == "password [REDACTED], user [REDACTED]")
        #expect(SecretRedactor.withoutCredentials(url) == "http://model.internal:8000/v1")
        #expect(SecretRedactor.withoutCredentials("http://model.internal/v1") == "http://model.internal/v1")
    }

    @Test("A model server echoing the request headers in its error leaves neither key nor URL credentials in the error or the span")
    func echoedHeadersAreRedacted() async throws {
        let server = ScriptedHTTPServer([.echoingRequest(status: 500)])
        let root = try await server.start()
        let port = try #require(root.port)
        let url = try #require(URL(string: "http://svc-user:url-pass-9931@127.0.0.1:\(port)/v1"))
        var configuration = LLMClientConfiguration(baseURL: url, apiKey: "sk-upstream-key-55d2e1", model: "scripted", maxRetries: 0)
        configuration.redactedSecrets = ["client-key-0042"]
        let client = LLMClient(configuration: configuration)
        let recorder = InMemorySpanRecorder()
        let error = await withTracer(StackTracer(processor: recorder)) {
            await #expect(throws: LLMClientError.self) {
                try await client.chat(ChatRequest(messages: [.user("client-key-0042 says hi")]))
            }
        }
        let sent = try #require(server.requests.first)
        #expect(sent.headers["authorization"] == "Bearer sk-upstream-key-55d2e1")
        let described = String(describing: try #require(error))
        #expect(described.contains("HTTP 500"))
        #expect(described.contains("http://127.0.0.1:\(port)/v1/chat/completions"))
        let span = try #require(recorder.spans.first)
        let status = span.status?.message ?? ""
        var recorded = [status] + span.events.map { "\($0.name) \($0.attributes)" }
        span.attributes.forEach { key, value in
            // The prompt itself is the caller's; only what the server sent back must be clean.
            if !key.hasPrefix("llm.input_messages"), key != "input.value" { recorded.append("\(key)=\(value)") }
        }
        for text in [described, recorded.joined(separator: "\n")] {
            for secret in ["sk-upstream-key-55d2e1", "url-pass-9931", "svc-user", "client-key-0042", "Bearer "] {
                #expect(!text.contains(secret), "\(secret) in \(text)")
            }
        }
        #expect(status.contains("[REDACTED]"))
        #expect(LLMClientError.httpStatus(500, url: "http://x/v1", message: "boom").summary.contains("boom") == false)
    }
}
