import Tracing

/// A retrieved or reranked document, recorded as `retrieval.documents.N.document.*`.
public struct Document: Sendable, Hashable {
    /// A stable id for the document or chunk.
    public var id: String?
    /// The text shown to the model.
    public var content: String?
    /// The relevance score the retriever or reranker gave it.
    public var score: Double?
    /// Free-form metadata (source path, title, offsets), stored as a JSON string.
    public var metadata: [String: JSONValue]

    public init(id: String? = nil, content: String? = nil, score: Double? = nil, metadata: [String: JSONValue] = [:]) {
        self.id = id
        self.content = content
        self.score = score
        self.metadata = metadata
    }
}

/// One embedding result, recorded as `embedding.embeddings.N.embedding.*`.
public struct EmbeddingRecord: Sendable, Hashable {
    /// The text that was embedded.
    public var text: String?
    /// The vector; hidden when ``TraceConfig/hideEmbeddingVectors`` is set.
    public var vector: [Double]?

    public init(text: String?, vector: [Double]? = nil) {
        self.text = text
        self.vector = vector
    }
}

/// Token counts of one model call.
public struct TokenUsage: Sendable, Hashable {
    public var prompt: Int?
    public var completion: Int?
    public var total: Int?
    /// Prompt tokens served from the provider's cache.
    public var promptCacheRead: Int?
    /// Prompt tokens written to the provider's cache.
    public var promptCacheWrite: Int?
    /// Completion tokens spent on hidden reasoning.
    public var completionReasoning: Int?

    /// Creates token counts; `total` defaults to `prompt + completion` when both are given.
    public init(
        prompt: Int? = nil,
        completion: Int? = nil,
        total: Int? = nil,
        promptCacheRead: Int? = nil,
        promptCacheWrite: Int? = nil,
        completionReasoning: Int? = nil
    ) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? prompt.flatMap { p in completion.map { p + $0 } }
        self.promptCacheRead = promptCacheRead
        self.promptCacheWrite = promptCacheWrite
        self.completionReasoning = completionReasoning
    }
}

/// The template a prompt was rendered from, with its variables and version.
public struct PromptTemplate: Sendable, Hashable {
    public var template: String
    public var variables: [String: JSONValue]
    public var version: String?

    public init(template: String, variables: [String: JSONValue] = [:], version: String? = nil) {
        self.template = template
        self.variables = variables
        self.version = version
    }
}
