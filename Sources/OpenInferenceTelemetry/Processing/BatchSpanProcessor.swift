#if Telemetry
import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization

/// The batch span processor on the continuous clock: what ``Telemetry`` runs and what applications
/// build. See ``ClockedBatchSpanProcessor`` for what it does.
///
/// ```swift
/// let batch = BatchSpanProcessor(exporter: exporter)
/// let tracer = StackTracer(processor: batch)
/// ```
public typealias BatchSpanProcessor = ClockedBatchSpanProcessor<ContinuousClock>

/// Buffers ended spans in a bounded queue and exports them in batches from a background loop,
/// so the application never waits on the network.
///
/// Build it as ``BatchSpanProcessor``, on the continuous clock; the clock is a generic parameter so that
/// the processor's schedule, timeouts and deadlines can be tested on a clock that only moves when told.
///
/// The loop is a swift-service-lifecycle `Service`: run it in your `ServiceGroup` (``Telemetry``
/// does this for you). On graceful shutdown it exports what is queued, within
/// ``Configuration/shutdownTimeout``. When the queue is full, new spans are dropped and counted in
/// ``droppedSpans``; a warning is logged at most once per ``Configuration/dropWarningInterval``.
/// What the deadline leaves queued goes to the exporter's spool when it has one
/// (``SpanExporter/keepForLater(_:)``), and batches it spooled are counted there, not as failed.
///
/// With such an exporter, a queue that fills while an export call is still waiting for its answer (a
/// hanging collector holds the loop for up to a request timeout) is relieved by moving its oldest
/// batches to the spool (``spilledSpans``), so new spans are not dropped while the spool has room;
/// the replay sends them once the collector answers, possibly before the batch that was in flight.
///
/// The counts are also swift-metrics counters, published from the export loop (never the hot path):
/// `stack_telemetry_spans_exported_total`, `stack_telemetry_spans_failed_total` and
/// `stack_telemetry_spans_dropped_total`.
public final class ClockedBatchSpanProcessor<ProcessorClock: Clock>: SpanProcessor, Service where ProcessorClock.Duration == Duration {
    private typealias StateMachine = BatchSpanProcessorStateMachine

    /// Where batches go.
    public let exporter: any SpanExporter
    /// The queue and batch sizes and timings, with the sizes made consistent (at least one span, a batch
    /// no larger than the queue).
    public let configuration: BatchSpanProcessor.Configuration
    private let logger: Logger
    private let metricsFactory: (any MetricsFactory)?
    private let warnings: WarningThrottle
    private let state: Mutex<StateMachine>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Signals that the queue is nearly full while an export waits; the state machine signals it only
    /// when the exporter keeps spans for later.
    private let spillSignals: AsyncStream<Void>
    private let spill: AsyncStream<Void>.Continuation
    /// Measures the schedule delay, export timeouts and deadlines.
    private let clock: ProcessorClock

    /// A processor measuring its schedule, export timeouts and deadlines on `clock` (tests pass a clock
    /// they advance by hand).
    ///
    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: the queue size, batch size, schedule and export timeout.
    ///   - logger: where the processor reports dropped spans and failed exports; `nil` logs nothing.
    ///   - metricsFactory: where the span counts are published; `nil` uses the one
    ///   bootstrapped with `MetricsSystem` at the time of publishing.
    ///   - clock: the clock of the schedule delay, the timeouts and the deadlines.
    init(
        exporter: any SpanExporter,
        configuration: BatchSpanProcessor.Configuration = .default,
        logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        clock: ProcessorClock
    ) {
        self.exporter = exporter
        self.metricsFactory = metricsFactory
        let machine = StateMachine(
            maxQueueSize: configuration.maxQueueSize,
            maxExportBatchSize: configuration.maxExportBatchSize,
            canSpill: exporter.keepsForLater
        )
        var configuration = configuration
        configuration.maxQueueSize = machine.maxQueueSize
        configuration.maxExportBatchSize = machine.maxExportBatchSize
        self.configuration = configuration
        self.state = Mutex(machine)
        self.warnings = WarningThrottle(interval: configuration.dropWarningInterval)
        self.logger = logger ?? .current
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (self.spillSignals, self.spill) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.clock = clock
    }

    /// Spans dropped because the queue was full or the processor was shut down.
    public var droppedSpans: Int { state.withLock { $0.dropped } }
    /// Spans handed to the exporter successfully.
    public var exportedSpans: Int { state.withLock { $0.exported } }
    /// Spans in batches the exporter failed to deliver.
    public var failedSpans: Int { state.withLock { $0.failed } }
    /// Spans moved from a nearly full queue to the exporter's spool while an export waited.
    public var spilledSpans: Int { state.withLock { $0.spilled } }

