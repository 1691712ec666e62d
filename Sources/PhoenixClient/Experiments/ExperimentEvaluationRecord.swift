#if Phoenix
/// One evaluation of an experiment run, as Phoenix exports it (`GET /v1/experiments/{id}/json`).
public struct ExperimentEvaluationRecord: Sendable, Hashable, Decodable {
    /// The evaluator's name.
    public var name: String
    /// The score, when the evaluator gave one.
    public var score: Double?
    /// The label, when the evaluator gave one.
    public var label: String?
    /// Why the evaluation failed, when it did.
    public var error: String?

    /// An evaluation record.
    public init(name: String, score: Double? = nil, label: String? = nil, error: String? = nil) {
        self.name = name
        self.score = score
        self.label = label
        self.error = error
    }
}
#endif  // Phoenix
