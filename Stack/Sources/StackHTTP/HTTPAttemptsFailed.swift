/// Every attempt of a request failed before any answer came (the connection was refused, reset or
/// timed out), so there is no status to report.
package struct HTTPAttemptsFailed: Error, CustomStringConvertible {
    /// How many attempts were made.
    package let attempts: Int
    /// The error of the last attempt.
    package let lastError: any Error

    package var description: String { "\(attempts) attempt\(attempts == 1 ? "" : "s") failed; the last: \(lastError)" }
}
