#if Phoenix
import OpenInference
import PhoenixAPI

/// Feedback attached to a span in Phoenix: a named label, score and explanation from a human, an
/// LLM judge or code. Encodes and decodes as Phoenix's `/v1/span_annotations` JSON.
///
/// ```swift
/// let annotation = SpanAnnotation(spanID: root.context.spanID, name: "user_feedback",
///                                 annotatorKind: .human, label: "thumbs_down", score: 0)
/// _ = try await phoenix.annotateSpan(annotation)
/// ```
public struct SpanAnnotation: Sendable, Hashable, Codable {
    /// Who made the annotation.
    public enum AnnotatorKind: String, Sendable, Hashable, Codable {
        case human = "HUMAN"
        case llm = "LLM"
        case code = "CODE"
    }

    /// The label, score and explanation; Phoenix wants at least one.
    public struct Result: Sendable, Hashable, Codable {
        public var label: String?
        public var score: Double?
        public var explanation: String?

        public init(label: String? = nil, score: Double? = nil, explanation: String? = nil) {
            self.label = label
            self.score = score
            self.explanation = explanation
        }
    }

    public var spanID: String
    public var name: String
    public var annotatorKind: AnnotatorKind
    public var result: Result
    public var metadata: [String: OpenInferenceJSON]
    /// Makes the annotation upsertable: posting the same identifier again replaces it.
    public var identifier: String?

    public init(
        spanID: String,
        name: String,
        annotatorKind: AnnotatorKind = .human,
        label: String? = nil,
        score: Double? = nil,
        explanation: String? = nil,
        metadata: [String: OpenInferenceJSON] = [:],
        identifier: String? = nil
    ) {
        self.spanID = spanID
        self.name = name
        self.annotatorKind = annotatorKind
        self.result = Result(label: label, score: score, explanation: explanation)
        self.metadata = metadata
        self.identifier = identifier
    }

    enum CodingKeys: String, CodingKey {
        case spanID = "span_id"
        case name
        case annotatorKind = "annotator_kind"
        case result
        case metadata
        case identifier
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        spanID = try container.decode(String.self, forKey: .spanID)
        name = try container.decode(String.self, forKey: .name)
        annotatorKind = (try? container.decode(AnnotatorKind.self, forKey: .annotatorKind)) ?? .human
        result = try container.decodeIfPresent(Result.self, forKey: .result) ?? Result()
        metadata = try container.decodeIfPresent([String: OpenInferenceJSON].self, forKey: .metadata) ?? [:]
        identifier = try container.decodeIfPresent(String.self, forKey: .identifier)
        if identifier?.isEmpty == true { identifier = nil }
    }
}

extension SpanAnnotation {
    /// The annotation as the generated client sends it.
    var wire: Components.Schemas.SpanAnnotationData {
        Components.Schemas.SpanAnnotationData(
            annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .human,
            identifier: identifier,
            metadata: metadata.isEmpty ? nil : .init(additionalProperties: OpenInferenceJSON.openAPIObject(metadata)),
            name: name,
            result: .init(explanation: result.explanation, label: result.label, score: result.score),
            spanId: spanID
        )
    }

    /// An annotation as the generated client read it.
    init(_ annotation: Components.Schemas.SpanAnnotation) {
        self.init(
            spanID: annotation.spanId,
            name: annotation.name,
            annotatorKind: AnnotatorKind(rawValue: annotation.annotatorKind.rawValue) ?? .human,
            label: annotation.result?.label,
            score: annotation.result?.score,
            explanation: annotation.result?.explanation,
            metadata: OpenInferenceJSON.object(annotation.metadata?.additionalProperties),
            identifier: annotation.identifier?.isEmpty == true ? nil : annotation.identifier
        )
    }
}
#endif  // Phoenix
