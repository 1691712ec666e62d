import HTTPTypes
import Hummingbird
import OpenInference

/// Refuses requests without a valid API key (401), puts the key's user and role in the request
/// context and records the user as `user.id` on the request span. Health and metrics stay open for
/// probes and scrapers.
///
/// The key is read from `Authorization: Bearer <key>` or `X-API-Key`; it is compared and dropped,
/// never logged or recorded. A request ``PageAccessMiddleware`` authenticated (it set the user)
/// passes without a key.
public struct APIKeyMiddleware<Context: AuthenticatedUserContext & RequestSpanContext>: RouterMiddleware {
    let keys: APIKeyStore
    let openPaths: Set<String>

    /// - Parameters:
    ///   - keys: the keys accepted and their users.
    ///   - openPaths: paths served without a key (probes and scrapers).
    public init(keys: APIKeyStore, openPaths: Set<String> = ["/healthz", "/metrics"]) {
        self.keys = keys
        self.openPaths = openPaths
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Open paths, and requests the chat page's token already authenticated (PageAccessMiddleware).
        if openPaths.contains(request.uri.path) || context.userID != nil { return try await next(request, context) }
        guard let key = Self.presentedKey(request.headers), let user = keys.holder(ofKey: key) else {
            throw APIError.unauthorized
        }
        var context = context
        context.userID = user.id
        context.userRole = user.role
        context.requestSpan?.attributes[SemanticConventions.Context.userID] = user.id
        return try await next(request, context)
    }

    static func presentedKey(_ headers: HTTPFields) -> Substring? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1] }
        }
        if let name = HTTPField.Name("X-API-Key"), let key = headers[name] { return key[...] }
        return nil
    }
}
