#if Phoenix
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Turns every answer from Phoenix that is not a success into a ``PhoenixClientError`` before the
/// generated client reads it, so each call handles only its success; and recognises a route this
/// Phoenix does not serve (an older server answers an unknown `/v1` path with its web app's HTML page, or
/// with 404/405 `{"detail": …}`), naming the server's version and the one the client was generated from.
struct StatusMiddleware: ClientMiddleware {
    static let serverVersionHeader = HTTPField.Name("x-phoenix-server-version")!

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        let path = request.path.map { String($0.prefix { $0 != "?" }) } ?? operationID
        let route = "\(request.method.rawValue) \(path)"
        let serverVersion = response.headerFields[Self.serverVersionHeader]
        let contentType = response.headerFields[.contentType] ?? ""
        if (200..<300).contains(response.status.code) {
            if contentType.hasPrefix("text/html") {
                throw PhoenixClientError.unsupportedRoute(route, serverVersion: serverVersion)
            }
            return (response, responseBody)
        }
        var text = ""
        if let responseBody, let data = try? await Data(collecting: responseBody, upTo: 64 * 1024) {
            text = String(decoding: data, as: UTF8.self)
        }
        if response.status.code == 405 || (response.status.code == 404 && text == #"{"detail":"Not Found"}"#) {
            throw PhoenixClientError.unsupportedRoute(route, serverVersion: serverVersion)
        }
        throw PhoenixClientError.httpStatus(response.status.code, path: path, body: String(text.prefix(300)))
    }
}
#endif  // Phoenix
