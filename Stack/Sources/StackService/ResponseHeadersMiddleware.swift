import Hummingbird

/// Adds the headers inner middleware put in the context's ``ResponseHeaderSink`` to the answer, error
/// answers included (the feedback token, for one).
public struct ResponseHeadersMiddleware<Context: ResponseHeadersContext>: RouterMiddleware {
    /// The middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for field in context.responseHeaders.headers { response.headers[field.name] = field.value }
        return response
    }
}
