#if Telemetry
import Foundation
import Logging
import ServiceLifecycle
import Tracing

/// Drains an ``OTLPLogBuffer`` to an OTLP/HTTP `/v1/logs` endpoint every `interval`
/// (`OTEL_BLRP_SCHEDULE_DELAY`), in batches, and once more on graceful shutdown.
///
/// Its own failures are printed to standard error at most once a minute rather than logged, so a
/// collector outage cannot feed the very buffer it is failing to drain.
public struct OTLPLogExporter: Service {
    /// Where the log handlers queue records.
    public let buffer: OTLPLogBuffer
    let sender: OTLPHTTPSender
    let resource: SpanAttributes
    let interval: Duration
    let batchSize: Int
    private let throttle = WarningThrottle()

    /// An exporter draining `buffer` to the endpoint in `configuration`, tagged with `resource`.
    public init(
        buffer: OTLPLogBuffer,
        configuration: OTLPHTTPConfiguration,
        resource: SpanAttributes = SpanAttributes(),
        interval: Duration = .seconds(1),
        batchSize: Int = 512
    ) {
        self.buffer = buffer
        self.sender = OTLPHTTPSender(configuration: configuration)
        self.resource = resource
        self.interval = interval
        self.batchSize = max(1, batchSize)
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await self.exportQueued() }
    }

    /// Sends everything queued now. A batch that fails is dropped (logs are not retried across
    /// intervals: the buffer would fill with stale lines while new ones are refused).
    public func exportQueued() async {
        while true {
            let batch = buffer.drain(max: batchSize)
            guard !batch.isEmpty else { return }
            do {
                try await sender.send(encode(batch))
            } catch {
                if throttle.isDue() {
                    FileHandle.standardError.write(Data("[StackTelemetry] could not export \(batch.count) log records: \(error)\n".utf8))
                }
                return
            }
        }
    }

    /// An OTLP `ExportLogsServiceRequest` (`logs/v1/logs.proto`).
    func encode(_ records: [OTLPLogRecord]) -> [UInt8] {
        let attributes = OTLPAttributeWriter(valueLengthLimit: 65_536)
        var writer = ProtobufWriter(reservingCapacity: 256 + records.count * 160)
        writer.message(1) { resourceLogs in  // ExportLogsServiceRequest.resource_logs
            resourceLogs.message(1) { attributes.keyValues(resource, field: 1, into: &$0) }
            resourceLogs.message(2) { scopeLogs in  // ResourceLogs.scope_logs
                scopeLogs.message(1) { scope in
                    scope.string(1, "stack")
                    scope.string(2, StackTelemetryVersion.current)
                }
                for record in records {
                    scopeLogs.message(2) { log in  // ScopeLogs.log_records
                        let time = OTLPMetricEncoder.nanoseconds(record.time)
                        log.fixed64(1, time)  // time_unix_nano
                        log.fixed64(11, time)  // observed_time_unix_nano
                        log.uint64(2, Self.severityNumber(record.level))
                        log.string(3, record.level.rawValue.uppercased())
                        log.message(5) { $0.string(1, attributes.truncated(record.message)) }  // body
                        attributes.keyValue("logger.name", .string(record.label), field: 6, into: &log)
                        for (key, value) in record.attributes { attributes.keyValue(key, .string(value), field: 6, into: &log) }
                        if let traceID = record.traceID, let spanID = record.spanID {
                            log.fixed32(8, UInt32(record.traceFlags))  // flags: the W3C trace flags
                            log.bytes(9, traceID)
                            log.bytes(10, spanID)
                        }
                    }
                }
            }
        }
        return writer.bytes
    }

    /// OpenTelemetry's severity numbers for swift-log's levels.
    static func severityNumber(_ level: Logger.Level) -> UInt64 {
        switch level {
        case .trace: return 1
        case .debug: return 5
        case .info: return 9
        case .notice: return 10
        case .warning: return 13
        case .error: return 17
        case .critical: return 21
        }
    }
}
#endif  // Telemetry
