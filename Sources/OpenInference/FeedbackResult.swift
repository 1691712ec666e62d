/// One piece of feedback on a span, a trace or a session, as the OpenInference annotations specification
/// (`spec/annotations.md`) flattens it: `evaluations.N.evaluation.*` or `annotations.N.annotation.*`
/// (``OpenInferenceSpanProtocol/recordEvaluations(_:scope:)``, ``OpenInferenceSpanProtocol/recordAnnotations(_:scope:)``).
///
/// It has a ``name`` and at least one of ``score``, ``label`` and ``explanation``; fields left `nil` are
/// not written.
public struct FeedbackResult: Sendable, Hashable {
    /// Who judged, as the specification names the kinds.
    public enum AnnotatorKind: String, Sendable, Hashable {
        /// A person.
        case human = "HUMAN"
        /// A language model.
        case llm = "LLM"
        /// Deterministic or statistical code.
        case code = "CODE"
    }

    /// The criterion (`correctness`, `hallucination`, …).
    public var name: String
    /// A numeric result; its range and direction depend on ``name``.
    public var score: Double?
    /// A categorical result, of low cardinality.
    public var label: String?
    /// Why.
    public var explanation: String?
    /// Who judged.
    public var annotatorKind: AnnotatorKind?
    /// A stable id the producer gives results of the same name on the same target.
    public var identifier: String?
    /// More about the result or the judge, recorded as a JSON object.
    public var metadata: [String: OpenInferenceJSON]

    /// A result; give at least one of `score`, `label` and `explanation`.
    public init(
        name: String,
        score: Double? = nil,
        label: String? = nil,
        explanation: String? = nil,
        annotatorKind: AnnotatorKind? = nil,
        identifier: String? = nil,
        metadata: [String: OpenInferenceJSON] = [:]
    ) {
        self.name = name
        self.score = score
        self.label = label
        self.explanation = explanation
        self.annotatorKind = annotatorKind
        self.identifier = identifier
        self.metadata = metadata
    }

    /// Whether it carries a result, as the specification requires (a name and a score, label or explanation).
    public var isComplete: Bool {
        !name.isEmpty && (score != nil || label != nil || explanation != nil)
    }

    /// What the feedback is about: the span it is recorded on, its trace, or its session.
    public enum Scope: Sendable, Hashable {
        /// The span itself.
        case span
        /// The whole trace.
        case trace
        /// The whole session.
        case session
    }
}