    /// Queues `span` for export without waiting: wakes the export loop when a batch is full, and drops
    /// (and counts) the span when the queue is full or the processor shut down.
    public func onEnd(_ span: FinishedSpan) {
        switch state.withLock({ $0.spanEnded(span) }) {
        case .none:
            break
        case .wakeExportLoop:
            wake.yield()
        case .spill:
            spill.yield()
        case .wakeExportLoopAndSpill:
            wake.yield()
            spill.yield()
        case .dropped:
            warnIfDue("dropping spans: the export queue of \(configuration.maxQueueSize) is full or closed")
        }
    }

    /// Runs the export loop until graceful shutdown or cancellation, then flushes within the deadline.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [wake, configuration, clock] in
                while !Task.isCancelled {
                    try? await clock.sleep(for: configuration.scheduleDelay)
                    wake.yield()
                }
            }
            group.addTask { [self] in
                for await _ in spillSignals { spillWhileExporting() }
            }
            for await _ in wakeups.cancelOnGracefulShutdown() {
                await exportQueued(.scheduled)
            }
            spill.finish()
            group.cancelAll()
        }
        await shutdown()
    }

    /// Exports everything queued, batch after batch, each under ``Configuration/exportTimeout``, then
    /// flushes the exporter.
    public func forceFlush() async {
        await exportQueued(.flush)
        await exporter.forceFlush()
    }

    /// Exports what is queued, like ``forceFlush()``, but returns within `limit`: for a caller that
    /// flushes on its request path (`stack mcp` after each tool call, so its span reaches the collector
    /// before its caller's).
    ///
    /// Nothing is lost to the limit: a batch whose export it cuts short goes back to the front of the
    /// queue (with a spool, the exporter may keep it there instead), and the export loop is woken to
    /// deliver it with its usual retries. While the collector is failing (the last export failed and
    /// none has succeeded since) it returns at once and leaves the spans to the loop, so a collector
    /// that is down costs the caller nothing.
    public func forceFlush(waitingAtMost limit: Duration) async {
        await forceFlush(until: clock.now.advanced(by: limit))
    }

    /// ``forceFlush(waitingAtMost:)`` with the deadline as an instant, so several processors share one.
    func forceFlush(until deadline: ProcessorClock.Instant) async {
        switch state.withLock({ $0.boundedFlushRequested() }) {
        case .skip:
            return
        case .export:
            await exportQueued(.boundedFlush, deadline: deadline)
        }
    }

    /// Stops queueing (later spans are dropped and counted), exports what is queued within
    /// ``Configuration/shutdownTimeout``, hands what the deadline leaves to the exporter's spool (what it
    /// cannot keep is dropped), then shuts the exporter down. Later calls return at once.
    public func shutdown() async {
        switch state.withLock({ $0.shutdownRequested() }) {
        case .none:
            return
        case .shutDown:
            break
        }
        wake.finish()
        spill.finish()
        let deadline = clock.now.advanced(by: configuration.shutdownTimeout)
        await exportQueued(.shutdown, deadline: deadline)
        let abandoned = state.withLock { $0.takeLeftovers() }
        if !abandoned.isEmpty {
            // An exporter with a spool keeps them for the next process; what it cannot keep is dropped.
            let kept = exporter.keepForLater(abandoned)
            let lost = abandoned.count - kept
            state.withLock { $0.leftoversKept(kept, of: abandoned.count) }
            logger.warning(
                "telemetry shutdown deadline passed; \(abandoned.count) spans were not exported",
                metadata: ["spans_kept_for_later": "\(kept)", "spans_dropped": "\(lost)"]
            )
        }
        publishMetrics()
        await exporter.shutdown()
    }

    /// Exports queued batches as `round` asks, up to `deadline` when given.
    private func exportQueued(_ round: StateMachine.ExportRound, deadline: ProcessorClock.Instant? = nil) async {
        while true {
            let deadlinePassed = deadline.map { clock.now >= $0 } ?? false
            let batch: [FinishedSpan]
            switch state.withLock({ $0.nextBatch(in: round, deadlinePassed: deadlinePassed) }) {
            case .deadlinePassed(let wakeExportLoop):
                if wakeExportLoop { wake.yield() }
                return
            case .roundFinished:
                publishMetrics()
                return
            case .export(let spans):
                batch = spans
            }
            var timeout = configuration.exportTimeout
            if let deadline { timeout = min(timeout, clock.now.duration(to: deadline)) }
            let outcome: StateMachine.ExportOutcome
            var failure: (any Error)?
            do {
                let result = try await withTimeout(timeout, on: clock) { [exporter] in try await exporter.export(batch) }
                outcome = result.wasKeptForLater ? .keptForLater : .delivered
            } catch let error as TelemetryError where error.code == .exportTimedOut {
                (outcome, failure) = (.timedOut, error)
            } catch {
                (outcome, failure) = (.failed, error)
            }
            let action = state.withLock { $0.exportFinished(batch, outcome: outcome, in: round) }
            switch action {
            case .requeued:
                wake.yield()
                publishMetrics()
                return
            case .exportNextBatch(let warnFailure), .finishRound(let warnFailure):
                if warnFailure, let failure { warnIfDue("could not export \(batch.count) spans: \(failure)") }
                publishMetrics()
                if case .finishRound = action { return }
            }
        }
    }

    /// Moves the oldest queued batches to the exporter's spool while an export waits and the queue is
    /// nearly full; what the spool cannot take is dropped and counted.
    private func spillWhileExporting() {
        while case .spill(let batch) = state.withLock({ $0.nextSpill() }) {
            let kept = exporter.keepForLater(batch)
            if state.withLock({ $0.spillFinished(count: batch.count, kept: kept) }) {
                warnIfDue("dropping spans: the export queue of \(configuration.maxQueueSize) is full and the spool took \(kept) of \(batch.count)")
            }
        }
    }

    /// Adds what changed since the last call to the swift-metrics counters.
    private func publishMetrics() {
        let delta = state.withLock { $0.takeUnpublishedCounts() }
        let factory = metricsFactory ?? MetricsSystem.factory
        if delta.exported > 0 { Counter(label: "stack_telemetry_spans_exported_total", factory: factory).increment(by: delta.exported) }
        if delta.failed > 0 { Counter(label: "stack_telemetry_spans_failed_total", factory: factory).increment(by: delta.failed) }
        if delta.dropped > 0 { Counter(label: "stack_telemetry_spans_dropped_total", factory: factory).increment(by: delta.dropped) }
    }

    /// Logs `message` with the running totals, unless a warning passed within the throttle's interval.
    private func warnIfDue(_ message: @autoclosure () -> String) {
        guard warnings.isDue() else { return }
        let (dropped, failed) = state.withLock { ($0.dropped, $0.failed) }
        logger.warning(
            "\(message())",
            metadata: ["dropped_spans_total": "\(dropped)", "failed_spans_total": "\(failed)"]
        )
    }
}

