#if Phoenix
import Foundation
import HTTPTypes
import OpenAPIRuntime
import _OpenInferenceHTTP

/// Retries a request to Phoenix under the project's ``HTTPRetryPolicy``: a transient status (429, 5xx)
/// or a refused connection (Phoenix restarting) is tried again after the policy's backoff; a timeout is
/// not (the caller's deadline has passed). The generated client's request bodies are buffered, so they
/// can be sent again.
struct RetryMiddleware: ClientMiddleware {
    let policy: HTTPRetryPolicy

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let canRepeat = body.map { $0.iterationBehavior == .multiple } ?? true
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let retryAfter: String?
            do {
                let (response, responseBody) = try await next(request, body, baseURL)
                guard canRepeat, attempt < policy.maxAttempts, policy.isRetryable(status: response.status.code) else {
                    return (response, responseBody)
                }
                retryAfter = response.headerFields[.retryAfter]
                if let responseBody { _ = try? await Data(collecting: responseBody, upTo: 1 << 20) }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard canRepeat, attempt < policy.maxAttempts, !RetryingHTTPClient.isTimeout(error) else { throw error }
                retryAfter = nil
            }
            try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: retryAfter))
            attempt += 1
        }
    }
}
#endif  // Phoenix
