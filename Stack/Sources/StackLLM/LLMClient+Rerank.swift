import Foundation
import OpenInference

extension LLMClient {
    /// One scored document from a rerank endpoint.
    public struct RerankResult: Sendable, Hashable {
        /// The position of the document in the list sent.
        public var index: Int
        public var relevanceScore: Double
    }

    /// Scores `documents` against `query` with a rerank endpoint (`POST /rerank`, the Jina/Cohere shape
    /// that llama.cpp, vLLM and TEI serve), best first.
    ///
    /// The caller records the RERANKER span; this call only talks to the server.
    public func rerank(query: String, documents: [String], model: String, topN: Int? = nil) async throws -> [RerankResult] {
        var body: [String: OpenInferenceJSON] = [
            "model": .string(model),
            "query": .string(query),
            "documents": .array(documents.map(OpenInferenceJSON.string)),
        ]
        if let topN { body["top_n"] = .int(topN) }
        let response = try await send(path: "/rerank", body: OpenInferenceJSON.object(body).jsonString, stream: false)
        let bytes = try await collect(response)
        struct Answer: Decodable {
            struct Item: Decodable {
                var index: Int
                var relevance_score: Double
            }
            var results: [Item]
        }
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView))
        } catch {
            throw LLMClientError.malformedResponse("rerank answer has no results[].index/relevance_score: \(error)")
        }
        guard answer.results.allSatisfy({ documents.indices.contains($0.index) }) else {
            throw LLMClientError.malformedResponse("rerank answer refers to a document that was not sent")
        }
        return answer.results
            .map { RerankResult(index: $0.index, relevanceScore: $0.relevance_score) }
            .sorted { $0.relevanceScore > $1.relevanceScore }
    }
}
