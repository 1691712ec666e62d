/// The body of every error answer: `{"error": {"type", "message", "trace_id"}}`.
public struct ErrorAnswer: Codable, Sendable, Hashable {
    /// What went wrong.
    public struct Detail: Codable, Sendable, Hashable {
        /// A stable, machine-readable kind (`invalid_request_error`, `forbidden`, …).
        public var type: String
        /// What happened and what to do.
        public var message: String
        /// The request's trace, where the details are.
        public var traceID: String?

        public init(type: String, message: String, traceID: String?) {
            self.type = type
            self.message = message
            self.traceID = traceID
        }

        enum CodingKeys: String, CodingKey {
            case type, message
            case traceID = "trace_id"
        }
    }

    /// The error.
    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}
