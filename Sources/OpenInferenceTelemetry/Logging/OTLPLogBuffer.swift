#if Telemetry
import Synchronization

/// A bounded queue of log records between the log handlers and ``OTLPLogExporter``. When full, new
/// records are dropped and counted: logging never blocks and never grows memory without bound.
public final class OTLPLogBuffer: Sendable {
    private struct State {
        var records: [OTLPLogRecord] = []
        var dropped = 0
    }

    /// The most records held; more are dropped and counted.
    public let capacity: Int
    private let state = Mutex(State())

    /// A buffer of at most `capacity` records (`OTEL_BLRP_MAX_QUEUE_SIZE`).
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
}
#endif  // Telemetry
