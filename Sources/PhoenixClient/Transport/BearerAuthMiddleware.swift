#if Phoenix
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Adds `Authorization: Bearer <PHOENIX_API_KEY>` to every request to Phoenix. The key is never logged
/// and never part of an error.
struct BearerAuthMiddleware: ClientMiddleware {
    let apiKey: String

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(apiKey)"
        return try await next(request, body, baseURL)
    }
}
#endif  // Phoenix
