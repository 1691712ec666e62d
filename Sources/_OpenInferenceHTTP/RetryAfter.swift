#if Telemetry || Phoenix
import Foundation

/// The `Retry-After` header (RFC 9110, section 10.2.3): a number of seconds, or an HTTP date.
public enum RetryAfter {
    /// How long the server asks to wait, or `nil` when `value` is neither form. A date in the past is zero.
    public static func duration(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) {
            return seconds >= 0 && seconds.isFinite ? .milliseconds(Int64(seconds * 1000)) : nil
        }
        guard let date = httpDate(trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }

    /// Parses the IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37 GMT`.
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
#endif  // Telemetry || Phoenix
