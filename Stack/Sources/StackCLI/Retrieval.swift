import Foundation
import OpenInference
import StackLLM
import StackRetrieval

/// Connects the CLI's tools to the hybrid retriever, with the LLM client as its embedding model.
struct Retrieval: Sendable {
    let index: RetrievalIndex
    let retriever: HybridRetriever

    /// Opens the index at `path`, or returns `nil` when there is none yet (the agent then runs without search).
    static func open(at path: String, client: LLMClient) async throws -> Retrieval? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let index = try RetrievalIndex(path: path, embedder: ClientEmbedder(client: client))
        let reranker = client.configuration.rerankModel.map { EndpointReranker(client: client, model: $0) }
        return Retrieval(
            index: index,
            retriever: HybridRetriever(index: index, embedder: ClientEmbedder(client: client), reranker: reranker)
        )
    }

    /// Ingests `corpus` into the index at `path` unless the index already holds chunks.
    static func ensureIndex(at path: String, corpus: String, client: LLMClient) async throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let index = try RetrievalIndex(path: path, embedder: ClientEmbedder(client: client))
        if try await index.chunkCount() == 0 {
            let count = try await index.ingest(folder: URL(fileURLWithPath: corpus))
            print("ingested \(count) chunks from \(corpus) into \(path)")
        }
    }

    func search(_ query: String, limit: Int) async throws -> [RetrievalDocument] {
        try await retriever.retrieve(query: query, topK: limit)
    }

    func chunk(id: String) async throws -> RetrievalDocument? {
        try await index.chunk(id: id)
    }
}

/// The LLM client's embeddings endpoint as the retriever's embedding model.
struct ClientEmbedder: EmbeddingProvider {
    let client: LLMClient
    func embed(_ texts: [String]) async throws -> [[Double]] { try await client.embed(texts) }
}

/// The model server's `/rerank` endpoint as the retriever's reranking stage (`OPENAI_RERANK_MODEL`).
struct EndpointReranker: Reranker {
    let client: LLMClient
    let model: String
    var name: String { model }

    func rerank(query: String, documents: [RetrievedChunk]) async throws -> [RetrievedChunk] {
        let results = try await client.rerank(query: query, documents: documents.map(\.chunk.content), model: model)
        return results.map { result in
            var chunk = documents[result.index]
            chunk.score = result.relevanceScore
            return chunk
        }
    }
}
