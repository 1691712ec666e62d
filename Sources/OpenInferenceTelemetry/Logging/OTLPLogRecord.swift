#if Telemetry
import Foundation
import Logging

/// One log line on its way to an OTLP logs endpoint.
struct OTLPLogRecord: Sendable {
    var time: Date
    var level: Logger.Level
    var message: String
    var label: String
    var attributes: [(String, String)]
    /// The active span's ids (16 and 8 bytes), when the line was logged inside a span.
    var traceID: [UInt8]?
    var spanID: [UInt8]?
    /// The W3C trace flags (bit 0: sampled).
    var traceFlags: UInt8 = 0
}
#endif  // Telemetry
