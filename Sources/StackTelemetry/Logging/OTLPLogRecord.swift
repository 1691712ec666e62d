import Foundation
import Logging
import Synchronization

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

/// A bounded queue of log records between the log handlers and ``OTLPLogExporter``. When full, new
/// records are dropped and counted: logging never blocks and never grows memory without bound.
public final class OTLPLogBuffer: Sendable {
    private struct State {
        var records: [OTLPLogRecord] = []
        var dropped = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 2048) {
        self.capacity = max(1, capacity)
    }

    func append(_ record: OTLPLogRecord) {
        state.withLock { state in
            if state.records.count >= capacity {
                state.dropped += 1
            } else {
                state.records.append(record)
            }
        }
    }

    func drain(max: Int) -> [OTLPLogRecord] {
        state.withLock { state in
            let batch = Array(state.records.prefix(max))
            state.records.removeFirst(batch.count)
            return batch
        }
    }

    /// Records dropped because the buffer was full.
    public var droppedRecords: Int { state.withLock { $0.dropped } }
    var isEmpty: Bool { state.withLock { $0.records.isEmpty } }
}
