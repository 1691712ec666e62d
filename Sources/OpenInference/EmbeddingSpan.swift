import Tracing

/// An EMBEDDING span: one call that turns texts into vectors.
public struct EmbeddingSpan: OpenInferenceSpanProtocol {
    public let base: OpenInferenceSpan

    /// Records the vectors, in the order of the texts the span started with.
    public func recordVectors(_ vectors: [[Double]]) {
        base.record { writer in
            for (index, vector) in vectors.enumerated() {
                writer.set(AttributeKeys.embedding(index, SemanticConventions.Embedding.vector), .doubleArray(vector))
            }
        }
    }

    /// Records `llm.token_count.prompt` and `.total` when the server reports usage.
    public func recordTokenUsage(_ usage: TokenUsage) {
        base.record { writer in
            writer.set(SemanticConventions.LLM.TokenCount.prompt, usage.prompt)
            writer.set(SemanticConventions.LLM.TokenCount.total, usage.total)
        }
    }
}

/// Runs `body` inside an EMBEDDING span for `texts`.
public nonisolated(nonsending) func withEmbeddingSpan<T>(
    _ name: String = "embed",
    model: String? = nil,
    texts: [String],
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
            for (index, text) in texts.enumerated() {
                writer.set(AttributeKeys.embedding(index, SemanticConventions.Embedding.text), text)
            }
        },
        body
    )
}
