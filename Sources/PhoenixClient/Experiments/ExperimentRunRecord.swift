#if Phoenix
/// One run of an experiment with its evaluations, as Phoenix exports it (`GET /v1/experiments/{id}/json`).
public struct ExperimentRunRecord: Sendable, Hashable, Decodable {
    /// The dataset example the run answered.
    public var exampleID: String
    /// The run's trace, when it was traced.
    public var traceID: String?
    /// Why the run failed, when it did.
    public var error: String?
    /// The run's evaluations.
    public var annotations: [ExperimentEvaluationRecord]

    enum CodingKeys: String, CodingKey {
        case exampleID = "example_id"
        case traceID = "trace_id"
        case error
        case annotations
    }

    /// A run record.
    public init(exampleID: String, traceID: String?, error: String?, annotations: [ExperimentEvaluationRecord]) {
        self.exampleID = exampleID
        self.traceID = traceID
        self.error = error
        self.annotations = annotations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exampleID = try container.decode(String.self, forKey: .exampleID)
        traceID = try container.decodeIfPresent(String.self, forKey: .traceID)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        annotations = try container.decodeIfPresent([ExperimentEvaluationRecord].self, forKey: .annotations) ?? []
    }
}
#endif  // Phoenix
