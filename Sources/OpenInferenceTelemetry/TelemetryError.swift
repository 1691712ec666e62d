#if Telemetry
import _OpenInferenceHTTP

/// What went wrong setting up or exporting telemetry, and what to do about it.
///
/// A struct over a private reason, as async-http-client's errors are, so that new reasons can be added
/// without breaking code that handles these. Handle one kind by its ``code``
/// (`error.code == .exportRejected`), or compare with `==` against a reason's factory.
public struct TelemetryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for code that handles one kind whatever its details.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// An endpoint is not an absolute http(s) URL.
        public static let invalidEndpoint = Code("invalidEndpoint")
        /// The collector answered with a status that retrying will not fix; ``TelemetryError/status`` holds it.
        public static let exportRejected = Code("exportRejected")
        /// The collector kept failing (unreachable, 429 or 5xx) until the attempts ran out.
        public static let exportFailed = Code("exportFailed")
        /// One export took longer than its timeout and was cancelled.
        public static let exportTimedOut = Code("exportTimedOut")
        /// The export spool could not be opened, or could not take a batch.
        public static let spoolFailed = Code("spoolFailed")

        public var description: String { name }
    }

    private enum Reason: Sendable, Hashable {
        case invalidEndpoint(String, source: String)
        case exportRejected(status: Int, endpoint: String, body: String)
        case exportFailed(endpoint: String, attempts: Int, lastError: String, status: Int?)
        case exportTimedOut(after: Duration)
        case spoolFailed(ExportSpoolError)
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    /// `value`, read from `source` (a variable such as `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), is not an
    /// absolute http(s) URL.
    public static func invalidEndpoint(_ value: String, source: String) -> Self {
        Self(.invalidEndpoint(value, source: source))
    }

    /// The collector at `endpoint` answered `status`, which retrying will not fix; `body` is the start of
    /// its answer.
    public static func exportRejected(status: Int, endpoint: String, body: String) -> Self {
        Self(.exportRejected(status: status, endpoint: endpoint, body: body))
    }

    /// The collector at `endpoint` kept failing for `attempts` attempts; `lastError` is the last failure,
    /// and `status` the HTTP status of the last attempt when it got an answer (429, 5xx), `nil` when it
    /// got none (refused or reset connection, timeout).
    public static func exportFailed(endpoint: String, attempts: Int, lastError: String, status: Int? = nil) -> Self {
        Self(.exportFailed(endpoint: endpoint, attempts: attempts, lastError: lastError, status: status))
    }

    /// One export took longer than `after` and was cancelled.
    public static func exportTimedOut(after: Duration) -> Self {
        Self(.exportTimedOut(after: after))
    }

    /// The export spool failed as `error` says.
    public static func spoolFailed(_ error: ExportSpoolError) -> Self {
        Self(.spoolFailed(error))
    }

    /// The kind of failure.
    public var code: Code {
        switch reason {
        case .invalidEndpoint: .invalidEndpoint
        case .exportRejected: .exportRejected
        case .exportFailed: .exportFailed
        case .exportTimedOut: .exportTimedOut
        case .spoolFailed: .spoolFailed
        }
    }

    /// The HTTP status the collector answered: for ``Code/exportRejected``, and for ``Code/exportFailed``
    /// when the last attempt got an answer (429, 5xx); otherwise `nil` (no answer at all, or another kind
    /// of failure).
    public var status: Int? {
        switch reason {
        case .exportRejected(let status, _, _): status
        case .exportFailed(_, _, _, let status): status
        default: nil
        }
    }

    /// The spool's own error, for ``Code/spoolFailed``; otherwise `nil`.
    public var spoolError: ExportSpoolError? {
        if case .spoolFailed(let error) = reason { return error }
        return nil
    }

    public var description: String {
        switch reason {
        case .invalidEndpoint(let value, let source):
            let example =
                source.contains("METRICS")
                ? "http://localhost:4318/v1/metrics"
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
        case .exportFailed(let endpoint, let attempts, let lastError, _):
            return "could not deliver spans to \(endpoint) after \(attempts) attempts (last error: \(lastError)). "
                + "Is the collector (Phoenix) running? This batch is dropped and counted as failed; "
                + "new spans keep being exported, and arrive once the collector answers."
        case .exportTimedOut(let after):
            return "an export took longer than \(after.readable) and was cancelled; raise OTEL_BSP_EXPORT_TIMEOUT or check the collector."
        case .spoolFailed(let error):
            return error.description
        }
    }
}
#endif  // Telemetry
