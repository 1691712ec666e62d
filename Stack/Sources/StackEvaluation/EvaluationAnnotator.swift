import PhoenixClient

/// Where ``TraceEvaluation`` writes its verdicts: ``PhoenixClient`` in production, a recording fake in tests.
public protocol EvaluationAnnotator: Sendable {
    /// Attaches `annotation` to its span; returns the annotation's id.
    func annotateSpan(_ annotation: SpanAnnotation) async throws(PhoenixClientError) -> String

    /// Attaches a verdict to the document at `position` of a RETRIEVER span.
    func annotateDocument(
        spanID: String,
        position: Int,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        label: String?,
        score: Double?,
        explanation: String?,
        identifier: String?
    ) async throws(PhoenixClientError)
}

extension PhoenixClient: EvaluationAnnotator {}
