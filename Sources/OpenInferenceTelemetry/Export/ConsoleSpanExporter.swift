#if Telemetry
import Foundation

/// Prints one line per span to standard error: name, OpenInference kind, duration, ids and status.
/// Useful while developing without a collector (`OTEL_TRACES_EXPORTER=console`).
public struct ConsoleSpanExporter: SpanExporter {
    public init() {}

    public func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        var output = ""
        for span in spans {
            output += Self.describe(span) + "\n"
        }
        FileHandle.standardError.write(Data(output.utf8))
        return .delivered
    }

    static func describe(_ span: FinishedSpan) -> String {
        var kind = "-"
        if case .string(let value) = span.attributes.get("openinference.span.kind") { kind = value }
        let milliseconds = Double(span.durationNanoseconds) / 1_000_000
        var line = "[span] \(span.name) kind=\(kind) "
        line += String(format: "duration=%.2fms", milliseconds)
        line += " trace_id=\(span.context.traceIDHex) span_id=\(span.context.spanIDHex)"
        if let parent = span.parentSpanID { line += " parent_id=\(parent)" }
        if let status = span.status, status.code == .error {
            line += " status=ERROR"
            if let message = status.message { line += " (\(message))" }
        }
        return line
    }
}
#endif  // Telemetry
