import Hummingbird

/// Sets the request's body limit (Hummingbird's `maxUploadSize`) to the service's `STACK_MAX_BODY_BYTES`.
public struct UploadLimitMiddleware<Context: UploadLimitContext>: RouterMiddleware {
    /// The limit, in bytes.
    public let maxUploadSize: Int

    /// A middleware that allows bodies of up to `maxUploadSize` bytes.
    public init(maxUploadSize: Int) {
        self.maxUploadSize = maxUploadSize
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxUploadSize
        return try await next(request, context)
    }
}
