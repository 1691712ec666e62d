#if Phoenix
import OpenInference
import PhoenixAPI

/// An annotation on a whole trace, as Phoenix's `/v1/projects/{project}/trace_annotations` returns it.
public struct PhoenixTraceAnnotation: Sendable, Hashable {
    /// Phoenix's id for the annotation.
    public var id: String
    /// The trace it is about.
    public var traceID: String
    /// Its name, e.g. `user_feedback`.
    public var name: String
    /// Who made it.
    public var annotatorKind: SpanAnnotation.AnnotatorKind
    /// The label, score and explanation.
    public var result: SpanAnnotation.Result
    /// Free-form details, e.g. the user who gave it.
    public var metadata: [String: OpenInferenceJSON]
    /// The caller's key for upserting, if it gave one.
    public var identifier: String?

    init(_ annotation: Components.Schemas.TraceAnnotation) {
        id = annotation.id
        traceID = annotation.traceId
        name = annotation.name
        annotatorKind = SpanAnnotation.AnnotatorKind(rawValue: annotation.annotatorKind.rawValue) ?? .human
        result = SpanAnnotation.Result(
            label: annotation.result?.label,
            score: annotation.result?.score,
            explanation: annotation.result?.explanation
        )
        metadata = OpenInferenceJSON.object(annotation.metadata?.additionalProperties)
        identifier = annotation.identifier?.isEmpty == true ? nil : annotation.identifier
    }
}
#endif  // Phoenix
