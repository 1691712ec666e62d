import HTTPTypes
import Hummingbird
import NIOCore
import OpenInference

/// An error the API answers with: a status and a message that says what to do. Rendered as
/// `{"error": {"message": …, "type": …, "trace_id": …}}` (OpenAI's error shape, plus the trace).
public struct APIError: HTTPResponseError, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status answered.
    public var status: HTTPResponse.Status
    /// A stable machine-readable kind, e.g. `invalid_request_error`.
    public var type: String
    /// What went wrong and what to do, for a person.
    public var message: String
    /// Header fields the answer carries besides the JSON body's (`Allow` on a 405).
    public var headers: HTTPFields

    /// An error answered with `status`, and `headers` besides the body's.
    public init(_ status: HTTPResponse.Status, type: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, type: "invalid_request_error", message: message)
    }

    /// A body over `limit`; `setting` is what raises it (`nil` for a route's fixed bound).
    static func tooLarge(limit: Int, setting: String? = "STACK_MAX_BODY_BYTES") -> APIError {
        APIError(
            .contentTooLarge,
            type: "request_too_large",
            message: "the request body is larger than \(limit) bytes; "
                + (setting.map { "send less or raise \($0)" } ?? "this route's limit is fixed; send less")
        )
    }

    /// A method the path is not served with; `Allow` names the ones it is.
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            .methodNotAllowed,
            type: "method_not_allowed",
            message: "this path does not take \(method.rawValue); send \(names) (see GET /openapi.json)",
            headers: [.allow: names]
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

    /// The answer: `{"error": {"type", "message", "trace_id"}}` with the trace of the request in progress,
    /// and `WWW-Authenticate: Bearer` on a 401.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorAnswer(error: .init(type: type, message: message, traceID: TraceParent.current?.traceID))
        var response = StackAPI.json(encoding: body, status: status)
        response.headers.append(contentsOf: headers)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// The API error for anything a handler throws: itself, Hummingbird's HTTP errors, a too-large body,
    /// or a 500 that points at the request's trace for the details.
    init(describing error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as HTTPError where error.status == .notFound:
            self = APIError(.notFound, type: "not_found", message: "no route for this method and path; see the README for the API")
        case let error as HTTPError where error.status == .contentTooLarge:
            self = APIError(.contentTooLarge, type: "request_too_large", message: "the request body is too large")
        case let error as HTTPError:
            self = APIError(error.status, type: "http_error", message: error.body ?? error.status.reasonPhrase)
        case is NIOTooManyBytesError:
            self = APIError(.contentTooLarge, type: "request_too_large", message: "the request body is too large")
        default:
            self = APIError(
                .internalServerError,
                type: "internal_error",
                message: "the server failed on this request; trace \(TraceParent.current?.traceID ?? "unknown") in Phoenix holds the details"
            )
        }
    }
}
