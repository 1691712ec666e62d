import OpenInference

/// A piece of a source file, as indexed.
public struct Chunk: Sendable, Hashable {
    /// `<source>#<ordinal>`: stable across re-ingests of an unchanged file.
    public var id: String
    /// The file's path relative to the ingested folder.
    public var source: String
    /// The file's first Markdown heading, or its name.
    public var title: String
    public var ordinal: Int
    public var content: String

    public init(id: String, source: String, title: String, ordinal: Int, content: String) {
        self.id = id
        self.source = source
        self.title = title
        self.ordinal = ordinal
        self.content = content
    }
}

/// A chunk found for a query, with its score and the ranks each stage gave it.
public struct RetrievedChunk: Sendable, Hashable {
    public var chunk: Chunk
    public var score: Double
    /// 1-based rank in the BM25 stage, if it was found there.
    public var lexicalRank: Int?
    /// 1-based rank in the dense stage, if it was found there.
    public var denseRank: Int?

    public init(chunk: Chunk, score: Double, lexicalRank: Int? = nil, denseRank: Int? = nil) {
        self.chunk = chunk
        self.score = score
        self.lexicalRank = lexicalRank
        self.denseRank = denseRank
    }

    /// The OpenInference document recorded on spans and returned to tools, content cut to `maxContent` characters.
    public func document(maxContent: Int = .max) -> RetrievalDocument {
        var metadata: [String: OpenInferenceJSON] = ["source": .string(chunk.source), "title": .string(chunk.title)]
        if let lexicalRank { metadata["bm25_rank"] = .int(lexicalRank) }
        if let denseRank { metadata["dense_rank"] = .int(denseRank) }
        let content = chunk.content.count > maxContent ? String(chunk.content.prefix(maxContent)) + "…" : chunk.content
        return RetrievalDocument(id: chunk.id, content: content, score: score, metadata: metadata)
    }
}
