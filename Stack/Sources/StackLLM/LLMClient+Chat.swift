import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import Tracing
import _OpenInferenceHTTP

// Chat completions: one request, one answer, one LLM span.
extension LLMClient {
    /// Sends a chat completion and waits for the whole answer.
    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let model = request.model ?? configuration.model
        let (text, parameters) = request.body(model: model, stream: false)
        return try await withTracedChat(request, model: model, parameters: parameters) { span in
            // Encoded once: the same text goes to the server and, unless images must be hidden, to the span.
            recordInput(request, text: text, on: span)
            let response = try await send(path: "/chat/completions", body: text, stream: false)
            let bytes = try await collect(response)
            let decoded: OpenAIWire.ChatCompletion
            do {
                decoded = try JSONDecoder().decode(OpenAIWire.ChatCompletion.self, from: Data(bytes.readableBytesView))
            } catch {
                throw LLMClientError.malformedResponse("not a chat completion: \(error)")
            }
            guard let choice = decoded.choices?.first, let wire = choice.message else {
                throw LLMClientError.malformedResponse("the answer has no choices[0].message")
            }
            let result = ChatResponse(
                message: LLMMessage(wire),
                finishReason: choice.finishReason,
                usage: decoded.usage?.tokenUsage,
                model: decoded.model
            )
            record(result, responseJSON: String(buffer: bytes), requestedModel: model, on: span)
            return result
        }
    }

    func withTracedChat(
        _ request: ChatRequest,
        model: String,
        parameters: OpenInferenceJSON,
        _ operation: nonisolated(nonsending) (LLMSpan) async throws -> ChatResponse
    ) async throws -> ChatResponse {
        try await measured("chat", model: model, responseModel: \.model, usage: \.usage) {
            try await tracedChat(request, model: model, parameters: parameters, operation)
        }
    }

    func tracedChat(
        _ request: ChatRequest,
        model: String,
        parameters: OpenInferenceJSON,
        _ operation: nonisolated(nonsending) (LLMSpan) async throws -> ChatResponse
    ) async throws -> ChatResponse {
        try await withLLMSpan(
            "chat \(model)",
            model: model,
            system: configuration.system,
            provider: provider,
            messages: request.messages,
            parameters: parameters,
            tools: request.tools,
            operation
        )
    }

    /// Records the request body as `input.value`: `text` itself, unless the trace configuration hides
    /// images inside it (the body is parsed back only when the request has an image).
    func recordInput(_ request: ChatRequest, text: String, on span: LLMSpan) {
        guard request.hasImages, span.base.span.isRecording,
            case .object(let body)? = try? JSONDecoder().decode(OpenInferenceJSON.self, from: Data(text.utf8)),
            let hidden = ChatRequest.bodyWithImagesHidden(body, config: span.base.config)
        else {
            span.recordInput(jsonText: text)
            return
        }
        span.recordInput(jsonText: OpenInferenceJSON.object(hidden).jsonString)
    }

    func record(_ response: ChatResponse, responseJSON: String, requestedModel: String, on span: LLMSpan) {
        span.recordOutput(messages: [response.message], responseJSON: responseJSON)
        span.recordFinishReason(response.finishReason)
        if let model = response.model { span.recordModelName(model) }
        guard let usage = response.usage else { return }
        span.recordTokenUsage(usage)
        // Priced by the name the caller asked for: servers often answer with a file path or a dated variant.
        let price = configuration.prices[requestedModel] ?? response.model.flatMap { configuration.prices[$0] }
        let cost = price?.cost(of: usage)
        if let cost { span.recordCost(cost) }
        LLMMetrics.record(model: configuration.metricLabel(model: requestedModel), usage: usage, cost: cost)
    }
}
