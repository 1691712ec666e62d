import Tracing

/// A RETRIEVER span: one fetch of documents for a query.
public struct RetrieverSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    /// Records the returned documents as `retrieval.documents.N.document.*`.
    public func recordDocuments(_ documents: [RetrievalDocument]) {
        base.record { $0.set(documents: documents, under: SemanticConventions.Retrieval.documents) }
    }
}

/// Runs `body` inside a RETRIEVER span for `query`.
///
/// ```swift
/// let documents = try await withRetrieverSpan(query: question) { span in
///     let documents = try await index.search(question, limit: 5)
///     span.recordDocuments(documents)
///     return documents
/// }
/// ```
public nonisolated(nonsending) func withRetrieverSpan<T>(
    _ name: String = "retrieve",
    query: String,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (RetrieverSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .retriever,
        context: context(),
        ofKind: .internal,
        function: function,
        file: fileID,
        line: line,
        wrap: RetrieverSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Input.value, query)
            writer.set(SemanticConventions.Input.mimeType, "text/plain")
        },
        body
    )
}
