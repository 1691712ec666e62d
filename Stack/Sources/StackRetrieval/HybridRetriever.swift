import Metrics
import OpenInference

/// Three-stage retrieval: BM25 and dense candidates, fused by reciprocal-rank fusion, then reranked.
///
/// Each call is a RETRIEVER span recording the query, `stack.retrieval.top_k` and every returned document;
/// the query's embedding is an EMBEDDING span (made by the embedding client) and reranking a RERANKER span.
///
/// ```swift
/// let retriever = HybridRetriever(index: index, embedder: embedder)
/// let documents = try await retriever.retrieve(query: "SQLite concurrency", topK: 4)
/// ```
public struct HybridRetriever: Sendable {
    public let index: RetrievalIndex
    public let embedder: any EmbeddingProvider
    public let reranker: (any Reranker)?
    /// How many candidates each stage contributes, as a multiple of `topK` (at least 20).
    public var candidateMultiplier = 4
    /// RRF's constant: larger flattens the difference between ranks.
    public var fusionConstant = 60.0
    /// Document content recorded on the span and returned is cut to this many characters.
    public var maxContentCharacters = 1200

    public init(index: RetrievalIndex, embedder: any EmbeddingProvider, reranker: (any Reranker)? = nil) {
        self.index = index
        self.embedder = embedder
        self.reranker = reranker
    }

    /// The key the application records each retrieval's requested count under (not an OpenInference key).
    public static let topKAttribute = "stack.retrieval.top_k"

    /// The best `topK` chunks for `query`, as documents (best first, score = fused or reranked score).
    public func retrieve(query: String, topK: Int) async throws -> [RetrievalDocument] {
        let started = ContinuousClock.now
        var outcome = "error"
        // `retrieval_duration_seconds{outcome}` through swift-metrics, beside the span.
        defer { Timer(label: "retrieval_duration_seconds", dimensions: [("outcome", outcome)]).record(duration: ContinuousClock.now - started) }
        return try await withRetrieverSpan(query: query) { span in
            span.base.record { $0.set(Self.topKAttribute, topK) }
            let chunks = try await retrieveChunks(query: query, topK: topK)
            let documents = chunks.map { $0.document(maxContent: maxContentCharacters) }
            span.recordDocuments(documents)
            outcome = "ok"
            return documents
        }
    }

    /// The stages without the span, for callers that want the ranks.
    public func retrieveChunks(query: String, topK: Int) async throws -> [RetrievedChunk] {
        guard topK > 0, !RetrievalIndex.terms(query).isEmpty || !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            return []
        }
        let candidates = max(20, topK * candidateMultiplier)
        let lexical = try index.lexicalSearch(query, limit: candidates).map(\.id)
        let queryVector = try await embedder.embed([query]).first ?? []
        let dense = try index.denseSearch(queryVector, limit: candidates).map(\.id)
        let fused = ReciprocalRankFusion.fuse([lexical, dense], k: fusionConstant)
        let chunks = try index.chunks(ids: fused.map(\.id))
        var retrieved = fused.compactMap { entry -> RetrievedChunk? in
            guard let chunk = chunks[entry.id] else { return nil }
            return RetrievedChunk(
                chunk: chunk,
                score: entry.score,
                lexicalRank: lexical.firstIndex(of: entry.id).map { $0 + 1 },
                denseRank: dense.firstIndex(of: entry.id).map { $0 + 1 }
            )
        }
        if let reranker {
            let input = Array(retrieved.prefix(topK * 2))
            retrieved = try await withRerankerSpan(
                query: query,
                model: reranker.name,
                topK: topK,
                documents: input.map { $0.document(maxContent: maxContentCharacters) }
            ) { span in
                let reranked = Array(try await reranker.rerank(query: query, documents: input).prefix(topK))
                span.recordOutputDocuments(reranked.map { $0.document(maxContent: maxContentCharacters) })
                return reranked
            }
        }
        return Array(retrieved.prefix(topK))
    }
}

/// Reciprocal-rank fusion: each list adds `1 / (k + rank)` to an item's score.
public enum ReciprocalRankFusion {
    /// Items of all `rankings` (each best first), by fused score, best first; ties keep first appearance.
    public static func fuse(_ rankings: [[String]], k: Double = 60) -> [(id: String, score: Double)] {
        var scores: [String: Double] = [:]
        var order: [String] = []
        for ranking in rankings {
            for (position, id) in ranking.enumerated() {
                if scores[id] == nil { order.append(id) }
                scores[id, default: 0] += 1 / (k + Double(position + 1))
            }
        }
        return order.enumerated()
            .sorted { lhs, rhs in
                let (a, b) = (scores[lhs.element]!, scores[rhs.element]!)
                return a != b ? a > b : lhs.offset < rhs.offset
            }
            .map { (id: $0.element, score: scores[$0.element]!) }
    }
}
