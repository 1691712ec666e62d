#if Telemetry
/// The decisions of the batch span processor: its queue and counts, and what to do at each event
/// (a span ended, a batch is due, an export finished, a spill, a flush or shutdown asked), returned as an
/// action for the processor to perform. It does no I/O, takes no lock and reads no clock: the processor
/// runs it under its mutex, measures time on its clock, and passes in what it found (a deadline passed,
/// how an export ended, how many spans the spool kept).
struct BatchSpanProcessorStateMachine: Sendable {
    /// Which caller drains the queue, which decides when a round of exports stops.
    enum ExportRound: Sendable, Hashable, CaseIterable {
        /// The export loop, woken by a full batch or the schedule delay: stops after a batch that is not full.
        case scheduled
        /// `forceFlush()`: until the queue is empty.
        case flush
        /// `forceFlush(waitingAtMost:)`: until the queue is empty or the deadline passes; a batch the
        /// deadline cuts short goes back to the front of the queue, for the loop.
        case boundedFlush
        /// `shutdown()`: until the queue is empty or the deadline passes; a batch the deadline cuts
        /// short counts as failed.
        case shutdown

        /// Whether the round goes on after a batch smaller than the batch size.
        var drainsQueue: Bool { self != .scheduled }
        /// Whether a batch whose export times out goes back to the queue instead of counting as failed.
        var requeuesAtDeadline: Bool { self == .boundedFlush }
    }

    /// How an export call ended, as the processor saw it.
    enum ExportOutcome: Sendable, Hashable, CaseIterable {
        /// The exporter delivered the batch.
        case delivered
        /// The exporter could not deliver but kept the batch (a spool): not lost.
        case keptForLater
        /// The export did not answer within its timeout (``TelemetryError/Code/exportTimedOut``).
        case timedOut
        /// The exporter gave up.
        case failed
    }

    /// What to do after a span ended.
    enum SpanEndedAction: Sendable, Hashable {
        /// Nothing: the span waits in the queue.
        case none
        /// A batch is full: wake the export loop.
        case wakeExportLoop
        /// An export is waiting and the queue is nearly full: signal the spill.
        case spill
        /// Both of the above.
        case wakeExportLoopAndSpill
        /// The queue was full or closed: the span was dropped and counted; warn (throttled).
        case dropped
    }

    /// What to do next in a round of exports.
    enum NextBatchAction: Sendable {
        /// Export these spans, the oldest queued; the machine counts an export as waiting until
        /// ``exportFinished(_:outcome:in:)``.
        case export([FinishedSpan])
        /// The queue is empty: publish the metrics and end the round.
        case roundFinished
        /// The deadline passed: end the round, waking the export loop first when asked, so that it
        /// delivers what the round leaves queued.
        case deadlinePassed(wakeExportLoop: Bool)
    }

    /// What to do after an export call ended.
    enum ExportFinishedAction: Sendable, Hashable {
        /// Go on with the next batch; when `warnFailure`, first warn (throttled) that the batch was lost.
        case exportNextBatch(warnFailure: Bool)
        /// End the round (publishing the metrics); when `warnFailure`, first warn that the batch was lost.
        case finishRound(warnFailure: Bool)
        /// The batch timed out and went back to the front of the queue (or, after shutdown, was dropped):
        /// wake the export loop to deliver it, publish the metrics and end the round.
        case requeued
    }

    /// What to do when the spill was signalled.
    enum SpillAction: Sendable {
        /// Hand these spans, the oldest queued, to the exporter's ``SpanExporter/keepForLater(_:)``.
        case spill([FinishedSpan])
        /// Nothing to spill (no export waits, the queue has room, or the exporter keeps nothing).
        case none
    }

    /// What to do when `forceFlush(waitingAtMost:)` is asked.
    enum BoundedFlushAction: Sendable, Hashable {
        /// Export what is queued, within the limit.
        case export
        /// The collector is failing (the last export failed, timed out or was kept for later and none
        /// has succeeded since): return at once and leave the spans to the loop.
        case skip
    }

    /// What to do when shutdown is asked.
    enum ShutdownAction: Sendable, Hashable {
        /// The first request: close the loop's signals, flush within the shutdown timeout, then hand
        /// the leftovers (``takeLeftovers()``) to the exporter's spool.
        case shutDown
        /// Shut down already: nothing to do.
        case none
    }

    /// Span counts, as a whole for publishing their growth as metrics.
    struct Counts: Sendable, Hashable {
        var dropped = 0
        var exported = 0
        var failed = 0
    }

    /// Spans held at most.
    let maxQueueSize: Int
    /// Spans in one export call, at most.
    let maxExportBatchSize: Int
    /// The queue length from which queued spans move to the exporter's spool while an export waits.
    let spillThreshold: Int
    /// Whether the exporter can keep spans for later, without which nothing spills.
    let canSpill: Bool

