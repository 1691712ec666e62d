#if Telemetry || Phoenix
/// When and how long to wait before trying an HTTP request again: the one policy of the LLM client,
/// the OTLP exporters and the Phoenix client.
///
/// Statuses that say "try later" are retried: 408, 429, 500, 502, 503 and 504. A `Retry-After` header (in
/// seconds or as an HTTP date) sets the next delay; otherwise the delay starts at ``initialBackoff`` and
/// doubles, never beyond ``maxBackoff``.
public struct HTTPRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (at least 1).
    public var maxAttempts: Int
    /// The delay before the second attempt.
    public var initialBackoff: Duration
    /// The longest delay between attempts, also a cap on `Retry-After`.
    public var maxBackoff: Duration

    /// The statuses worth retrying: the server asks for patience or failed transiently.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    public init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// Whether an answer with `status` is worth another attempt.
    public func isRetryable(status: Int) -> Bool {
        Self.retryableStatuses.contains(status)
    }

    /// The delay before attempt `attempt + 1`, given the `Retry-After` header of the failed one, if any.
    public func delay(afterAttempt attempt: Int, retryAfter: String?) -> Duration {
        if let retryAfter, let requested = RetryAfter.duration(retryAfter) { return min(requested, maxBackoff) }
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) {
            delay = delay * 2
            if delay >= maxBackoff { return maxBackoff }
        }
        return min(delay, maxBackoff)
    }
}
#endif  // Telemetry || Phoenix