extension ClockedBatchSpanProcessor where ProcessorClock == ContinuousClock {
    /// Queue and batch sizes and timings. Defaults follow OpenTelemetry's `OTEL_BSP_*` defaults.
    public struct Configuration: Sendable, Hashable {
        /// How long the loop waits between exports when batches are not full (`OTEL_BSP_SCHEDULE_DELAY`).
        public var scheduleDelay: Duration = .seconds(5)
        /// Spans held at most; more are dropped (`OTEL_BSP_MAX_QUEUE_SIZE`).
        public var maxQueueSize = 2048
        /// Spans sent in one export call (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
        public var maxExportBatchSize = 512
        /// How long one export call may take, retries included (`OTEL_BSP_EXPORT_TIMEOUT`).
        public var exportTimeout: Duration = .seconds(30)
        /// How long the final flush on shutdown may take in all.
        public var shutdownTimeout: Duration = .seconds(5)
        /// The least time between two log lines about dropped spans or failed exports.
        public var dropWarningInterval: Duration = .seconds(10)

        /// OpenTelemetry's defaults; set the properties to change them.
        public init() {}

        /// OpenTelemetry's defaults: a batch of 512 every 5 s from a queue of 2048, 30 s an export.
        public static let `default` = Configuration()
    }

    /// A processor batching spans to `exporter`, timed on the continuous clock. Run it (``run()``) for
    /// the export loop.
    ///
    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: the queue size, batch size, schedule and export timeout.
    ///   - logger: where the processor reports dropped spans and failed exports; `nil` logs nothing.
    ///   - metricsFactory: where the span counts are published; `nil` uses the one
    ///   bootstrapped with `MetricsSystem` at the time of publishing.
    public convenience init(
        exporter: any SpanExporter,
        configuration: Configuration = .default,
        logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.init(exporter: exporter, configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: ContinuousClock())
    }
}

/// Runs `export`, cancelling it when `timeout` passes first on `clock`; throws
/// ``TelemetryError/exportTimedOut(after:)`` unless the cancelled export still kept its batch for later,
/// whose result it then returns.
func withTimeout<C: Clock>(
    _ timeout: Duration,
    on clock: C,
    _ export: @escaping @Sendable () async throws -> SpanExportResult
) async throws -> SpanExportResult where C.Duration == Duration {
    try await withThrowingTaskGroup(of: SpanExportResult?.self) { group in
        group.addTask { try await export() }
        group.addTask {
            // Cancelled (the loop is stopping) counts as the time being up: the export's outcome,
            // spooled or not, is then read below rather than lost to a CancellationError.
            try? await clock.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        if let finished = try await group.next(), let result = finished { return result }
        group.cancelAll()
        // A cancelled export may still have kept its batch (in a spool): report that, not a loss.
        while let finished = try? await group.next() {
            if let result = finished, result.wasKeptForLater { return result }
        }
        throw TelemetryError.exportTimedOut(after: timeout)
    }
}
#endif  // Telemetry
