#if Telemetry
import Logging
import Tracing

extension Logger.MetadataProvider {
    /// Adds `trace_id` and `span_id` of the active span to every log line, so a log line leads to
    /// its trace in Phoenix and a trace to its logs.
    ///
    /// ```swift
    /// LoggingSystem.bootstrap({ StreamLogHandler.standardError(label: $0, metadataProvider: $1) },
    ///                         metadataProvider: .traceContext)
    /// ```
    public static let traceContext = Logger.MetadataProvider {
        guard let context = InstrumentationContext.current?.spanContext else { return [:] }
        return ["trace_id": .string(context.traceIDHex), "span_id": .string(context.spanIDHex)]
    }
}
#endif  // Telemetry
