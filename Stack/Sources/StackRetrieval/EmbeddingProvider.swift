/// Turns texts into vectors: an OpenAI-compatible embeddings endpoint in production, anything
/// deterministic in tests.
public protocol EmbeddingProvider: Sendable {
    /// One vector per text, in order, all of the same length.
    func embed(_ texts: [String]) async throws -> [[Double]]
}

/// Reorders documents by relevance to a query (a cross-encoder or a rerank endpoint).
public protocol Reranker: Sendable {
    /// A name recorded as `reranker.model_name`.
    var name: String { get }
    /// The documents, best first, with their new scores.
    func rerank(query: String, documents: [RetrievedChunk]) async throws -> [RetrievedChunk]
}
