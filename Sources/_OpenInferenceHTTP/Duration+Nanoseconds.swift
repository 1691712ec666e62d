#if Telemetry || Phoenix
extension Duration {
    /// The duration in whole nanoseconds.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration as a log line or an error shows it: whole milliseconds below a second (`500 ms`),
    /// otherwise seconds to a tenth (`3.0 s`), where `description` would print `0.499968498 seconds`.
    public var readable: String {
        let milliseconds = (Double(nanoseconds) / 1_000_000).rounded()
        guard milliseconds >= 1000 else { return "\(Int(milliseconds)) ms" }
        let tenths = Int((milliseconds / 100).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
#endif  // Telemetry || Phoenix
