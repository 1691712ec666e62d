/// Why an evaluator could not give a verdict (the sample stays unevaluated; nothing crashes).
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The sample lacks what the evaluator needs (no reference answer for correctness).
        case missingInput
        /// The judge's answer could not be read as a label and score.
        case unparsableJudgement
        /// The judge model could not be called.
        case judgeFailed
    }

    /// What went wrong.
    public var code: Code
    /// Details for the log.
    public var detail: String

    /// An evaluation error.
    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
