/// The body of `POST /v1/feedback`'s answer: delivered to Phoenix (200) or queued for delivery (202).
public struct FeedbackAnswer: Codable, Sendable, Hashable {
    /// `delivered` or `queued`.
    public var status: String
    /// The trace the feedback is about.
    public var traceID: String
    /// The root span that carries the annotation, once delivered.
    public var spanID: String?
    /// Phoenix's id of the annotation, once delivered.
    public var annotationID: String?
    /// Why the feedback waits, while queued.
    public var reason: String?

    public init(status: String, traceID: String, spanID: String? = nil, annotationID: String? = nil, reason: String? = nil) {
        self.status = status
        self.traceID = traceID
        self.spanID = spanID
        self.annotationID = annotationID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case status, reason
        case traceID = "trace_id"
        case spanID = "span_id"
        case annotationID = "annotation_id"
    }
}
