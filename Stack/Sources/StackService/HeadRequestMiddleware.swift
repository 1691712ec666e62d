import HTTPTypes
import Hummingbird

/// Answers `HEAD` like `GET` (RFC 9110 §9.3.2): the same status and headers, `Content-Length`
/// included when the `GET` answer has one, and no body. Every other method passes through.
public struct HeadRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var head = request.head
        head.method = .get
        return try await next(Request(head: head, body: request.body), context).createHeadResponse()
    }
}
