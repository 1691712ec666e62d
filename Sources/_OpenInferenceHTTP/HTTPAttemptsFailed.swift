#if Telemetry || Phoenix
/// Every attempt of a request failed before any answer came (the connection was refused, reset or
/// timed out), so there is no status to report.
public struct HTTPAttemptsFailed: Error, CustomStringConvertible {
    /// How many attempts were made.
    public let attempts: Int
    /// The error of the last attempt.
    public let lastError: any Error

    public var description: String { "\(attempts) attempt\(attempts == 1 ? "" : "s") failed; the last: \(lastError)" }
}
#endif  // Telemetry || Phoenix
