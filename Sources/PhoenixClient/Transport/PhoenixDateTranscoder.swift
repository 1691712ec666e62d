#if Phoenix
import Foundation
import OpenAPIRuntime

/// Reads Phoenix's ISO 8601 timestamps with or without fractional seconds (`2026-01-01T12:00:00.123456+00:00`)
/// and writes them with fractional seconds.
struct PhoenixDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { PhoenixTimestamp.string(date) }

    func decode(_ string: String) throws -> Date {
        guard let date = PhoenixTimestamp.date(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an ISO 8601 timestamp: \(string)"))
        }
        return date
    }
}
#endif  // Phoenix
