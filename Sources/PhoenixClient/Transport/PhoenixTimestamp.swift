#if Phoenix
import Foundation

/// Phoenix's timestamps: ISO 8601 in UTC, microseconds when written by this client.
enum PhoenixTimestamp {
    /// The date of an ISO 8601 timestamp with or without fractional seconds.
    static func date(_ string: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: string) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: string)
    }

    /// `date` as `2026-01-01T12:00:00.123456Z` (ISO 8601 keeps only milliseconds; spans need microseconds).
    static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = min(999_999, Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded()))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let whole = formatter.string(from: Date(timeIntervalSince1970: seconds))
        return String(whole.dropLast()) + String(format: ".%06dZ", micros)
    }
}
#endif  // Phoenix
