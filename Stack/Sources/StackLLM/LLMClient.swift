import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import StackHTTP
import Tracing

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
    private let http: RetryingHTTPClient

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

    /// Sends a chat completion and waits for the whole answer.
    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let model = request.model ?? configuration.model
        let body = request.body(model: model, stream: false)
        return try await withTracedChat(request, model: model, body: body) { span in
            // Encoded once: the same text goes to the server and, unless images must be hidden, to the span.
            let text = OpenInferenceJSON.object(body).jsonString
            recordInput(body, text: text, on: span)
            let response = try await send(path: "/chat/completions", body: text, stream: false)
            let bytes = try await collect(response)
            let decoded: ChatCompletionBody
            do {
                decoded = try JSONDecoder().decode(ChatCompletionBody.self, from: Data(bytes.readableBytesView))
            } catch {
                throw LLMClientError.malformedResponse("not a chat completion: \(error)")
            }
            guard let choice = decoded.choices?.first, let wire = choice.message else {
                throw LLMClientError.malformedResponse("the answer has no choices[0].message")
            }
            let message = LLMMessage(
                role: wire.role ?? "assistant",
                content: wire.content,
                toolCalls: (wire.tool_calls ?? []).map {
                    LLMToolCall(id: $0.id, name: $0.function?.name ?? "", arguments: $0.function?.arguments ?? "")
                },
                functionCall: wire.function_call.map {
                    LLMToolCall(id: nil, name: $0.name ?? "", arguments: $0.arguments ?? "")
                }
            )
            let result = ChatResponse(
                message: message,
                finishReason: choice.finish_reason,
                usage: decoded.usage?.tokenUsage,
                model: decoded.model
            )
            record(result, responseJSON: String(buffer: bytes), requestedModel: model, on: span)
            return result
        }
    }

    /// Sends a chat completion as a server-sent-event stream, handing each piece of text to `onText`
    /// as it arrives, and returns the assembled answer.
    ///
    /// The span gets a ``firstTokenEvent`` when the first delta arrives, and the final usage
    /// (requested with `stream_options.include_usage`). A stream that ends without `[DONE]` throws
    /// ``LLMClientError/truncatedStream(received:)``.
    public func chatStream(
        _ request: ChatRequest,
        onText: @Sendable (String) async -> Void = { _ in }
    ) async throws -> ChatResponse {
        let model = request.model ?? configuration.model
        let body = request.body(model: model, stream: true)
        return try await withTracedChat(request, model: model, body: body) { span in
            // Encoded once: the same text goes to the server and, unless images must be hidden, to the span.
            let text = OpenInferenceJSON.object(body).jsonString
            recordInput(body, text: text, on: span)
            let response = try await send(path: "/chat/completions", body: text, stream: true)
            var parser = ServerSentEventParser()
            var accumulator = StreamAccumulator()
            var events = 0
            var sawFirstDelta = false
            var finished = false
            let decoder = JSONDecoder()
            do {
                streaming: for try await buffer in response.body {
                    for payload in parser.feed(buffer.readableBytesView) {
                        if payload == "[DONE]" {
                            finished = true
                            break streaming
                        }
                        events += 1
                        let chunk: ChatCompletionBody
                        do {
                            chunk = try decoder.decode(ChatCompletionBody.self, from: Data(payload.utf8))
                        } catch {
                            throw LLMClientError.malformedResponse("stream event \(events) is not a chat chunk: \(error)")
                        }
                        let text = accumulator.add(chunk)
                        if !sawFirstDelta, chunk.choices?.contains(where: { $0.delta != nil }) == true {
                            sawFirstDelta = true
                            span.addEvent(LLMClient.firstTokenEvent)
                        }
                        if let text { await onText(text) }
                    }
                }
            } catch let error as LLMClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw LLMClientError.connectionFailed(url: endpoint("/chat/completions"), reason: "stream broke: \(error)")
            }
            guard finished else { throw LLMClientError.truncatedStream(received: events) }
            let result = ChatResponse(
                message: accumulator.message,
                finishReason: accumulator.finishReason,
                usage: accumulator.usage,
                model: accumulator.model
            )
            let responseJSON = accumulator.completionJSON(usage: accumulator.usage).jsonString
            record(result, responseJSON: responseJSON, requestedModel: model, on: span)
            return result
        }
    }

    /// The event an LLM span gets when a stream's first delta arrives; the name the reference
    /// instrumentation gives it, so Phoenix shows time to first token the same way for both.
    public static let firstTokenEvent = "First Token Stream Event"

    /// Embeds `texts` with the embedding model, one vector per text.
    ///
    /// Servers that return one vector per token (llama.cpp's) are mean-pooled into one vector per text.
    public func embed(_ texts: [String], model: String? = nil) async throws -> [[Double]] {
        let model = model ?? configuration.embeddingModel
        // `encoding_format` is OpenAI's default, said explicitly: the vectors are parsed as JSON numbers.
        let body: [String: OpenInferenceJSON] = [
            "model": .string(model), "input": .array(texts.map(OpenInferenceJSON.string)), "encoding_format": "float",
        ]
        return try await measured("embeddings", model: model, responseModel: { _ in nil }, usage: { _ in nil }) {
            try await embedTraced(texts, model: model, body: body)
        }
    }

    private func embedTraced(_ texts: [String], model: String, body: [String: OpenInferenceJSON]) async throws -> [[Double]] {
        try await withEmbeddingSpan(
            model: model,
            texts: texts,
            parameters: .object(body.filter { $0.key != "input" }),
            system: configuration.system,
            provider: provider
        ) { span in
            let text = OpenInferenceJSON.object(body).jsonString
            span.recordInput(jsonText: text)
            let response = try await send(path: "/embeddings", body: text, stream: false)
            let bytes = try await collect(response)
            let decoded: OpenInferenceJSON
            do {
                decoded = try JSONDecoder().decode(OpenInferenceJSON.self, from: Data(bytes.readableBytesView))
            } catch {
                throw LLMClientError.malformedResponse("embeddings answer is not JSON: \(error)")
            }
            guard case .object(let root) = decoded, case .array(let items)? = root["data"] else {
                throw LLMClientError.malformedResponse("embeddings answer has no data array")
            }
            var vectors = [[Double]](repeating: [], count: texts.count)
            for (position, item) in items.enumerated() {
                guard case .object(let entry) = item, let embedding = entry["embedding"] else {
                    throw LLMClientError.malformedResponse("data[\(position)] has no embedding")
                }
                var index = position
                if case .int(let given)? = entry["index"] { index = given }
                guard vectors.indices.contains(index), let vector = Self.pooledVector(embedding) else {
                    throw LLMClientError.malformedResponse("data[\(position)] is not a vector for one of the \(texts.count) inputs")
                }
                vectors[index] = vector
            }
            guard !vectors.contains(where: \.isEmpty) else {
                throw LLMClientError.malformedResponse("the server returned \(items.count) vectors for \(texts.count) inputs")
            }
            span.recordVectors(vectors)
            span.recordOutput(jsonText: String(buffer: bytes))
            if case .string(let answered)? = root["model"] { span.recordModelName(answered) }
            if case .object(let usage)? = root["usage"], case .int(let prompt)? = usage["prompt_tokens"] {
                var total: Int?
                if case .int(let value)? = usage["total_tokens"] { total = value }
                span.recordTokenUsage(TokenUsage(prompt: prompt, total: total ?? prompt))
            }
            return vectors
        }
    }

    // MARK: - Internals

    /// `llm.provider`: the configured one, or the one the base URL's host belongs to.
    private var provider: String? {
        configuration.provider ?? configuration.baseURL.host.flatMap(LLMProvider.inferred(fromHost:))
    }

    private func withTracedChat(
        _ request: ChatRequest,
        model: String,
        body: [String: OpenInferenceJSON],
        _ operation: nonisolated(nonsending) (LLMSpan) async throws -> ChatResponse
    ) async throws -> ChatResponse {
        try await measured("chat", model: model, responseModel: \.model, usage: \.usage) {
            try await tracedChat(request, model: model, body: body, operation)
        }
    }

    /// Runs one model call and records the GenAI client metrics for it, failed calls included.
    private func measured<T>(
        _ operation: String,
        model: String,
        responseModel: (T) -> String?,
        usage: (T) -> TokenUsage?,
        _ call: () async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let provider = self.provider ?? configuration.system
        do {
            let result = try await call()
            LLMMetrics.recordGenAIOperation(
                operation: operation, provider: provider, requestModel: model, responseModel: responseModel(result),
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

    private func tracedChat(
        _ request: ChatRequest,
        model: String,
        body: [String: OpenInferenceJSON],
        _ operation: nonisolated(nonsending) (LLMSpan) async throws -> ChatResponse
    ) async throws -> ChatResponse {
        try await withLLMSpan(
            "chat \(model)",
            model: model,
            system: configuration.system,
            provider: provider,
            messages: request.messages,
            parameters: ChatRequest.invocationParameters(of: body),
            tools: request.tools,
            operation
        )
    }

    /// Records the request body as `input.value`: `text` itself, unless the trace configuration hides
    /// images inside it.
    private func recordInput(_ body: [String: OpenInferenceJSON], text: String, on span: LLMSpan) {
        let hidden = ChatRequest.bodyWithImagesHidden(body, config: span.base.config)
        span.recordInput(jsonText: hidden.map { OpenInferenceJSON.object($0).jsonString } ?? text)
    }

    private func record(_ response: ChatResponse, responseJSON: String, requestedModel: String, on span: LLMSpan) {
        span.recordOutput(messages: [response.message], responseJSON: responseJSON)
        span.recordFinishReason(response.finishReason)
        if let model = response.model { span.recordModelName(model) }
        guard let usage = response.usage else { return }
        span.recordTokenUsage(usage)
        // Priced by the name the caller asked for: servers often answer with a file path or a dated variant.
        let price = configuration.prices[requestedModel] ?? response.model.flatMap { configuration.prices[$0] }
        let cost = price?.cost(of: usage)
        if let cost { span.recordCost(cost) }
        LLMMetrics.record(model: requestedModel, usage: usage, cost: cost)
    }

    private func endpoint(_ path: String) -> String {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// POSTs `body` with the project's ``HTTPRetryPolicy`` (408, 429, 5xx and failed connections are
    /// retried; a timeout is not, the caller's deadline has passed); returns a 2xx response whose body is unread.
    func send(path: String, body: String, stream: Bool) async throws -> HTTPClientResponse {
        let url = endpoint(path)
        var request = HTTPClientRequest(url: url)
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
            throw LLMClientError.connectionFailed(url: url, reason: String(describing: failed.lastError))
        } catch {
            if RetryingHTTPClient.isTimeout(error) { throw LLMClientError.timedOut(url: url, after: configuration.timeout) }
            throw LLMClientError.connectionFailed(url: url, reason: String(describing: error))
        }
        guard (200..<300).contains(answer.status) else {
            let message = Self.errorMessage((try? await answer.response.body.collect(upTo: 1 << 20)) ?? ByteBuffer())
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

    /// The server's own error message (`{"error":{"message":…}}`), or the start of the body.
    private static func errorMessage(_ body: ByteBuffer) -> String {
        let data = Data(body.readableBytesView)
        if let decoded = try? JSONDecoder().decode(WireErrorBody.self, from: data), let message = decoded.error?.message {
            return message.count > 500 ? String(message.prefix(500)) + "…" : message
        }
        return String(String(decoding: data, as: UTF8.self).prefix(300))
    }

    /// One vector from either `[Double]` or per-token `[[Double]]` (mean-pooled).
    static func pooledVector(_ value: OpenInferenceJSON) -> [Double]? {
        func numbers(_ value: OpenInferenceJSON) -> [Double]? {
            guard case .array(let items) = value else { return nil }
            var result: [Double] = []
            result.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .double(let number): result.append(number)
                case .int(let number): result.append(Double(number))
                default: return nil
                }
            }
            return result
        }
        if let flat = numbers(value), !flat.isEmpty { return flat }
        guard case .array(let rows) = value, !rows.isEmpty else { return nil }
        let vectors = rows.compactMap(numbers)
        guard vectors.count == rows.count, let width = vectors.first?.count, width > 0,
            vectors.allSatisfy({ $0.count == width })
        else { return nil }
        var sum = [Double](repeating: 0, count: width)
        for vector in vectors {
            for index in 0..<width { sum[index] += vector[index] }
        }
        return sum.map { $0 / Double(vectors.count) }
    }
}

struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
