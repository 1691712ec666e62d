/// The body of `POST /v1/feedback`'s answer: delivered to Phoenix (200) or queued for delivery (202).
public struct FeedbackAnswer: Codable, Sendable, Hashable {
    /// `delivered` or `queued`.
    public var status: String
    /// The trace the feedback is about.
    public var traceID: String
    /// Phoenix's id of the trace annotation, once delivered.
    public var annotationID: String?
    /// The session annotated as well, once delivered, when the trace's spans name one.
    public var sessionID: String?
    /// Why the feedback waits, while queued.
    public var reason: String?

    public init(status: String, traceID: String, annotationID: String? = nil, sessionID: String? = nil, reason: String? = nil) {
        self.status = status
        self.traceID = traceID
        self.annotationID = annotationID
        self.sessionID = sessionID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case status, reason
        case traceID = "trace_id"
        case annotationID = "annotation_id"
        case sessionID = "session_id"
    }
}
