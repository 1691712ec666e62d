/// Code evaluator: how much of the reference answer's wording the answer contains (the share of the
/// reference's distinct words of three or more letters found in the answer, case-insensitive).
public struct MatchesExpected: Evaluator {
    public let name = "matches_expected"
    public let kind = EvaluatorKind.code

    /// The evaluator.
    public init() {}

    public func evaluate(_ sample: EvaluationSample) async throws(EvaluationError) -> Evaluation {
        guard let expected = sample.expected, !expected.allSatisfy(\.isWhitespace) else {
            throw EvaluationError(code: .missingInput, detail: "the example has no expected answer")
        }
        let wanted = Self.words(expected)
        guard !wanted.isEmpty else {
            let same = sample.output.lowercased().contains(expected.lowercased())
            return Evaluation(label: same ? "match" : "mismatch", score: same ? 1 : 0, explanation: "short reference compared whole")
        }
        let found = wanted.intersection(Self.words(sample.output))
        let score = Double(found.count) / Double(wanted.count)
        return Evaluation(
            label: score >= 0.5 ? "match" : "mismatch",
            score: score,
            explanation: "\(found.count) of \(wanted.count) reference words appear in the answer"
        )
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= 3 })
    }
}
