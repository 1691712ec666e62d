#if Phoenix
import OpenInference
import PhoenixAPI

extension PhoenixClient {
    /// What an annotation is about, beyond one span.
    public enum AnnotationSubject: Sendable, Hashable {
        /// A whole trace (`POST /v1/trace_annotations`), by its 32-hex id.
        case trace(String)
        /// A session (`POST /v1/session_annotations`): the spans sharing a `session.id`.
        case session(String)
    }

    /// How Phoenix should take an annotation whose trace or session it may not hold yet.
    public enum AnnotationDelivery: Sendable, Hashable {
        /// Written before Phoenix answers; Phoenix answers 404 (``PhoenixClientError/httpStatus(_:path:body:)``)
        /// when it holds no such trace or session, and the annotation's id otherwise.
        case now
        /// Accepted at once and attached by Phoenix when the trace or session arrives. Phoenix 20 keeps
        /// such annotations in memory and retries them for about ten minutes; a restart loses them, so
        /// keep your own copy until ``now`` succeeds.
        case whenItArrives
    }

    /// Attaches an annotation to a whole trace or a session, and returns its id (`nil` with
    /// ``AnnotationDelivery/whenItArrives``, which Phoenix does not answer with one).
    ///
    /// With an `identifier`, posting again updates the same annotation instead of adding another.
    ///
    /// ```swift
    /// try await phoenix.annotate(.trace(traceID), name: "user_feedback", annotatorKind: .human,
    ///                            result: .init(label: "thumbs_down", score: 0), identifier: feedbackID)
    /// ```
    @discardableResult
    public func annotate(
        _ subject: AnnotationSubject,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        result: SpanAnnotation.Result,
        metadata: [String: OpenInferenceJSON] = [:],
        identifier: String? = nil,
        delivery: AnnotationDelivery = .now
    ) async throws(PhoenixClientError) -> String? {
        let wireResult = Components.Schemas.AnnotationResult(explanation: result.explanation, label: result.label, score: result.score)
        let wireMetadata = metadata.isEmpty ? nil : OpenInferenceJSON.openAPIObject(metadata)
        let sync = delivery == .now
        switch subject {
        case .trace(let traceID):
            let annotation = Components.Schemas.TraceAnnotationData(
                annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .human,
                identifier: identifier,
                metadata: wireMetadata.map { .init(additionalProperties: $0) },
                name: name,
                result: wireResult,
                traceId: traceID
            )
            return try await call("/v1/trace_annotations") {
                try await api.annotateTraces(query: .init(sync: sync), body: .json(.init(data: [annotation]))).ok.body.json.data.first?.id
            }
        case .session(let sessionID):
            let annotation = Components.Schemas.SessionAnnotationData(
                annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .human,
                identifier: identifier,
                metadata: wireMetadata.map { .init(additionalProperties: $0) },
                name: name,
                result: wireResult,
                sessionId: sessionID
            )
            return try await call("/v1/session_annotations") {
                try await api.annotateSessions(query: .init(sync: sync), body: .json(.init(data: [annotation]))).ok.body.json.data.first?.id
            }
        }
    }

    /// The annotations Phoenix holds for the given traces of `project`.
    public func traceAnnotations(project: String, traceIDs: [String]) async throws(PhoenixClientError) -> [PhoenixTraceAnnotation] {
        try await allPages("/v1/projects/{project}/trace_annotations") { cursor in
            let page = try await api.listTraceAnnotationsByTraceIds(
                path: .init(projectIdentifier: project),
                query: .init(traceIds: traceIDs, cursor: cursor, limit: 1000)
            ).ok.body.json
            return (page.data.map(PhoenixTraceAnnotation.init), page.nextCursor)
        }
    }
}
#endif  // Phoenix
