import OpenInference

/// What an evaluator judges: the question, the answer, and, when known, the expected answer and the
/// passages the answer was grounded on.
public struct EvaluationSample: Sendable, Hashable {
    /// The question or goal.
    public var input: String
    /// The answer being judged.
    public var output: String
    /// The reference answer, for correctness.
    public var expected: String?
    /// The passages retrieved while answering.
    public var documents: [RetrievalDocument]

    /// A sample to evaluate.
    public init(input: String, output: String, expected: String? = nil, documents: [RetrievalDocument] = []) {
        self.input = input
        self.output = output
        self.expected = expected
        self.documents = documents
    }
}
