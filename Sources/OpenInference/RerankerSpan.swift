import Tracing

/// A RERANKER span: one reordering of documents by relevance to a query.
public struct RerankerSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    /// Records the reordered documents as `reranker.output_documents.N.document.*`.
    public func recordOutputDocuments(_ documents: [RetrievalDocument]) {
        base.record { $0.set(documents: documents, under: SemanticConventions.Reranker.outputDocuments) }
    }
}

/// Runs `body` inside a RERANKER span over `documents`.
public nonisolated(nonsending) func withRerankerSpan<T>(
    _ name: String = "rerank",
    query: String,
    model: String? = nil,
    topK: Int? = nil,
    documents: [RetrievalDocument],
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (RerankerSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .reranker,
        context: context(),
        ofKind: .internal,
        function: function,
        file: fileID,
        line: line,
        wrap: RerankerSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Reranker.query, query)
            writer.set(SemanticConventions.Reranker.modelName, model)
            writer.set(SemanticConventions.Reranker.topK, topK)
            writer.set(documents: documents, under: SemanticConventions.Reranker.inputDocuments)
        },
        body
    )
}
