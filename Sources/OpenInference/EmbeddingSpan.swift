import Tracing

/// An EMBEDDING span: one call that turns texts into vectors.
public struct EmbeddingSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    /// Records the vectors, in the order of the texts the span started with.
    public func recordVectors(_ vectors: [[Double]]) {
        base.record { writer in
            for (index, vector) in vectors.enumerated() {
                writer.set(AttributeKeys.embedding(index, SemanticConventions.Embedding.vector), .doubleArray(vector))
            }
        }
    }

    /// Records the model that actually answered, when the server reports one.
    public func recordModelName(_ name: String) {
        base.record { $0.set(SemanticConventions.Embedding.modelName, name) }
    }

    /// Records `llm.token_count.prompt` and `.total` when the server reports usage.
    public func recordTokenUsage(_ usage: TokenUsage) {
        base.record { writer in
            writer.set(SemanticConventions.LLM.TokenCount.prompt, usage.prompt)
            writer.set(SemanticConventions.LLM.TokenCount.total, usage.total)
        }
    }
}

/// Runs `body` inside an EMBEDDING span describing one call that turns texts into vectors.
///
/// The span is named `CreateEmbeddings`, as the OpenInference specification requires of embedding spans,
/// and records the model, the texts (as `embedding.embeddings.N.embedding.text`) and, when given, the
/// invocation parameters (`embedding.invocation_parameters`, the request without its input), the system and
/// the provider (lowercased, as on LLM spans). `body` records the vectors and token counts.
///
/// ```swift
/// let vectors = try await withEmbeddingSpan(model: "text-embedding-3-small", texts: texts) { span in
///     let vectors = try await client.embed(texts)
///     span.recordVectors(vectors)
///     return vectors
/// }
/// ```
public nonisolated(nonsending) func withEmbeddingSpan<T>(
    _ name: String = "CreateEmbeddings",
    model: String? = nil,
    texts: [String],
    parameters: OpenInferenceJSON? = nil,
    system: String? = nil,
    provider: String? = nil,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (EmbeddingSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .embedding,
        context: context(),
        ofKind: .client,
        function: function,
        file: fileID,
        line: line,
        wrap: EmbeddingSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Embedding.modelName, model)
            writer.set(SemanticConventions.LLM.system, system.map(LLMProvider.normalized))
            writer.set(SemanticConventions.LLM.provider, provider.map(LLMProvider.normalized))
            writer.set(SemanticConventions.Embedding.invocationParameters, json: parameters)
            for (index, text) in texts.enumerated() {
                writer.set(AttributeKeys.embedding(index, SemanticConventions.Embedding.text), text)
            }
        },
        body
    )
}
