import Foundation

/// One provider API the ``WireRecorder`` recognises: how to tell its calls from others, and how to read its
/// request and response bodies into what an OpenInference span records.
///
/// A conforming type only parses; ``WireExchange`` starts, records and ends the span for every API alike,
/// so adding an API is one more file with one more conforming type, listed in ``WireRecorder/apis``.
/// A value is made per call and may keep what a stream has delivered so far.
protocol WireAPI: Sendable {
    /// The API's handler for a call to `url` with `method`, or `nil` when the call is not one of its
    /// (the body has not been read yet, so this looks at the method and path alone).
    init?(method: String, url: URL)

    /// The span's name, as the reference Python instrumentation names it.
    var spanName: String { get }

    /// `LLM`, or `EMBEDDING` for an embeddings API.
    var kind: OpenInferenceSpanKind { get }

    /// `llm.system`, when the reference records one for this API.
    var system: String? { get }

    /// `llm.provider` when the host is not one of ``LLMProvider``'s (a local or proxy server).
    var fallbackProvider: String? { get }

    /// Reads the request body (a JSON object) into what the span starts with.
    mutating func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord

    /// Reads a whole response body (a JSON object) into what the span records of it.
    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord

    /// Takes one event of a streamed response; returns whether it carried the first piece of the answer
    /// (text, reasoning or a tool call), which the span marks with a `First Token Stream Event`.
    mutating func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool

    /// Whether the events read so far include the one that closes a stream; `sawDone` says whether the
    /// stream's data said `[DONE]` (how OpenAI Chat Completions ends one).
    func streamIsComplete(sawDone: Bool) -> Bool

    /// What a stream's error event said (Anthropic's `error`, OpenAI Responses' `error` or
    /// `response.failed`), when one arrived: the span then ends as an error.
    var streamFailure: String? { get }

    /// The events read so far merged into the one response they stand for (what ``readResponse(_:)``
    /// reads, and what `output.value` records for a stream), or `nil` before any event.
    var streamedResponse: [String: OpenInferenceJSON]? { get }
}

extension WireAPI {
    var kind: OpenInferenceSpanKind { .llm }
    var system: String? { nil }
    var fallbackProvider: String? { nil }
    var streamFailure: String? { nil }
}
