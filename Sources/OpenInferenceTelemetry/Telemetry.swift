#if Telemetry
import Logging
import OpenInference
import ServiceLifecycle
import Synchronization
import Tracing

/// The span pipeline of one process: a ``StackTracer`` whose spans are batched and exported over
/// OTLP/HTTP (and/or printed), plus the background loop that does the exporting.
///
/// For a command-line tool or script, wrap the work in ``withTelemetry(_:_:)``:
///
/// ```swift
/// try await withTelemetry(.fromEnvironment(serviceName: "my-tool")) { _ in
///     try await agent.run(goal)
/// }   // spans are flushed here, within the shutdown deadline
/// ```
///
/// For a server, bootstrap once and run the returned value in your `ServiceGroup` (it is a `Service`;
/// on graceful shutdown it exports what is queued):
///
/// ```swift
/// let telemetry = try Telemetry.bootstrap(.fromEnvironment(serviceName: "api"))
/// let group = ServiceGroup(services: [telemetry, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class Telemetry: Service {
    public let configuration: TelemetryConfiguration
    /// The tracer; ``bootstrap(_:logger:logBuffer:)`` installs it as `InstrumentationSystem.tracer`.
    public let tracer: StackTracer
    /// One batching processor per configured exporter.
    public let batchProcessors: [BatchSpanProcessor]
    /// The tail sampler between the tracer and the batch processors, when configured.
    public let tailSampler: TailSamplingProcessor<ContinuousClock>?
    /// The swift-metrics backend to bootstrap when ``TelemetryConfiguration/metricsEndpoint`` is set
    /// (alone, or beside another in a `MultiplexMetricsHandler`); its values are exported by ``run()``.
    public let metricsFactory: OTLPMetricsFactory?
    /// Where ``makeLogHandler(label:metadataProvider:)`` queues log records when
    /// ``TelemetryConfiguration/logsEndpoint`` is set; ``run()`` exports them.
    public let logBuffer: OTLPLogBuffer?
    /// The durable export spool of the OTLP exporter, when ``TelemetryConfiguration/spool`` is set.
    public var spool: ExportSpool? { otlpExporter?.spool }
    private let otlpExporter: OTLPHTTPSpanExporter?
    private let metricExporter: OTLPMetricExporter?
    private let logExporter: OTLPLogExporter?
    private let logger: Logger

    /// Builds the pipeline without installing it globally: scope it with `withTracer(telemetry.tracer)`
    /// and run it yourself. Most applications call ``bootstrap(_:logger:logBuffer:)`` instead.
    ///
    /// - Throws: ``TelemetryError/invalidEndpoint(_:source:)`` when the OTLP endpoint is not an http(s) URL,
    ///   ``TelemetryError/spoolFailed(_:)`` when the configured spool directory cannot be used.
    ///
    /// - Parameters:
    ///   - configuration: what to export, where, and how.
    ///   - logger: where telemetry reports its own trouble (failed exports, dropped spans); by default the
    ///     task-local `Logger.current`.
    ///   - logBuffer: the buffer OTLP log handlers queue records in, when the application made it before
    ///     bootstrapping logging (so telemetry's own warnings reach OTLP too); `nil` makes one when a logs
    ///     endpoint is configured.
    public init(configuration: TelemetryConfiguration, logger: Logger = .current, logBuffer: OTLPLogBuffer? = nil) throws(TelemetryError) {
        self.configuration = configuration
        self.logger = logger
        for diagnostic in configuration.diagnostics {
            logger.warning("\(diagnostic)")
        }
        let resource = Self.resource(for: configuration)
        var exporters: [any SpanExporter] = []
        var otlpExporter: OTLPHTTPSpanExporter?
        if configuration.isEnabled && configuration.exporters.contains(.otlp) {
            let encoder = OTLPTraceEncoder(
                resource: resource,
                attributeValueLengthLimit: configuration.attributeValueLengthLimit
            )
            let endpoint = try configuration.validatedEndpoint()
            var spool: ExportSpool?
            if let spoolConfiguration = configuration.spool {
                do {
                    spool = try ExportSpool(configuration: spoolConfiguration, logger: logger)
                } catch {
                    throw .spoolFailed(error)
                }
            }
            let exporter = OTLPHTTPSpanExporter(
                configuration: .init(endpoint: endpoint, headers: configuration.headers, requestTimeout: configuration.exportRequestTimeout),
                encoder: encoder,
                spool: spool,
                logger: logger
            )
            otlpExporter = exporter
            exporters.append(exporter)
        }
        self.otlpExporter = otlpExporter
        if configuration.isEnabled && configuration.exporters.contains(.console) {
            exporters.append(ConsoleSpanExporter())
        }
        self.batchProcessors = exporters.map {
            BatchSpanProcessor(exporter: $0, configuration: configuration.batch, logger: logger)
        }
        let exporting = MultiSpanProcessor(batchProcessors)
        self.tailSampler = configuration.tailSampling.map { TailSamplingProcessor(downstream: exporting, configuration: $0) }
        self.tracer = StackTracer(
            processor: tailSampler.map { $0 as any SpanProcessor } ?? exporting,
            sampler: configuration.isEnabled ? configuration.sampler : AlwaysOffSampler(),
            attributeValueLengthLimit: configuration.attributeValueLengthLimit
        )
        if configuration.isEnabled, let raw = configuration.metricsEndpoint {
            let url = try TelemetryConfiguration.validated(raw, variable: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT)")
            let factory = OTLPMetricsFactory()
            self.metricsFactory = factory
            self.metricExporter = OTLPMetricExporter(
                factory: factory,
                configuration: .init(
                    endpoint: url, headers: configuration.metricsHeaders, requestTimeout: configuration.exportRequestTimeout, maxAttempts: 2),
                resource: resource,
                interval: configuration.metricExportInterval,
                logger: logger
            )
        } else {
            self.metricsFactory = nil
            self.metricExporter = nil
        }
        if configuration.isEnabled, let raw = configuration.logsEndpoint {
            let url = try TelemetryConfiguration.validated(raw, variable: "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT)")
            let buffer = logBuffer ?? OTLPLogBuffer(capacity: configuration.logQueueSize)
            self.logBuffer = buffer
            self.logExporter = OTLPLogExporter(
                buffer: buffer,
                configuration: .init(
                    endpoint: url, headers: configuration.logsHeaders, requestTimeout: configuration.exportRequestTimeout, maxAttempts: 2),
                resource: resource,
                interval: configuration.logExportInterval
            )
        } else {
            self.logBuffer = nil
            self.logExporter = nil
        }
    }

    /// A log handler that queues records for OTLP export, or `nil` when no logs endpoint is configured.
    public func makeLogHandler(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> OTLPLogHandler? {
        logBuffer.map { OTLPLogHandler(label: label, buffer: $0, metadataProvider: metadataProvider) }
    }

    private static let installed = Mutex<Telemetry?>(nil)

    /// Builds the pipeline and installs its tracer as the process-wide `InstrumentationSystem` tracer.
    ///
    /// Idempotent: later calls return the first instance (and log that their configuration was ignored),
    /// because `InstrumentationSystem` can be bootstrapped only once per process.
    @discardableResult
    public static func bootstrap(
        _ configuration: TelemetryConfiguration = .fromEnvironment(),
        logger: Logger = .current,
        logBuffer: OTLPLogBuffer? = nil
    ) throws(TelemetryError) -> Telemetry {
        if let existing = installed.withLock({ $0 }) {
            logger.debug("Telemetry.bootstrap called again; keeping the first configuration")
            return existing
        }
        let telemetry = try Telemetry(configuration: configuration, logger: logger, logBuffer: logBuffer)
        let winner = installed.withLock { current -> Telemetry in
            if let current { return current }
            current = telemetry
            InstrumentationSystem.bootstrap(telemetry.tracer)
            return telemetry
        }
        return winner
    }

    /// The telemetry installed by ``bootstrap(_:logger:logBuffer:)``, if any.
    public static var current: Telemetry? { installed.withLock { $0 } }

    /// Runs the export loops (and the spool's replay) until graceful shutdown or cancellation, then flushes.
    ///
    /// It returns only then, even with nothing to export (`OTEL_SDK_DISABLED=true`, or no exporter), so a
    /// `ServiceGroup` does not take the telemetry service's end for a failure.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await gracefulShutdown() }
            for processor in batchProcessors {
                group.addTask { try? await processor.run() }
            }
            if let otlpExporter, otlpExporter.spool != nil { group.addTask { await otlpExporter.replaySpool() } }
            if let metricExporter { group.addTask { try? await metricExporter.run() } }
            if let logExporter { group.addTask { try? await logExporter.run() } }
        }
    }

    /// Exports everything queued so far: spans, log records and the current metric values.
    public func forceFlush() async {
        if let tailSampler { await tailSampler.forceFlush() }
        for processor in batchProcessors { await processor.forceFlush() }
        await logExporter?.exportQueued()
        await metricExporter?.exportOnce()
    }

    /// Exports the spans ended so far, returning within `limit`: for flushing on a request path, where
    /// a collector that is down or hanging must not hold the answer (see
    /// ``ClockedBatchSpanProcessor/forceFlush(waitingAtMost:)``; nothing is dropped for the limit). Traces the
    /// tail sampler holds past their wait are decided first; log records and metrics are left to their loops.
    public func forceFlush(waitingAtMost limit: Duration) async {
        let deadline = ContinuousClock.now.advanced(by: limit)
        tailSampler?.decideExpired()
        for processor in batchProcessors { await processor.forceFlush(until: deadline) }
    }

    /// Flushes within the configured deadline and stops accepting spans.
    public func shutdown() async {
        // Pending traces are decided first, so what the tail sampler keeps still gets exported.
        if let tailSampler { await tailSampler.shutdown() }
        for processor in batchProcessors { await processor.shutdown() }
        await logExporter?.exportQueued()
        await metricExporter?.exportOnce()
    }

    /// Spans dropped because a queue was full or telemetry was shut down.
    public var droppedSpans: Int { batchProcessors.reduce(0) { $0 + $1.droppedSpans } }

    static func resource(for configuration: TelemetryConfiguration) -> SpanAttributes {
        var resource = SpanAttributes()
        for (key, value) in configuration.resourceAttributes {
            resource.set(key, value: .string(value))
        }
        resource.set("service.name", value: .string(configuration.serviceName))
        resource.set("openinference.project.name", value: .string(configuration.projectName))
        resource.set("telemetry.sdk.name", value: .string("stack"))
        resource.set("telemetry.sdk.language", value: .string("swift"))
        resource.set("telemetry.sdk.version", value: .string(StackTelemetryVersion.current))
        return resource
    }
}

/// Bootstraps ``Telemetry``, runs its export loop beside `body`, and flushes when `body` ends,
/// whether it returns or throws. The one call a script or command-line tool needs.
///
/// - Throws: ``TelemetryError/invalidEndpoint(_:source:)`` for a bad endpoint, or whatever `body` throws.
public func withTelemetry<T: Sendable>(
    _ configuration: TelemetryConfiguration = .fromEnvironment(),
    _ body: (Telemetry) async throws -> T
) async throws -> T {
    let telemetry = try Telemetry.bootstrap(configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await telemetry.run() }
        do {
            let result = try await body(telemetry)
            await telemetry.shutdown()
            group.cancelAll()
            return result
        } catch {
            await telemetry.shutdown()
            group.cancelAll()
            throw error
        }
    }
}
#endif  // Telemetry
