/// Code evaluator: the answer cites the id of a passage that was actually retrieved (a made-up or
/// missing citation scores 0).
public struct CitesRetrievedPassage: Evaluator {
    public let name = "cites_retrieved_passage"
    public let kind = EvaluatorKind.code

    /// The evaluator.
    public init() {}

    public func evaluate(_ sample: EvaluationSample) async throws(EvaluationError) -> Evaluation {
        let cited = sample.documents.compactMap(\.id).filter { !$0.isEmpty && sample.output.contains($0) }
        if let first = cited.first {
            return Evaluation(label: "cited", score: 1, explanation: "the answer cites retrieved passage \(first)")
        }
        let why = sample.documents.isEmpty ? "nothing was retrieved" : "none of the \(sample.documents.count) retrieved passage ids appears"
        return Evaluation(label: "uncited", score: 0, explanation: why)
    }
}
