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
