/// The body of `POST /v1/agent/runs`' answer.
public struct AgentRunAnswer: Codable, Sendable, Hashable {
    /// The agent's answer ("" when the model gave none).
    public var answer: String
    /// `final_answer` or `max_iterations`.
    public var stopReason: String
    /// Model calls made.
    public var iterations: Int
    /// The run's trace (also in `X-Trace-Id`).
    public var traceID: String?
    /// The session the run was attributed to, if any.
    public var sessionID: String?

    public init(answer: String, stopReason: String, iterations: Int, traceID: String?, sessionID: String?) {
        self.answer = answer
        self.stopReason = stopReason
        self.iterations = iterations
        self.traceID = traceID
        self.sessionID = sessionID
    }

    enum CodingKeys: String, CodingKey {
        case answer, iterations
        case stopReason = "stop_reason"
        case traceID = "trace_id"
        case sessionID = "session_id"
    }

    // Absent values are null, so clients always see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(answer, forKey: .answer)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(traceID, forKey: .traceID)
        try container.encode(sessionID, forKey: .sessionID)
    }
}
