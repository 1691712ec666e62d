import Hummingbird
import NIOCore
import Tracing

/// Turns every error an inner middleware or handler throws into a JSON answer: an ``APIError`` renders
/// itself; Hummingbird's errors and too-large bodies become the matching ``APIError``; anything else is a
/// 500 that points at the trace. Errors of the server's own (5xx) are recorded on the request span.
public struct ErrorResponseMiddleware<Context: RequestSpanContext>: RouterMiddleware {
    /// The middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError(describing: error)
            if apiError.status.code >= 500, let span = context.requestSpan {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error, message: apiError.message))
            }
            return try apiError.response(from: request, context: context)
        }
    }
}
