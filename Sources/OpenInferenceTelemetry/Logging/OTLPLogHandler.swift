#if Telemetry
import Foundation
import Logging
import Tracing

/// A swift-log handler that queues every line for OTLP export, with the active span's trace and
/// span ids, so a backend can show a trace's logs beside its spans.
///
/// Combine it with a console handler:
///
/// ```swift
/// let buffer = OTLPLogBuffer()
/// LoggingSystem.bootstrap { label, provider in
///     MultiplexLogHandler([StreamLogHandler.standardOutput(label: label, metadataProvider: provider),
///                          OTLPLogHandler(label: label, buffer: buffer, metadataProvider: provider)])
/// }
/// ```
public struct OTLPLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let buffer: OTLPLogBuffer

    /// A handler for the logger `label`, queueing into `buffer`.
    public init(label: String, buffer: OTLPLogBuffer, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.buffer = buffer
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        // The ids travel in their own fields; the provider's copies would only repeat them.
        merged["trace_id"] = nil
        merged["span_id"] = nil
        let context = InstrumentationContext.current?.spanContext
        buffer.append(
            OTLPLogRecord(
                time: Date(),
                level: event.level,
                message: event.message.description,
                label: label,
                attributes: merged.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") },
                traceID: context.map { withUnsafeBytes(of: $0.traceContext.traceID.bytes) { Array($0) } },
                spanID: context.map { withUnsafeBytes(of: $0.traceContext.spanID.bytes) { Array($0) } },
                traceFlags: context?.traceContext.flags.rawValue ?? 0
            )
        )
    }
}
#endif  // Telemetry
