import OpenInference
import PhoenixAPI

extension PhoenixClient {
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

    /// Attaches an annotation to a whole trace through `POST /v1/trace_annotations`, and returns its
    /// id (`nil` with ``AnnotationDelivery/whenItArrives``, which Phoenix does not answer with one).
    ///
    /// With an `identifier`, posting again updates the same annotation instead of adding another.
    @discardableResult
    public func annotateTrace(
        traceID: String,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        result: SpanAnnotation.Result,
        metadata: [String: OpenInferenceJSON] = [:],
        identifier: String? = nil,
        delivery: AnnotationDelivery = .now
    ) async throws(PhoenixClientError) -> String? {
        let annotation = Components.Schemas.TraceAnnotationData(
            annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .human,
            identifier: identifier,
            metadata: metadata.isEmpty ? nil : .init(additionalProperties: OpenInferenceJSON.openAPIObject(metadata)),
            name: name,
            result: .init(explanation: result.explanation, label: result.label, score: result.score),
            traceId: traceID
        )
        let answer = try await call("/v1/trace_annotations") {
            try await api.annotateTraces(query: .init(sync: delivery == .now), body: .json(.init(data: [annotation]))).ok.body.json
        }
        return answer.data.first?.id
    }

    /// Attaches an annotation to a session (the spans sharing a `session.id`) through
    /// `POST /v1/session_annotations`, and returns its id (`nil` with ``AnnotationDelivery/whenItArrives``).
    ///
    /// With an `identifier`, posting again updates the same annotation instead of adding another.
    @discardableResult
    public func annotateSession(
        sessionID: String,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        result: SpanAnnotation.Result,
        metadata: [String: OpenInferenceJSON] = [:],
        identifier: String? = nil,
        delivery: AnnotationDelivery = .now
    ) async throws(PhoenixClientError) -> String? {
        let annotation = Components.Schemas.SessionAnnotationData(
            annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .human,
            identifier: identifier,
            metadata: metadata.isEmpty ? nil : .init(additionalProperties: OpenInferenceJSON.openAPIObject(metadata)),
            name: name,
            result: .init(explanation: result.explanation, label: result.label, score: result.score),
            sessionId: sessionID
        )
        let answer = try await call("/v1/session_annotations") {
            try await api.annotateSessions(query: .init(sync: delivery == .now), body: .json(.init(data: [annotation]))).ok.body.json
        }
        return answer.data.first?.id
    }

    /// The annotations Phoenix holds for the given traces of `project`.
    public func traceAnnotations(project: String, traceIDs: [String]) async throws(PhoenixClientError) -> [PhoenixTraceAnnotation] {
        var annotations: [PhoenixTraceAnnotation] = []
        var cursor: String?
        repeat {
            let page = try await call("/v1/projects/{project}/trace_annotations") {
                try await api.listTraceAnnotationsByTraceIds(
                    path: .init(projectIdentifier: project),
                    query: .init(traceIds: traceIDs, cursor: cursor, limit: 1000)
                ).ok.body.json
            }
            annotations += page.data.map(PhoenixTraceAnnotation.init)
            cursor = page.nextCursor
        } while cursor != nil
        return annotations
    }
}
