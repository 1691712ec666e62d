import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import Tracing
import _OpenInferenceHTTP

// Embeddings: one EMBEDDING span per call, vectors pooled when the server gives one per token.
extension LLMClient {
    /// Embeds `texts` with the embedding model, one vector per text.
    ///
    /// Servers that return one vector per token (llama.cpp's) are mean-pooled into one vector per text.
    public func embed(_ texts: [String], model: String? = nil) async throws -> [[Double]] {
        let model = model ?? configuration.embeddingModel
        // `encoding_format` is OpenAI's default, said explicitly: the vectors are parsed as JSON numbers.
        let body: [String: OpenInferenceJSON] = [
            "model": .string(model), "input": .array(texts.map(OpenInferenceJSON.string)), "encoding_format": "float",
        ]
        return try await measured("embeddings", model: model, responseModel: { _ in nil }, usage: { _ in nil }) {
            try await embedTraced(texts, model: model, body: body)
        }
    }

    func embedTraced(_ texts: [String], model: String, body: [String: OpenInferenceJSON]) async throws -> [[Double]] {
        try await withEmbeddingSpan(
            model: model,
            texts: texts,
            parameters: .object(body.filter { $0.key != "input" }),
            system: configuration.system,
            provider: provider
        ) { span in
            let text = OpenInferenceJSON.object(body).jsonString
            span.recordInput(jsonText: text)
            let response = try await send(path: "/embeddings", body: text, stream: false)
            let bytes = try await collect(response)
            let decoded: OpenInferenceJSON
            do {
                decoded = try JSONDecoder().decode(OpenInferenceJSON.self, from: Data(bytes.readableBytesView))
            } catch {
                throw LLMClientError.malformedResponse("embeddings answer is not JSON: \(error)")
            }
            guard case .object(let root) = decoded, case .array(let items)? = root["data"] else {
                throw LLMClientError.malformedResponse("embeddings answer has no data array")
            }
            var vectors = [[Double]](repeating: [], count: texts.count)
            for (position, item) in items.enumerated() {
                guard case .object(let entry) = item, let embedding = entry["embedding"] else {
                    throw LLMClientError.malformedResponse("data[\(position)] has no embedding")
                }
                var index = position
                if case .int(let given)? = entry["index"] { index = given }
                guard vectors.indices.contains(index), let vector = Self.pooledVector(embedding) else {
                    throw LLMClientError.malformedResponse("data[\(position)] is not a vector for one of the \(texts.count) inputs")
                }
                vectors[index] = vector
            }
            guard !vectors.contains(where: \.isEmpty) else {
                throw LLMClientError.malformedResponse("the server returned \(items.count) vectors for \(texts.count) inputs")
            }
            span.recordVectors(vectors)
            span.recordOutput(jsonText: String(buffer: bytes))
            if case .string(let answered)? = root["model"] { span.recordModelName(answered) }
            if case .object(let usage)? = root["usage"], case .int(let prompt)? = usage["prompt_tokens"] {
                var total: Int?
                if case .int(let value)? = usage["total_tokens"] { total = value }
                span.recordTokenUsage(TokenUsage(prompt: prompt, total: total ?? prompt))
            }
            return vectors
        }
    }

    /// One vector from either `[Double]` or per-token `[[Double]]` (mean-pooled).
    static func pooledVector(_ value: OpenInferenceJSON) -> [Double]? {
        func numbers(_ value: OpenInferenceJSON) -> [Double]? {
            guard case .array(let items) = value else { return nil }
            var result: [Double] = []
            result.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .double(let number): result.append(number)
                case .int(let number): result.append(Double(number))
                default: return nil
                }
            }
            return result
        }
        if let flat = numbers(value), !flat.isEmpty { return flat }
        guard case .array(let rows) = value, !rows.isEmpty else { return nil }
        let vectors = rows.compactMap(numbers)
        guard vectors.count == rows.count, let width = vectors.first?.count, width > 0,
            vectors.allSatisfy({ $0.count == width })
        else { return nil }
        var sum = [Double](repeating: 0, count: width)
        for vector in vectors {
            for index in 0..<width { sum[index] += vector[index] }
        }
        return sum.map { $0 / Double(vectors.count) }
    }
}
