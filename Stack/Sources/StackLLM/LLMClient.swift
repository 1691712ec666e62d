import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import Tracing
import _OpenInferenceHTTP

/// A client for any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp's server) whose every
/// call is an OpenInference span: LLM for chat, EMBEDDING for embeddings.
///
/// ```swift
/// let client = LLMClient(configuration: try .fromEnvironment())
/// let response = try await client.chat(ChatRequest(messages: [.user("What is SQLite?")], maxTokens: 64))
/// print(response.message.content ?? "")
/// ```
///
/// Errors are ``LLMClientError``s; 429, 5xx and failed connections are retried with backoff that
/// honours `Retry-After`. The caller's trace continues on the server: requests carry `traceparent`.
public struct LLMClient: Sendable {
    /// The server, model, retries and prices this client uses.
    public let configuration: LLMClientConfiguration
    let http: RetryingHTTPClient

    /// A client for the server in `configuration`.
    ///
    /// - Parameter httpClient: the HTTP client to send with; `nil` uses the process's shared one. A client
    ///   given here must have AsyncHTTPClient's tracing off (the LLM span describes the call), and its
    ///   owner shuts it down.
    public init(configuration: LLMClientConfiguration, httpClient: HTTPClient? = nil) {
        self.configuration = configuration
        self.http = RetryingHTTPClient(
            client: httpClient ?? .sharedUntraced,
            policy: HTTPRetryPolicy(
                maxAttempts: configuration.maxRetries + 1,
                initialBackoff: configuration.initialBackoff,
                maxBackoff: configuration.maxBackoff
            )
        )
    }

    /// `llm.provider`: the configured one, or the one the base URL's host belongs to.
    var provider: String? {
        configuration.provider ?? configuration.baseURL.host.flatMap(LLMProvider.inferred(fromHost:))
    }

    /// Runs one model call and records the GenAI client metrics for it, failed calls included.
    func measured<T>(
        _ operation: String,
        model: String,
        responseModel: (T) -> String?,
        usage: (T) -> TokenUsage?,
        _ call: () async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let provider = self.provider ?? configuration.system
        let model = configuration.metricLabel(model: model)
        do {
            let result = try await call()
            LLMMetrics.recordGenAIOperation(
                operation: operation, provider: provider, requestModel: model,
                responseModel: responseModel(result).map(configuration.metricLabel(model:)),
                duration: start.duration(to: clock.now), usage: usage(result), errorType: nil
            )
            return result
        } catch {
            LLMMetrics.recordGenAIOperation(
                operation: operation, provider: provider, requestModel: model, responseModel: nil,
                duration: start.duration(to: clock.now), usage: nil, errorType: String(describing: type(of: error))
            )
            throw error
        }
    }

    func endpoint(_ path: String) -> String {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// `endpoint(path)` as errors and spans name it: without the URL's user and password.
    func shownEndpoint(_ path: String) -> String {
        SecretRedactor.withoutCredentials(endpoint(path))
    }

    /// Redacts the key, the base URL's credentials, ``LLMClientConfiguration/redactedSecrets`` and any
    /// credential-shaped value from text the server sent (or an error that may quote the request).
    var redactor: SecretRedactor {
        SecretRedactor(secrets: configuration.redactedSecrets + [configuration.apiKey].compactMap { $0 })
            .adding(credentialsOf: configuration.baseURL)
    }

    /// POSTs `body` with the project's ``HTTPRetryPolicy`` (408, 429, 5xx and failed connections are
    /// retried; a timeout is not, the caller's deadline has passed); returns a 2xx response whose body is unread.
    func send(path: String, body: String, stream: Bool) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: endpoint(path))
        // Errors name the endpoint without credentials, and quote nothing unredacted.
        let url = shownEndpoint(path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: stream ? "text/event-stream" : "application/json")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        InstrumentationSystem.instrument.inject(
            InstrumentationContext.current ?? .topLevel,
            into: &request.headers,
            using: HeaderInjector()
        )
        request.body = .bytes(ByteBuffer(string: body))
        let answer: RetryingHTTPClient.Answer
        do {
            answer = try await http.send(request, timeout: configuration.timeout) { !RetryingHTTPClient.isTimeout($0) }
        } catch is CancellationError {
            throw CancellationError()
        } catch let failed as HTTPAttemptsFailed {
            throw LLMClientError.connectionFailed(url: url, reason: redactor.redact(String(describing: failed.lastError)))
        } catch {
            if RetryingHTTPClient.isTimeout(error) { throw LLMClientError.timedOut(url: url, after: configuration.timeout) }
            throw LLMClientError.connectionFailed(url: url, reason: redactor.redact(String(describing: error)))
        }
        guard (200..<300).contains(answer.status) else {
            let body = (try? await answer.response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            let message = Self.errorMessage(body, redactor: redactor)
            throw LLMClientError.httpStatus(answer.status, url: url, message: message)
        }
        return answer.response
    }

    func collect(_ response: HTTPClientResponse) async throws -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: 64 << 20)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LLMClientError.malformedResponse("the body could not be read: \(error)")
        }
    }

    /// The server's own error message (`{"error":{"message":…}}`), or the start of the body, redacted
    /// before it is cut, so a secret the cut would split is still recognised whole.
    private static func errorMessage(_ body: ByteBuffer, redactor: SecretRedactor) -> String {
        let data = Data(body.readableBytesView.prefix(64 << 10))
        if let decoded = try? JSONDecoder().decode(OpenAIWire.ErrorBody.self, from: data), let message = decoded.error?.message {
            let redacted = redactor.redact(message)
            return redacted.count > 500 ? String(redacted.prefix(500)) + "…" : redacted
        }
        return String(redactor.redact(String(decoding: data, as: UTF8.self)).prefix(300))
    }
}
