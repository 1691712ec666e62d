import HTTPTypes

/// An error the API answers with: a status and a message that says what to do. Rendered as
/// `{"error": {"message": …, "type": …, "trace_id": …}}` (OpenAI's error shape, plus the trace).
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status answered.
    public var status: HTTPResponse.Status
    /// A stable machine-readable kind, e.g. `invalid_request_error`.
    public var type: String
    /// What went wrong and what to do, for a person.
    public var message: String

    /// An error answered with `status`.
    public init(_ status: HTTPResponse.Status, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, type: "invalid_request_error", message: message)
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(
            .contentTooLarge,
            type: "request_too_large",
            message: "the request body is larger than \(limit) bytes; send less or raise STACK_MAX_BODY_BYTES"
        )
    }

    /// Feedback without a token, from a key that is not an admin's. Names no one's trace or user.
    static let feedbackTokenMissing = APIError(
        .forbidden,
        type: "forbidden",
        message: "feedback on a trace needs its feedback token: send the X-Feedback-Token header of the response "
            + "that carried the trace's X-Trace-Id, as 'feedback_token' in the body or as the X-Feedback-Token header, "
            + "with the API key that made that request (an admin key needs no token)"
    )

    /// Feedback whose token is not the one issued to this key's user for this trace. Names no one's
    /// trace or user.
    static let feedbackTokenRefused = APIError(
        .forbidden,
        type: "forbidden",
        message: "the feedback token does not match this trace and API key: send the X-Feedback-Token of the response "
            + "that carried this X-Trace-Id, unchanged, with the API key that made that request (an admin key needs no token)"
    )

    static let unauthorized = APIError(
        .unauthorized,
        type: "authentication_error",
        message: "missing or unknown API key; send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
    )
}
