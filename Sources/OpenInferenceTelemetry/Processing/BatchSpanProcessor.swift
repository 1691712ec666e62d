#if Telemetry
import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization

/// Buffers ended spans in a bounded queue and exports them in batches from a background loop,
/// so the application never waits on the network.
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
public final class BatchSpanProcessor: SpanProcessor, Service {
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

        public init() {}

        public static let `default` = Configuration()
    }

    private struct State {
        var queue: [FinishedSpan] = []
        var dropped = 0
        var exported = 0
        var failed = 0
        var spilled = 0
        /// An export call is waiting for its answer.
        var exporting = false
        /// The last export failed, timed out or was spooled, and none has succeeded since.
        var collectorFailing = false
        var isShutdown = false
        /// The counts last published as metrics.
        var published = (dropped: 0, exported: 0, failed: 0)
    }

    public let exporter: any SpanExporter
    public let configuration: Configuration
    private let logger: Logger
    private let metricsFactory: (any MetricsFactory)?
    private let warnings: WarningThrottle
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Signals that the queue is nearly full while an export waits; `nil` when the exporter keeps nothing.
    private let spillSignals: AsyncStream<Void>
    private let spill: AsyncStream<Void>.Continuation?
    /// The queue length from which queued spans move to the exporter's spool while an export waits.
    private let spillThreshold: Int

    /// - Parameters:
    ///   - exporter: where batches go.
    ///   - configuration: the queue size, batch size, schedule and export timeout.
    ///   - logger: where the processor reports dropped spans and failed exports; `nil` logs nothing.
    ///   - metricsFactory: where the span counts are published; `nil` uses the one
    ///   bootstrapped with `MetricsSystem` at the time of publishing.
    public init(
        exporter: any SpanExporter,
        configuration: Configuration = .default,
        logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.exporter = exporter
        self.metricsFactory = metricsFactory
        var configuration = configuration
        configuration.maxQueueSize = max(1, configuration.maxQueueSize)
        configuration.maxExportBatchSize = max(1, min(configuration.maxExportBatchSize, configuration.maxQueueSize))
        self.configuration = configuration
        self.warnings = WarningThrottle(interval: configuration.dropWarningInterval)
        self.logger = logger ?? .current
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let (spillSignals, spill) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.spillSignals = spillSignals
        self.spill = exporter.keepsForLater ? spill : nil
        self.spillThreshold = max(1, configuration.maxQueueSize - configuration.maxExportBatchSize)
    }

    /// Spans dropped because the queue was full or the processor was shut down.
    public var droppedSpans: Int { state.withLock { $0.dropped } }
    /// Spans handed to the exporter successfully.
    public var exportedSpans: Int { state.withLock { $0.exported } }
    /// Spans in batches the exporter failed to deliver.
    public var failedSpans: Int { state.withLock { $0.failed } }
    /// Spans moved from a nearly full queue to the exporter's spool while an export waited.
    public var spilledSpans: Int { state.withLock { $0.spilled } }

    public func onEnd(_ span: FinishedSpan) {
        let (shouldWake, shouldSpill, droppedNow) = state.withLock { state -> (Bool, Bool, Bool) in
            guard !state.isShutdown, state.queue.count < configuration.maxQueueSize else {
                state.dropped += 1
                return (false, false, true)
            }
            state.queue.append(span)
            return (state.queue.count >= configuration.maxExportBatchSize, state.exporting && state.queue.count >= spillThreshold, false)
        }
        if shouldWake { wake.yield() }
        if shouldSpill { spill?.yield() }
        if droppedNow { warnIfDue("dropping spans: the export queue of \(configuration.maxQueueSize) is full or closed") }
    }

    /// Runs the export loop until graceful shutdown or cancellation, then flushes within the deadline.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [wake, configuration] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.scheduleDelay)
                    wake.yield()
                }
            }
            group.addTask { [self] in
                for await _ in spillSignals { spillWhileExporting() }
            }
            for await _ in wakeups.cancelOnGracefulShutdown() {
                await exportQueued(untilEmpty: false)
            }
            spill?.finish()
            group.cancelAll()
        }
        await shutdown()
    }

    public func forceFlush() async {
        await exportQueued(untilEmpty: true)
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
        await forceFlush(until: ContinuousClock.now.advanced(by: limit))
    }

    /// ``forceFlush(waitingAtMost:)`` with the deadline as an instant, so several processors share one.
    func forceFlush(until deadline: ContinuousClock.Instant) async {
        guard !state.withLock({ $0.collectorFailing }) else { return }
        await exportQueued(untilEmpty: true, deadline: deadline, requeueAtDeadline: true)
    }

    public func shutdown() async {
        let wasShutdown = state.withLock { state in
            defer { state.isShutdown = true }
            return state.isShutdown
        }
        guard !wasShutdown else { return }
        wake.finish()
        spill?.finish()
        let deadline = ContinuousClock.now.advanced(by: configuration.shutdownTimeout)
        await exportQueued(untilEmpty: true, deadline: deadline)
        let abandoned = state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue
        }
        if !abandoned.isEmpty {
            // An exporter with a spool keeps them for the next process; what it cannot keep is dropped.
            let kept = exporter.keepForLater(abandoned)
            let lost = abandoned.count - kept
            state.withLock { $0.dropped += lost }
            logger.warning(
                "telemetry shutdown deadline passed; \(abandoned.count) spans were not exported",
                metadata: ["spans_kept_for_later": "\(kept)", "spans_dropped": "\(lost)"]
            )
        }
        publishMetrics()
        await exporter.shutdown()
    }

    /// The oldest spans, up to a batch; `toSpill` takes them only while an export waits and the queue
    /// is nearly full.
    private func takeBatch(toSpill: Bool = false) -> [FinishedSpan] {
        state.withLock { state in
            if toSpill, !(state.exporting && state.queue.count >= spillThreshold) { return [] }
            let count = min(state.queue.count, configuration.maxExportBatchSize)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }

    /// Exports queued batches, up to `deadline` when given. With `requeueAtDeadline`, a batch whose export
    /// the deadline cuts short goes back to the front of the queue instead of counting as failed, and
    /// what is left is handed to the loop.
    private func exportQueued(untilEmpty: Bool, deadline: ContinuousClock.Instant? = nil, requeueAtDeadline: Bool = false) async {
        while true {
            if let deadline, ContinuousClock.now >= deadline {
                if requeueAtDeadline { wake.yield() }
                return
            }
            let batch = takeBatch()
            if batch.isEmpty {
                publishMetrics()
                return
            }
            var timeout = configuration.exportTimeout
            if let deadline { timeout = min(timeout, ContinuousClock.now.duration(to: deadline)) }
            state.withLock { $0.exporting = true }
            defer { state.withLock { $0.exporting = false } }
            do {
                let result = try await withTimeout(timeout) { [exporter] in try await exporter.export(batch) }
                state.withLock { state in
                    if result.wasKeptForLater {
                        // Not lost: the exporter's spool holds the batch and counts it.
                        state.collectorFailing = true
                    } else {
                        state.exported += batch.count
                        state.collectorFailing = false
                    }
                }
            } catch let error as TelemetryError where error.code == .exportTimedOut && requeueAtDeadline {
                // Not lost either: back to the front of the queue (at most one batch past its bound),
                // for the loop to deliver with the full export timeout.
                state.withLock { state in
                    state.collectorFailing = true
                    if state.isShutdown {
                        state.dropped += batch.count
                    } else {
                        state.queue.insert(contentsOf: batch, at: 0)
                    }
                }
                wake.yield()
                publishMetrics()
                return
            } catch {
                state.withLock { state in
                    state.failed += batch.count
                    state.collectorFailing = true
                }
                warnIfDue("could not export \(batch.count) spans: \(error)")
            }
            publishMetrics()
            if !untilEmpty && batch.count < configuration.maxExportBatchSize { return }
        }
    }

    /// Moves the oldest queued batches to the exporter's spool while an export waits and the queue is
    /// nearly full; what the spool cannot take is dropped and counted.
    private func spillWhileExporting() {
        while true {
            let batch = takeBatch(toSpill: true)
            guard !batch.isEmpty else { return }
            let kept = exporter.keepForLater(batch)
            state.withLock { state in
                state.spilled += kept
                state.dropped += batch.count - kept
            }
            if kept < batch.count {
                warnIfDue("dropping spans: the export queue of \(configuration.maxQueueSize) is full and the spool took \(kept) of \(batch.count)")
            }
        }
    }

    /// Adds what changed since the last call to the swift-metrics counters.
    private func publishMetrics() {
        let delta = state.withLock { state in
            defer { state.published = (state.dropped, state.exported, state.failed) }
            return (
                dropped: state.dropped - state.published.dropped,
                exported: state.exported - state.published.exported,
                failed: state.failed - state.published.failed
            )
        }
        let factory = metricsFactory ?? MetricsSystem.factory
        if delta.exported > 0 { Counter(label: "stack_telemetry_spans_exported_total", factory: factory).increment(by: delta.exported) }
        if delta.failed > 0 { Counter(label: "stack_telemetry_spans_failed_total", factory: factory).increment(by: delta.failed) }
        if delta.dropped > 0 { Counter(label: "stack_telemetry_spans_dropped_total", factory: factory).increment(by: delta.dropped) }
    }

    private func warnIfDue(_ message: String) {
        guard warnings.isDue() else { return }
        let (dropped, failed) = state.withLock { ($0.dropped, $0.failed) }
        logger.warning(
            "\(message)",
            metadata: ["dropped_spans_total": "\(dropped)", "failed_spans_total": "\(failed)"]
        )
    }
}

/// Runs `export`, cancelling it when `timeout` passes first; throws ``TelemetryError/exportTimedOut(after:)``
/// unless the cancelled export still kept its batch for later, whose result it then returns.
func withTimeout(
    _ timeout: Duration,
    _ export: @escaping @Sendable () async throws -> SpanExportResult
) async throws -> SpanExportResult {
    try await withThrowingTaskGroup(of: SpanExportResult?.self) { group in
        group.addTask { try await export() }
        group.addTask {
            // Cancelled (the loop is stopping) counts as the time being up: the export's outcome,
            // spooled or not, is then read below rather than lost to a CancellationError.
            try? await Task.sleep(for: timeout)
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
