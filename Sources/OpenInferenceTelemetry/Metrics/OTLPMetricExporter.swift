#if Telemetry
import Foundation
import Logging
import ServiceLifecycle
import Tracing

/// Sends the ``OTLPMetricsFactory``'s snapshot to an OTLP/HTTP `/v1/metrics` endpoint every
/// `interval` (`OTEL_METRIC_EXPORT_INTERVAL`), and once more on graceful shutdown.
///
/// A failed export is logged at most once a minute and retried at the next interval: cumulative
/// values lose nothing by waiting.
public struct OTLPMetricExporter: Service {
    /// The instruments whose values are exported.
    public let factory: OTLPMetricsFactory
    let sender: OTLPHTTPSender
    let encoder: OTLPMetricEncoder
    let interval: Duration
    let logger: Logger
    private let throttle = WarningThrottle()

    /// An exporter of `factory`'s values to the endpoint in `configuration`, tagged with `resource`.
    public init(
        factory: OTLPMetricsFactory,
        configuration: OTLPHTTPConfiguration,
        resource: SpanAttributes = SpanAttributes(),
        interval: Duration = .seconds(60),
        logger: Logger = .current
    ) {
        self.factory = factory
        self.sender = OTLPHTTPSender(configuration: configuration)
        self.encoder = OTLPMetricEncoder(resource: resource)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await self.exportOnce() }
    }

    /// Sends the current values now.
    public func exportOnce() async {
        let points = factory.snapshot()
        guard !points.isEmpty else { return }
        do {
            try await sender.send(encoder.encode(points))
        } catch {
            if throttle.isDue() {
                logger.warning("could not export metrics; retrying at the next interval", metadata: ["error": "\(error)"])
            }
        }
    }
}
#endif  // Telemetry
