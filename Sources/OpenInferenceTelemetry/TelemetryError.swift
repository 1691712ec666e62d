#if Telemetry
import _OpenInferenceHTTP

/// What went wrong setting up or exporting telemetry, and what to do about it.
public enum TelemetryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An endpoint is not an absolute http(s) URL.
    case invalidEndpoint(String, source: String)
    /// The collector answered with a status that retrying will not fix.
    case exportRejected(status: Int, endpoint: String, body: String)
    /// The collector kept failing (unreachable, 429 or 5xx) until the attempts ran out.
    case exportFailed(endpoint: String, attempts: Int, lastError: String)
    /// One export took longer than its timeout and was cancelled.
    case exportTimedOut(after: Duration)
    /// The collector could not take the batch, so it was written to the export spool (`STACK_SPOOL_DIR`)
    /// and will be replayed once the collector answers. Not a loss: counted by ``ExportSpool``.
    case exportSpooled(spans: Int, reason: String)
    /// The export spool could not be opened, or could not take a batch.
    case spoolFailed(ExportSpoolError)

    public var description: String {
        switch self {
        case .invalidEndpoint(let value, let source):
            let example =
                source.contains("METRICS") ? "http://localhost:4318/v1/metrics"
                : source.contains("LOGS") ? "http://localhost:4318/v1/logs" : "http://localhost:6006/v1/traces"
            return "\(source) is '\(value)', which is not an absolute http(s) URL. "
                + "Set it to the collector's endpoint, for example \(example)."
        case .exportRejected(let status, let endpoint, let body):
            let hint: String
            switch status {
            case 401, 403: hint = "check PHOENIX_API_KEY or the OTLP headers"
            case 404: hint = "check that the endpoint path ends in /v1/traces"
            case 413: hint = "lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE or OPENINFERENCE_MAX_ATTRIBUTE_LENGTH"
            case 415: hint = "the collector must accept OTLP/HTTP protobuf"
            default: hint = "the collector refused the spans; its answer is above"
            }
            return "the collector at \(endpoint) answered HTTP \(status)\(body.isEmpty ? "" : ": \(body)"); \(hint)."
        case .exportFailed(let endpoint, let attempts, let lastError):
            return "could not deliver spans to \(endpoint) after \(attempts) attempts (last error: \(lastError)). "
                + "Is the collector (Phoenix) running? This batch is dropped and counted as failed; "
                + "new spans keep being exported, and arrive once the collector answers."
        case .exportTimedOut(let after):
            return "an export took longer than \(after.readable) and was cancelled; raise OTEL_BSP_EXPORT_TIMEOUT or check the collector."
        case .exportSpooled(let spans, let reason):
            return "\(spans) spans were written to the export spool, to be sent once the collector answers (\(reason))."
        case .spoolFailed(let error):
            return error.description
        }
    }
}
#endif  // Telemetry
