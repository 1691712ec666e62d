#if Telemetry
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends spans to an OTLP/HTTP collector (Phoenix, the OpenTelemetry Collector, Jaeger, Tempo, …)
/// as protobuf, retrying unreachable collectors, 429 and 5xx answers with exponential backoff that
/// honours `Retry-After`.
///
/// With an ``ExportSpool``, a batch the collector cannot take (down, hanging, 5xx, timeouts) is written
/// to disk as the encoded request and replayed in order by ``replaySpool()`` once the collector answers;
/// each request is then tried once, since the spool does the retrying. While the collector answers,
/// nothing touches the disk.
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
        /// Attempts per export, the first included. With a spool, each request is tried once and a
        /// failed one is retried from the spool.
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
    /// Where undeliverable batches wait, when configured (`STACK_SPOOL_DIR`).
    public var spool: ExportSpool? { delivery?.spool }
    private let delivery: SpooledDelivery?

    /// An exporter to `configuration.endpoint`; with `spool`, batches the collector cannot take wait
    /// there (run ``replaySpool()`` to deliver them).
    ///
    /// - Parameters:
    ///   - configuration: the endpoint, headers, timeout and compression.
    ///   - encoder: encodes batches as OTLP protobuf.
    ///   - spool: where batches the collector cannot take wait; `nil` drops them after the retries.
    ///   - logger: where the spool's replay reports the collector coming back and refused batches.
    public init(configuration: Configuration, encoder: OTLPTraceEncoder, spool: ExportSpool? = nil, logger: Logger = .current) {
        self.configuration = configuration
        self.encoder = encoder
        self.delivery = spool.map { spool in
            var once = configuration
            once.maxAttempts = 1
            return SpooledDelivery(spool: spool, sender: OTLPHTTPSender(configuration: once), logger: logger)
        }
    }

    init(configuration: Configuration, encoder: OTLPTraceEncoder, delivery: SpooledDelivery) {
        self.configuration = configuration
        self.encoder = encoder
        self.delivery = delivery
    }

    @discardableResult
    public func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        guard !spans.isEmpty else { return .delivered }
        if let delivery {
            return try await delivery.deliver(encoder.encode(spans), spanCount: spans.count)
        }
        try await OTLPHTTPSender(configuration: configuration).send(encoder.encode(spans))
        return .delivered
    }

    /// Delivers the spool's batches oldest-first until graceful shutdown or cancellation (returns at once
    /// without a spool). ``Telemetry`` runs it; what is left stays on disk for the next process.
    public func replaySpool() async {
        await delivery?.replay()
    }

    /// Writes `spans` to the spool as one request (what shutdown could not send); without a spool, keeps none.
    public func keepForLater(_ spans: [FinishedSpan]) -> Int {
        guard let delivery, !spans.isEmpty else { return 0 }
        do {
            try delivery.keep(encoder.encode(spans), spanCount: spans.count)
            return spans.count
        } catch {
            return 0
        }
    }

    /// `true` with a spool.
    public var keepsForLater: Bool { delivery != nil }

    public func shutdown() async {
        // The HTTP client belongs to whoever made it (the process, by default), not to one exporter.
    }
}

/// The connection settings every OTLP/HTTP exporter (traces, metrics, logs) shares.
public typealias OTLPHTTPConfiguration = OTLPHTTPSpanExporter.Configuration
#endif  // Telemetry
