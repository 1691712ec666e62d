import HTTPTypes
import Hummingbird
import _OpenInferenceHTTP

/// Refuses requests whose `Host` or `Origin` is not one this server answers to (``AllowedHosts``, the
/// rule `stack mcp --http` follows too), so a web page on another name cannot reach the API, the chat
/// page or its token through DNS rebinding: 421 for a `Host`, 403 for an `Origin`, both JSON with the
/// trace id. Installed inside ``ErrorResponseMiddleware`` and before every route, `/healthz` included.
public struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// What is accepted.
    public let allowed: AllowedHosts
    private static var hostField: HTTPField.Name { HTTPField.Name("Host")! }

    /// Checks requests against `allowed`.
    public init(allowed: AllowedHosts) {
        self.allowed = allowed
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard allowed.isChecking else { return try await next(request, context) }
        // HTTP/1.1's `Host` becomes the request's authority, kept apart from the fields; a field named
        // Host survives where no HTTP/1 codec ran (tests, proxies speaking HTTP/2). Both must pass.
        let named = [request.head.authority, request.headers[Self.hostField]].compactMap { $0 }
        if named.contains(where: { !allowed.allows(host: $0) }) {
            throw APIError(
                .misdirectedRequest, type: "misdirected_request",
                message: "this server does not answer to the host named in the request; call it by its own address "
                    + "(or add the name to STACK_ALLOWED_HOSTS)"
            )
        }
        if let origin = request.headers[.origin], !allowed.allows(origin: origin) {
            throw APIError(
                .forbidden, type: "forbidden",
                message: "requests from this origin are refused; the chat page is served by this server itself "
                    + "(add the page's name to STACK_ALLOWED_HOSTS if it is reached through another)"
            )
        }
        return try await next(request, context)
    }
}
