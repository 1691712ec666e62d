/// Code evaluator: the answer says something (not empty or whitespace).
public struct NonEmptyAnswer: Evaluator {
    public let name = "non_empty"
    public let kind = EvaluatorKind.code

    /// The evaluator.
    public init() {}

    public func evaluate(_ sample: EvaluationSample) async throws(EvaluationError) -> Evaluation {
        sample.output.allSatisfy(\.isWhitespace)
            ? Evaluation(label: "empty", score: 0, explanation: "the answer is empty")
            : Evaluation(label: "answered", score: 1, explanation: "the answer has \(sample.output.count) characters")
    }
}
