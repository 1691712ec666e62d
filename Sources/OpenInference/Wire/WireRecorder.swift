import Foundation
import Tracing

/// Recognises the HTTP calls of known model APIs and records each one as an OpenInference span, read from
/// the request and response bodies as they cross the wire.
///
/// ``start(method:url:body:context:function:file:line:)`` looks at a request before it is sent. A call to a known API starts
/// an LLM span (EMBEDDING for embeddings) with what the request says, input messages, invocation
/// parameters, tools and model, and returns the ``WireExchange`` that takes the response as it arrives and
/// ends the span with what it says. Any other call returns `nil`: it is not recorded and nothing about it
/// changes. Recognised, by path:
///
/// | API | Path | Span |
/// |---|---|---|
/// | OpenAI Chat Completions | `…/chat/completions` | `ChatCompletion` |
/// | OpenAI Embeddings | `…/embeddings` | `CreateEmbeddings` |
/// | OpenAI Responses | `…/responses` | `Response` |
/// | Anthropic Messages | `…/v1/messages` | `messages.create` |
/// | Gemini | `…:generateContent`, `…:streamGenerateContent` | `GenerateContent`, `GenerateContentStream` |
///
/// Spans carry the attributes the reference Python instrumentations record for the same call, masked by
/// ``TraceConfig/current`` as every span is. Request headers are never read, so no API key or
/// `Authorization` value can reach a span, and neither does the URL (which may hold Gemini's `key`).
///
/// The recorder never fails, delays or changes the call: it reads copies of the bytes, and a body it
/// cannot read still gets a span, with what could be read and why the rest could not in
/// ``SemanticConventions/Recording/issue``.
///
/// ```swift
/// // In an HTTP client's send path, before the request goes out:
/// let exchange = WireRecorder().start(method: "POST", url: url, body: body)
/// // … then as the response arrives, each piece passed on unchanged as well:
/// exchange?.receiveResponse(status: head.status, headers: head.headers)
/// for try await piece in responseBody {
///     exchange?.receiveBody(piece)
///     try await consumer.send(piece)
/// }
/// exchange?.finish()  // or exchange?.fail(error) when the call fails or is cancelled
/// ```
///
/// With `URLSession`, the `OpenInferenceURLSession` product does this for every call of a session:
///
/// ```swift
/// configuration.recordOpenInferenceSpans()
/// ```
public struct WireRecorder: Sendable {
    /// A recorder for the APIs listed above.
    public init() {}

    /// Starts recording the call `method` `url` with request `body`, when it is a known API's; returns
    /// `nil` for any other call, which is then not recorded.
    ///
    /// The span starts now, as a child of `context` (by default the task's current span), on the task's
    /// tracer, unless the configuration's export filter declines it (by this name, kind and the calling
    /// `function`, `fileID` and `line`).
    public func start(
        method: String,
        url: URL,
        body: Data?,
        context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
        function: String = #function,
        file fileID: String = #fileID,
        line: UInt = #line
    ) -> WireExchange? {
        guard let api = Self.api(method: method, url: url) else { return nil }
        return WireExchange(api: api, url: url, body: body, context: context(), function: function, file: fileID, line: line)
    }

    /// Whether ``start(method:url:body:context:function:file:line:)`` would record the call `method` `url`: a seam that has to
    /// copy a request body to record it asks first, and leaves every other call alone.
    public func recognizes(method: String, url: URL) -> Bool {
        Self.api(method: method, url: url) != nil
    }

    /// The handler of the first API that recognises the call, if any.
    static func api(method: String, url: URL) -> (any WireAPI)? {
        if let api = OpenAIChatCompletionsAPI(method: method, url: url) { return api }
        if let api = OpenAIEmbeddingsAPI(method: method, url: url) { return api }
        if let api = OpenAIResponsesAPI(method: method, url: url) { return api }
        if let api = AnthropicMessagesAPI(method: method, url: url) { return api }
        if let api = GeminiGenerateContentAPI(method: method, url: url) { return api }
        return nil
    }
}
