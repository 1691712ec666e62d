/// An evaluator's verdict: a label, a score in 0...1 and why.
public struct Evaluation: Sendable, Hashable {
    /// A short verdict such as `cited` or `empty`.
    public var label: String
    /// The score, 0 (worst) to 1 (best).
    public var score: Double
    /// Why, in a sentence.
    public var explanation: String

    /// A verdict.
    public init(label: String, score: Double, explanation: String) {
        self.label = label
        self.score = score
        self.explanation = explanation
    }
}
