import HTTPTypes
import Hummingbird
import OpenInference

/// Lets the chat page ask without an API key: a request carrying a valid `X-Page-Token` (and no
/// API key) to one of the page's routes acts as the page's configured user, within its rate limits.
///
/// Refusals are clear: 404 when the page is off, 403 for a route a page token may not call or a
/// forged token, 401 for an expired one, 429 with `Retry-After` over the rate (per token, and 4×
/// that per client address). Installed before ``APIKeyMiddleware``, which then lets the request
/// through.
public struct PageAccessMiddleware<Context: AuthenticatedUserContext & PageSessionContext & RequestSpanContext & ResponseHeadersContext>:
    RouterMiddleware
{
    let page: ChatPage?

    /// Admits page tokens of `page`; with `nil` (the page is off) every page token is refused.
    public init(page: ChatPage?) {
        self.page = page
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // An API key, when present, decides alone.
        guard let text = request.headers[ChatPage.tokenHeader], APIKeyMiddleware<Context>.presentedKey(request.headers) == nil else {
            return try await next(request, context)
        }
        guard let page else {
            throw APIError(.notFound, type: "page_disabled", message: "the chat page is turned off on this server (STACK_PAGE); use an API key")
        }
        let path = request.uri.path
        guard ChatPage.tokenPaths.contains(path) else {
            throw APIError(
                .forbidden, type: "forbidden",
                message:
                    "a page token may only ask, send feedback and report timing (\(ChatPage.tokenPaths.sorted().joined(separator: ", "))); use an API key for \(path)"
            )
        }
        let user = page.configuration.userID
        let token: SignedToken
        do {
            token = try page.signer.verify(text, purpose: .page, userID: user)
        } catch {
            throw ChatPage.refusal(error)
        }
        let limit = page.configuration.requestsPerMinute
        let wait =
            page.limiter.admit("token \(token.subject)", limit: limit)
            ?? context.clientAddress.flatMap { page.limiter.admit("address \($0)", limit: limit * 4) }
        if let wait {
            context.responseHeaders.set(.retryAfter, "\(wait)")
            throw APIError(
                .tooManyRequests, type: "rate_limited",
                message: "this page is asking too often; wait \(wait) seconds and ask again"
            )
        }
        var context = context
        context.userID = user
        context.pageTracePrefix = token.subject
        context.requestSpan?.attributes[SemanticConventions.Context.userID] = user
        return try await next(request, context)
    }
}
