import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends spans to an OTLP/HTTP collector (Phoenix, the OpenTelemetry Collector, Jaeger, Tempo, …)
/// as protobuf, retrying unreachable collectors, 429 and 5xx answers with exponential backoff that
/// honours `Retry-After`.
///
/// The exporter's HTTP client has tracing switched off, so exporting never creates spans of its own. Header values (API keys) are sent but never logged or put into errors.
public struct OTLPHTTPSpanExporter: SpanExporter {
    public struct Configuration: Sendable {
        /// The full traces URL, for example `http://localhost:6006/v1/traces`.
        public var endpoint: URL
        /// Extra request headers (authorization and the like).
        public var headers: [(name: String, value: String)]
        /// How long one HTTP attempt may take (`OTEL_EXPORTER_OTLP_TIMEOUT`).
        public var requestTimeout: Duration
        /// Attempts per export, the first included.
        public var maxAttempts: Int
        /// The first retry's delay; it doubles per attempt up to ``maxBackoff``.
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// The HTTP client to send with; `nil` uses the process's shared client, whose tracing is off.
        /// A client given here must have AsyncHTTPClient's tracing off too, and its owner shuts it down.
        public var httpClient: HTTPClient?

        public init(
            endpoint: URL,
            headers: [(name: String, value: String)] = [],
            requestTimeout: Duration = .seconds(10),
            maxAttempts: Int = 5,
            initialBackoff: Duration = .milliseconds(250),
            maxBackoff: Duration = .seconds(5),
            httpClient: HTTPClient? = nil
        ) {
            self.endpoint = endpoint
            self.headers = headers
            self.requestTimeout = requestTimeout
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.httpClient = httpClient
        }
    }

    public let configuration: Configuration
    public let encoder: OTLPTraceEncoder

    public init(configuration: Configuration, encoder: OTLPTraceEncoder) {
        self.configuration = configuration
        self.encoder = encoder
    }

    public func export(_ spans: [FinishedSpan]) async throws {
        guard !spans.isEmpty else { return }
        try await OTLPHTTPSender(configuration: configuration).send(encoder.encode(spans))
    }

    public func shutdown() async {
        // The HTTP client belongs to whoever made it (the process, by default), not to one exporter.
    }
}

/// The connection settings every OTLP/HTTP exporter (traces, metrics, logs) shares.
public typealias OTLPHTTPConfiguration = OTLPHTTPSpanExporter.Configuration
