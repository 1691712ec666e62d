#if Phoenix
import PhoenixAPI

extension PhoenixClient {
    /// Attaches an annotation to the document at `position` of a RETRIEVER span (its
    /// `retrieval.documents.<position>`) through `POST /v1/document_annotations`; with an `identifier`,
    /// posting again replaces it.
    public func annotateDocument(
        spanID: String,
        position: Int,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        label: String?,
        score: Double?,
        explanation: String?,
        identifier: String? = nil
    ) async throws(PhoenixClientError) {
        let annotation = Components.Schemas.SpanDocumentAnnotationData(
            annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .llm,
            documentPosition: position,
            identifier: identifier,
            name: name,
            result: .init(explanation: explanation, label: label, score: score),
            spanId: spanID
        )
        _ = try await call("/v1/document_annotations") {
            try await api.annotateSpanDocuments(query: .init(sync: true), body: .json(.init(data: [annotation]))).ok.body.json
        }
    }
}
#endif  // Phoenix
