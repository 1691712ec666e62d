import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
@_spi(Wire) import OpenInference
import Tracing
import _OpenInferenceHTTP

// Streamed chat completions: server-sent events into one answer, one LLM span.
extension LLMClient {
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
        let (text, parameters) = request.body(model: model, stream: true)
        return try await withTracedChat(request, model: model, parameters: parameters) { span in
            // Encoded once: the same text goes to the server and, unless images must be hidden, to the span.
            recordInput(request, text: text, on: span)
            let requested = ContinuousClock.now
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
                        let chunk: OpenAIWire.ChatCompletion
                        do {
                            chunk = try decoder.decode(OpenAIWire.ChatCompletion.self, from: Data(payload.utf8))
                        } catch {
                            throw LLMClientError.malformedResponse("stream event \(events) is not a chat chunk: \(error)")
                        }
                        let text = accumulator.add(chunk)
                        if !sawFirstDelta, chunk.choices?.contains(where: { $0.delta != nil }) == true {
                            sawFirstDelta = true
                            span.addEvent(LLMClient.firstTokenEvent)
                            span.recordTimeToFirstChunk(ContinuousClock.now - requested)
                        }
                        if let text { await onText(text) }
                    }
                }
            } catch let error as LLMClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw LLMClientError.connectionFailed(
                    url: shownEndpoint("/chat/completions"), reason: redactor.redact("stream broke: \(error)")
                )
            }
            guard finished else { throw LLMClientError.truncatedStream(received: events) }
            let result = ChatResponse(
                message: accumulator.message,
                finishReason: accumulator.finishReason,
                usage: accumulator.usage,
                model: accumulator.model
            )
            let responseJSON = accumulator.completion.jsonText
            record(result, responseJSON: responseJSON, requestedModel: model, on: span)
            return result
        }
    }

    /// The event an LLM span gets when a stream's first delta arrives; the name the reference
    /// instrumentation gives it, so Phoenix shows time to first token the same way for both.
    public static let firstTokenEvent = "First Token Stream Event"
}
