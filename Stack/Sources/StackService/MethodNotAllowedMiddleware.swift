import HTTPTypes
import Hummingbird

/// Answers a request whose path is served but not with its method `405 Method Not Allowed`, with an
/// `Allow` header naming the methods that path takes (RFC 9110, section 15.5.6), instead of the router's
/// 404, so that a client learns the route exists and what to send.
///
/// Add it to the router after every route: Hummingbird applies a middleware only to the routes added
/// after it, and to the responder for requests no route matched, which is then the only one it wraps.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each path is served with; `HEAD` is added wherever `GET` is (the router answers it).
    let methods: [String: [HTTPRequest.Method]]

    /// The middleware for a router serving `routes` (`Router.routes`).
    public init(routes: [(path: String, method: HTTPRequest.Method)]) {
        var methods: [String: [HTTPRequest.Method]] = [:]
        for route in routes {
            methods[route.path, default: []].append(route.method)
        }
        for (path, served) in methods where served.contains(.get) && !served.contains(.head) {
            methods[path]?.append(.head)
        }
        self.methods = methods
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let allowed = methods[request.uri.path], !allowed.contains(request.method) else {
            return try await next(request, context)
        }
        throw APIError.methodNotAllowed(request.method, allowed: allowed)
    }
}
