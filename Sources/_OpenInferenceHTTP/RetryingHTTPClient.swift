#if Telemetry || Phoenix
import AsyncHTTPClient
import NIOCore

/// Sends requests through an AsyncHTTPClient with ``HTTPRetryPolicy``: the one retry loop of the project.
///
/// ``send(_:timeout:retryingErrors:)`` returns the first answer that is not worth retrying (a success, a
/// status like 400 or 404, or the last retryable answer once attempts run out) for the caller to read, and
/// throws ``HTTPAttemptsFailed`` when no attempt got an answer. Cancellation ends it at once.
public struct RetryingHTTPClient: Sendable {
    /// The client requests go through.
    public let client: HTTPClient
    /// When to try again.
    public let policy: HTTPRetryPolicy

    public init(client: HTTPClient, policy: HTTPRetryPolicy) {
        self.client = client
        self.policy = policy
    }

    /// An answer and how many attempts it took.
    public struct Answer {
        /// The response, its body unread.
        public let response: HTTPClientResponse
        /// Attempts made, this one included.
        public let attempts: Int
        /// The status code.
        public var status: Int { Int(response.status.code) }
    }

    /// Sends `request`, each attempt bounded by `timeout`.
    ///
    /// - Parameter retryingErrors: whether an error without an answer (refused connection, timeout, …) is
    ///   worth another attempt; when it says no, the error is thrown as it is.
    public func send(
        _ request: HTTPClientRequest,
        timeout: Duration,
        retryingErrors: (any Error) -> Bool = { _ in true }
    ) async throws -> Answer {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let retryAfter: String?
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                let status = Int(response.status.code)
                guard policy.isRetryable(status: status), attempt < policy.maxAttempts else {
                    return Answer(response: response, attempts: attempt)
                }
                retryAfter = response.headers.first(name: "Retry-After")
                // Read the body away so the connection can serve the next attempt.
                _ = try? await response.body.collect(upTo: 1 << 20)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard retryingErrors(error) else { throw error }
                guard attempt < policy.maxAttempts else { throw HTTPAttemptsFailed(attempts: attempt, lastError: error) }
                retryAfter = nil
            }
            try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: retryAfter))
            attempt += 1
        }
    }

    /// Whether `error` is a request that ran out of time: not worth retrying, since the caller's
    /// deadline has passed.
    public static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return error == .deadlineExceeded || error == .readTimeout
    }
}
#endif  // Telemetry || Phoenix
