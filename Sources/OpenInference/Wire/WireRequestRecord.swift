/// What a ``WireAPI`` read from a request body: the attributes a span starts with.
struct WireRequestRecord: Sendable {
    /// The model the request names: `llm.model_name` (`embedding.model_name` on an EMBEDDING span).
    var model: String?
    /// Whether the reference also records the requested model as `llm.request.model_name`.
    var recordsRequestModel = false
    /// The conversation, flattened into `llm.input_messages`.
    var messages: [LLMMessage] = []
    /// `llm.invocation_parameters` (`embedding.invocation_parameters` on an EMBEDDING span).
    var parameters: OpenInferenceJSON?
    /// The tools offered, each recorded as `llm.tools.N.tool.json_schema`.
    var tools: [OpenInferenceJSON] = []
    /// The texts of an embeddings request, as `embedding.embeddings.N.embedding.text`.
    var embeddingTexts: [String] = []
    /// Why part of the request could not be read, for `openinference.swift.recording_issue`.
    var notes: [String] = []
}