    /// Spans waiting, oldest first.
    private(set) var queue: [FinishedSpan] = []
    /// Spans dropped because the queue was full or closed, or because the spool could not take them.
    private(set) var dropped = 0
    /// Spans the exporter delivered.
    private(set) var exported = 0
    /// Spans in batches the exporter failed to deliver.
    private(set) var failed = 0
    /// Spans moved to the exporter's spool while an export waited.
    private(set) var spilled = 0
    /// An export call is waiting for its answer.
    private(set) var isExporting = false
    /// The last export failed, timed out or was kept for later, and none has succeeded since.
    private(set) var collectorFailing = false
    /// Shutdown was asked: spans are no longer queued.
    private(set) var isShutdown = false
    /// The counts last published as metrics.
    private var published = Counts()

    /// - Parameters:
    ///   - maxQueueSize: spans held at most (at least 1).
    ///   - maxExportBatchSize: spans in one export call (at least 1, at most `maxQueueSize`).
    ///   - canSpill: whether the exporter keeps spans for later (``SpanExporter/keepsForLater``).
    init(maxQueueSize: Int, maxExportBatchSize: Int, canSpill: Bool) {
        self.maxQueueSize = max(1, maxQueueSize)
        self.maxExportBatchSize = max(1, min(maxExportBatchSize, self.maxQueueSize))
        self.spillThreshold = max(1, self.maxQueueSize - self.maxExportBatchSize)
        self.canSpill = canSpill
    }

    // MARK: Events

    /// A span ended: queue it, or drop it when the queue is full or shut down.
    mutating func spanEnded(_ span: FinishedSpan) -> SpanEndedAction {
        guard !isShutdown, queue.count < maxQueueSize else {
            dropped += 1
            return .dropped
        }
        queue.append(span)
        let batchFull = queue.count >= maxExportBatchSize
        let spill = canSpill && isExporting && queue.count >= spillThreshold
        switch (batchFull, spill) {
        case (false, false): return .none
        case (true, false): return .wakeExportLoop
        case (false, true): return .spill
        case (true, true): return .wakeExportLoopAndSpill
        }
    }

    /// A round of exports wants its next batch; `deadlinePassed` when the round's deadline is behind.
    mutating func nextBatch(in round: ExportRound, deadlinePassed: Bool = false) -> NextBatchAction {
        if deadlinePassed { return .deadlinePassed(wakeExportLoop: round.requeuesAtDeadline) }
        guard !queue.isEmpty else { return .roundFinished }
        let batch = takeOldest()
        isExporting = true
        return .export(batch)
    }

    /// The export of `batch` (from ``nextBatch(in:deadlinePassed:)``) ended with `outcome`.
    mutating func exportFinished(_ batch: [FinishedSpan], outcome: ExportOutcome, in round: ExportRound) -> ExportFinishedAction {
        isExporting = false
        var warnFailure = false
        switch outcome {
        case .delivered:
            exported += batch.count
            collectorFailing = false
        case .keptForLater:
            // Not lost: the exporter's spool holds the batch and counts it.
            collectorFailing = true
        case .timedOut where round.requeuesAtDeadline:
            // Not lost either: back to the front of the queue (at most one batch past its bound), for
            // the loop to deliver with the full export timeout.
            collectorFailing = true
            if isShutdown {
                dropped += batch.count
            } else {
                queue.insert(contentsOf: batch, at: 0)
            }
            return .requeued
        case .timedOut, .failed:
            failed += batch.count
            collectorFailing = true
            warnFailure = true
        }
        if !round.drainsQueue && batch.count < maxExportBatchSize { return .finishRound(warnFailure: warnFailure) }
        return .exportNextBatch(warnFailure: warnFailure)
    }

    /// The spill was signalled: take the oldest batch while an export waits and the queue is nearly full.
    mutating func nextSpill() -> SpillAction {
        guard canSpill, isExporting, queue.count >= spillThreshold else { return .none }
        return .spill(takeOldest())
    }

    /// The exporter kept `kept` of the `count` spans of a spilled batch; the rest are dropped. Returns
    /// whether to warn (throttled) about those.
    mutating func spillFinished(count: Int, kept: Int) -> Bool {
        spilled += kept
        dropped += count - kept
        return kept < count
    }

    /// `forceFlush(waitingAtMost:)` was asked.
    func boundedFlushRequested() -> BoundedFlushAction {
        collectorFailing ? .skip : .export
    }

    /// Shutdown was asked: from now on spans are dropped.
    mutating func shutdownRequested() -> ShutdownAction {
        defer { isShutdown = true }
        return isShutdown ? .none : .shutDown
    }

    /// The shutdown flush is over: what it left queued, for the exporter's spool.
    mutating func takeLeftovers() -> [FinishedSpan] {
        defer { queue.removeAll() }
        return queue
    }

    /// The exporter kept `kept` of the `count` leftovers; the rest are dropped.
    mutating func leftoversKept(_ kept: Int, of count: Int) {
        dropped += count - kept
    }

    /// The growth of the counts since the last call, to add to the metrics.
    mutating func takeUnpublishedCounts() -> Counts {
        let now = Counts(dropped: dropped, exported: exported, failed: failed)
        defer { published = now }
        return Counts(dropped: now.dropped - published.dropped, exported: now.exported - published.exported, failed: now.failed - published.failed)
    }

    /// Removes and returns the oldest spans, up to a batch.
    private mutating func takeOldest() -> [FinishedSpan] {
        let count = min(queue.count, maxExportBatchSize)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        return batch
    }
}
#endif  // Telemetry
