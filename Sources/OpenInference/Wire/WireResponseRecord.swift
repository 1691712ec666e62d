/// What a ``WireAPI`` read from a response (a whole body, or a stream's events merged): the attributes a
/// span ends with.
struct WireResponseRecord: Sendable {
    /// The model that answered: `llm.model_name` (`embedding.model_name` on an EMBEDDING span).
    var model: String?
    /// Whether the reference also records the answering model as `llm.response.model_name`.
    var recordsResponseModel = false
    /// The answer, flattened into `llm.output_messages`.
    var messages: [LLMMessage] = []
    /// `llm.token_count.*`.
    var usage: TokenUsage?
    /// `llm.finish_reason`, as the provider said it.
    var finishReason: String?
    /// The tools the response says were offered, recorded over the request's as `llm.tools.N.tool.json_schema`
    /// (OpenAI Responses echoes them, as the reference records them).
    var tools: [OpenInferenceJSON] = []
    /// The vectors of an embeddings response, in the order of the texts.
    var vectors: [[Double]] = []
    /// Why part of the response could not be read, for `openinference.swift.recording_issue`.
    var notes: [String] = []
}
