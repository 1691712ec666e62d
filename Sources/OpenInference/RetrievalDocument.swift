/// A retrieved or reranked document, recorded as `retrieval.documents.N.document.*`.
public struct RetrievalDocument: Sendable, Hashable {
    /// A stable id for the document or chunk.
    public var id: String?
    /// The text shown to the model.
    public var content: String?
    /// The relevance score the retriever or reranker gave it.
    public var score: Double?
    /// Free-form metadata (source path, title, offsets), stored as a JSON string.
    public var metadata: [String: OpenInferenceJSON]

    public init(id: String? = nil, content: String? = nil, score: Double? = nil, metadata: [String: OpenInferenceJSON] = [:]) {
        self.id = id
        self.content = content
        self.score = score
        self.metadata = metadata
    }
}
