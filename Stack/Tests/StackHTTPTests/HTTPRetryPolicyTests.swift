import Foundation
import Testing
import _OpenInferenceHTTP

@Suite("One HTTP retry policy")
struct HTTPRetryPolicyTests {
    let policy = HTTPRetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))

    @Test("Statuses that ask for patience are retried; client errors are not", arguments: [408, 429, 500, 502, 503, 504])
    func retryable(status: Int) {
        #expect(policy.isRetryable(status: status))
    }

    @Test("Client errors and successes are final", arguments: [200, 201, 400, 401, 403, 404, 409, 422, 501])
    func final(status: Int) {
        #expect(!policy.isRetryable(status: status))
    }

    @Test("Backoff doubles from the initial delay up to the cap")
    func backoffDoubles() {
        #expect(
            (1...5).map { policy.delay(afterAttempt: $0, retryAfter: nil) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
            ])
    }

    @Test("Retry-After in seconds or as an HTTP date sets the delay, capped; garbage is ignored")
    func retryAfter() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: "0.5") == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "120") == .seconds(1))
        #expect(policy.delay(afterAttempt: 2, retryAfter: "soon") == .milliseconds(200))
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.duration("Sun, 06 Nov 1994 08:49:39 GMT", now: now) == .seconds(2))
        #expect(RetryAfter.duration("Sun, 06 Nov 1994 08:49:30 GMT", now: now) == .zero)
        #expect(RetryAfter.duration("-3") == nil)
    }
}
