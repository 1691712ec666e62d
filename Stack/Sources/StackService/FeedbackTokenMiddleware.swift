import HTTPTypes
import Hummingbird
import OpenInference
import OpenInferenceTelemetry

/// Gives every answer to an authenticated request an `X-Feedback-Token` beside its `X-Trace-Id`:
/// the token that lets the key's user, and no one else, send feedback on that trace (see
/// ``FeedbackTokenSigner``). Errors carry it too; it goes through
/// ``StackRequestContext/responseHeaders``.
///
/// A request that continues a caller's trace (a `traceparent` naming it) gets no token: anyone with
/// a key could otherwise join a trace whose id they know and be issued a token for it. Such traces
/// are annotated with an admin key.
///
/// The chat page gets a short-lived answer token instead (``SignedToken/Purpose/answer``, see
/// ``ChatPage``), for a trace it started with its own trace-id prefix or a fresh one.
///
/// Installed after ``APIKeyMiddleware``, which sets the user.
public struct FeedbackTokenMiddleware<Context: AuthenticatedUserContext & ResponseHeadersContext & PageSessionContext>: RouterMiddleware {
    let signer: FeedbackTokenSigner
    let page: ChatPage?

    /// Issues tokens signed by `signer`, and answer tokens of `page` to its requests.
    public init(signer: FeedbackTokenSigner, page: ChatPage? = nil) {
        self.signer = signer
        self.page = page
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let prefix = context.pageTracePrefix, let page, let user = context.userID, let traceID = TraceParent.current?.traceID {
            if traceID.hasPrefix(prefix) || !Self.continuesCallerTrace(traceID, headers: request.headers) {
                context.responseHeaders.set(FeedbackTokenSigner.header, page.issueAnswerToken(traceID: traceID, userID: user))
            }
        } else if let user = context.userID, let traceID = TraceParent.current?.traceID,
            !Self.continuesCallerTrace(traceID, headers: request.headers)
        {
            context.responseHeaders.set(FeedbackTokenSigner.header, signer.token(traceID: traceID, userID: user))
        }
        return try await next(request, context)
    }

    /// Whether the request's trace is the one its `traceparent` header named.
    static func continuesCallerTrace(_ traceID: String, headers: HTTPFields) -> Bool {
        guard let name = HTTPField.Name("traceparent"), let value = headers[name] else { return false }
        return TraceParent(header: value)?.traceID == traceID
    }
}
