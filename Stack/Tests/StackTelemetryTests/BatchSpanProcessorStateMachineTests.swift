import Testing
import Tracing

@testable import OpenInferenceTelemetry

@Suite("The batch processor's decisions, without a clock or an exporter")
struct BatchSpanProcessorStateMachineTests {
    typealias Machine = BatchSpanProcessorStateMachine

    /// Ended spans named `prefix-0`, `prefix-1`, …
    static func spans(_ count: Int, _ prefix: String = "span") -> [FinishedSpan] {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        for index in 0..<count { tracer.startSpan("\(prefix)-\(index)", context: .topLevel).end() }
        return recorder.spans
    }

    static func names(_ spans: [FinishedSpan]) -> [String] { spans.map(\.name) }

    static func names(_ range: Range<Int>, _ prefix: String = "span") -> [String] { range.map { "\(prefix)-\($0)" } }

    /// The spans of an `.export` action; records an issue for any other.
    static func exported(_ action: Machine.NextBatchAction, sourceLocation: SourceLocation = #_sourceLocation) -> [FinishedSpan] {
        guard case .export(let batch) = action else {
            Issue.record("expected a batch to export, got \(action)", sourceLocation: sourceLocation)
            return []
        }
        return batch
    }

    @Test("Spans wait in the queue until a batch is full, which wakes the export loop", arguments: [1, 3, 512])
    func fullBatchWakesTheLoop(batchSize: Int) {
        var machine = Machine(maxQueueSize: 2048, maxExportBatchSize: batchSize, canSpill: false)
        let spans = Self.spans(batchSize + 1)
        for span in spans.prefix(batchSize - 1) { #expect(machine.spanEnded(span) == .none) }
        #expect(machine.spanEnded(spans[batchSize - 1]) == .wakeExportLoop)
        #expect(machine.spanEnded(spans[batchSize]) == .wakeExportLoop)
        let batch = Self.exported(machine.nextBatch(in: .scheduled))
        #expect(Self.names(batch) == Self.names(0..<batchSize))
        #expect(Self.names(machine.queue) == ["span-\(batchSize)"])
        #expect(machine.isExporting)
    }

    @Test("A full queue drops new spans and counts them instead of growing", arguments: [(1, 1), (10, 5), (8, 8)])
    func fullQueueDrops(queueSize: Int, batchSize: Int) {
        var machine = Machine(maxQueueSize: queueSize, maxExportBatchSize: batchSize, canSpill: false)
        let spans = Self.spans(queueSize + 5)
        for span in spans.prefix(queueSize) { #expect(machine.spanEnded(span) != .dropped) }
        for span in spans.dropFirst(queueSize) { #expect(machine.spanEnded(span) == .dropped) }
        #expect(machine.dropped == 5)
        #expect(Self.names(machine.queue) == Self.names(0..<queueSize))
    }

    @Test("Sizes below one span, and a batch larger than the queue, are made consistent")
    func sizesAreClamped() {
        let empty = Machine(maxQueueSize: 0, maxExportBatchSize: 0, canSpill: true)
        #expect(empty.maxQueueSize == 1)
        #expect(empty.maxExportBatchSize == 1)
        #expect(empty.spillThreshold == 1)
        let wide = Machine(maxQueueSize: 10, maxExportBatchSize: 50, canSpill: true)
        #expect(wide.maxExportBatchSize == 10)
        #expect(wide.spillThreshold == 1)
    }

    @Test("Shutdown is asked once; spans that end after it are dropped and counted")
    func spansAfterShutdownAreDropped() {
        var machine = Machine(maxQueueSize: 10, maxExportBatchSize: 5, canSpill: false)
        #expect(machine.shutdownRequested() == .shutDown)
        #expect(machine.shutdownRequested() == .none)
        #expect(machine.spanEnded(Self.spans(1)[0]) == .dropped)
        #expect(machine.dropped == 1)
        #expect(machine.queue.isEmpty)
    }

    @Test(
        "A round takes the oldest spans a batch at a time; the loop's round stops after a batch that is not full, the others drain the queue",
        arguments: Machine.ExportRound.allCases
    )
    func roundsTakeBatchesInOrder(round: Machine.ExportRound) {
        var machine = Machine(maxQueueSize: 20, maxExportBatchSize: 4, canSpill: false)
        for span in Self.spans(10) { _ = machine.spanEnded(span) }
        var batches: [[String]] = []
        var endedBy: String?
        while endedBy == nil {
            switch machine.nextBatch(in: round) {
            case .export(let batch):
                batches.append(Self.names(batch))
                switch machine.exportFinished(batch, outcome: .delivered, in: round) {
                case .exportNextBatch(let warn):
                    #expect(!warn)
                case .finishRound(let warn):
                    #expect(!warn)
                    endedBy = "a batch that was not full"
                case .requeued:
                    endedBy = "a requeue"
                }
            case .roundFinished:
                endedBy = "an empty queue"
            case .deadlinePassed:
                endedBy = "a deadline"
            }
        }
        #expect(batches == [Self.names(0..<4), Self.names(4..<8), Self.names(8..<10)])
        #expect(endedBy == (round == .scheduled ? "a batch that was not full" : "an empty queue"))
        #expect(machine.exported == 10)
        #expect(!machine.isExporting)
    }

    @Test(
        "How an export ends decides the counts, the warning, and whether the collector counts as failing",
        arguments: Machine.ExportOutcome.allCases, [Machine.ExportRound.scheduled, .flush, .shutdown]
    )
    func exportOutcomes(outcome: Machine.ExportOutcome, round: Machine.ExportRound) {
        var machine = Machine(maxQueueSize: 20, maxExportBatchSize: 4, canSpill: true)
        for span in Self.spans(8) { _ = machine.spanEnded(span) }
        let batch = Self.exported(machine.nextBatch(in: round))
        let action = machine.exportFinished(batch, outcome: outcome, in: round)
        let lost = outcome == .timedOut || outcome == .failed
        #expect(action == .exportNextBatch(warnFailure: lost))
        #expect(machine.exported == (outcome == .delivered ? 4 : 0))
        #expect(machine.failed == (lost ? 4 : 0))
        #expect(machine.dropped == 0)
        #expect(machine.collectorFailing == (outcome != .delivered))
        #expect(machine.boundedFlushRequested() == (outcome == .delivered ? .export : .skip))
        #expect(Self.names(machine.queue) == Self.names(4..<8))
        #expect(!machine.isExporting)
    }

    @Test("A bounded flush whose export times out puts the batch back at the front of the queue, and waits no more until an export succeeds")
    func boundedFlushRequeuesAtDeadline() {
        var machine = Machine(maxQueueSize: 10, maxExportBatchSize: 2, canSpill: false)
        let spans = Self.spans(4)
        for span in spans.prefix(3) { _ = machine.spanEnded(span) }
        #expect(machine.boundedFlushRequested() == .export)
        let batch = Self.exported(machine.nextBatch(in: .boundedFlush))
        _ = machine.spanEnded(spans[3])  // ends while the export waits
        #expect(machine.exportFinished(batch, outcome: .timedOut, in: .boundedFlush) == .requeued)
        #expect(Self.names(machine.queue) == Self.names(0..<4))
        #expect(machine.failed == 0)
        #expect(machine.dropped == 0)
        #expect(machine.boundedFlushRequested() == .skip)
        // The loop delivers it, oldest first, and bounded flushes export again.
        let retried = Self.exported(machine.nextBatch(in: .scheduled))
        #expect(Self.names(retried) == Self.names(0..<2))
        _ = machine.exportFinished(retried, outcome: .delivered, in: .scheduled)
        #expect(machine.boundedFlushRequested() == .export)
    }

    @Test("A batch a bounded flush requeues after shutdown was asked is dropped and counted")
    func requeueAfterShutdownDrops() {
        var machine = Machine(maxQueueSize: 10, maxExportBatchSize: 4, canSpill: false)
        for span in Self.spans(3) { _ = machine.spanEnded(span) }
        let batch = Self.exported(machine.nextBatch(in: .boundedFlush))
        #expect(machine.shutdownRequested() == .shutDown)
        #expect(machine.exportFinished(batch, outcome: .timedOut, in: .boundedFlush) == .requeued)
        #expect(machine.queue.isEmpty)
        #expect(machine.dropped == 3)
        #expect(machine.failed == 0)
    }

    @Test(
        "A passed deadline ends the round before the next batch; a bounded flush wakes the loop for what it leaves",
        arguments: Machine.ExportRound.allCases)
    func deadlineEndsTheRound(round: Machine.ExportRound) {
        var machine = Machine(maxQueueSize: 10, maxExportBatchSize: 4, canSpill: false)
        for span in Self.spans(6) { _ = machine.spanEnded(span) }
        guard case .deadlinePassed(let wake) = machine.nextBatch(in: round, deadlinePassed: true) else {
            Issue.record("the round went on past its deadline")
            return
        }
        #expect(wake == (round == .boundedFlush))
        #expect(machine.queue.count == 6)
        #expect(!machine.isExporting)
    }

    @Test("While an export waits and the queue is nearly full, its oldest batch spills to the exporter's spool")
    func spillWhileExporting() {
        var machine = Machine(maxQueueSize: 16, maxExportBatchSize: 4, canSpill: true)
        #expect(machine.spillThreshold == 12)
        let first = Self.spans(4, "first")
        for span in first { _ = machine.spanEnded(span) }
        let inFlight = Self.exported(machine.nextBatch(in: .scheduled))
        #expect(Self.names(inFlight) == Self.names(0..<4, "first"))
        let during = Self.spans(12, "during")
        for (index, span) in during.enumerated() {
            // The twelfth queued span reaches the threshold.
            #expect(machine.spanEnded(span) == (index < 11 ? (index < 3 ? .none : .wakeExportLoop) : .wakeExportLoopAndSpill))
        }
        guard case .spill(let batch) = machine.nextSpill() else {
            Issue.record("nothing spilled from a nearly full queue while an export waits")
            return
        }
        #expect(Self.names(batch) == Self.names(0..<4, "during"))
        #expect(machine.spillFinished(count: batch.count, kept: batch.count) == false)
        #expect(machine.spilled == 4)
        #expect(machine.dropped == 0)
        #expect(machine.queue.count == 8)
        guard case .none = machine.nextSpill() else {
            Issue.record("spilled below the threshold")
            return
        }
    }

    @Test("A queue smaller than two batches signals the spill before a batch is full")
    func spillBeforeFullBatch() {
        var machine = Machine(maxQueueSize: 5, maxExportBatchSize: 4, canSpill: true)
        for span in Self.spans(4) { _ = machine.spanEnded(span) }
        _ = Self.exported(machine.nextBatch(in: .scheduled))
        #expect(machine.spanEnded(Self.spans(1)[0]) == .spill)
    }

    @Test(
        "Nothing spills when the exporter keeps nothing, or when no export waits",
        arguments: [(canSpill: false, exporting: true), (canSpill: true, exporting: false)]
    )
    func noSpill(canSpill: Bool, exporting: Bool) {
        var machine = Machine(maxQueueSize: 8, maxExportBatchSize: 4, canSpill: canSpill)
        if exporting {
            for span in Self.spans(4, "first") { _ = machine.spanEnded(span) }
            _ = Self.exported(machine.nextBatch(in: .scheduled))
        }
        for span in Self.spans(8) {
            let action = machine.spanEnded(span)
            #expect(action != .spill && action != .wakeExportLoopAndSpill)
        }
        guard case .none = machine.nextSpill() else {
            Issue.record("spilled although \(canSpill ? "no export waits" : "the exporter keeps nothing")")
            return
        }
        #expect(machine.queue.count == 8)
    }

    @Test("What the spool cannot take of a spilled batch is dropped, counted and warned about")
    func partialSpillDrops() {
        var machine = Machine(maxQueueSize: 8, maxExportBatchSize: 4, canSpill: true)
        #expect(machine.spillFinished(count: 4, kept: 1) == true)
        #expect(machine.spilled == 1)
        #expect(machine.dropped == 3)
    }

    @Test("Shutdown exports the queue until empty while in time, then what the deadline leaves goes to the spool; what it cannot keep is dropped")
    func shutdownFlushesThenKeepsLeftovers() {
        var machine = Machine(maxQueueSize: 20, maxExportBatchSize: 4, canSpill: false)
        for span in Self.spans(10) { _ = machine.spanEnded(span) }
        #expect(machine.shutdownRequested() == .shutDown)
        let first = Self.exported(machine.nextBatch(in: .shutdown))
        #expect(machine.exportFinished(first, outcome: .delivered, in: .shutdown) == .exportNextBatch(warnFailure: false))
        guard case .deadlinePassed(wakeExportLoop: false) = machine.nextBatch(in: .shutdown, deadlinePassed: true) else {
            Issue.record("shutdown went on past its deadline, or woke the loop")
            return
        }
        let leftovers = machine.takeLeftovers()
        #expect(Self.names(leftovers) == Self.names(4..<10))
        #expect(machine.queue.isEmpty)
        machine.leftoversKept(2, of: leftovers.count)
        #expect(machine.exported == 4)
        #expect(machine.dropped == 4)
    }

    @Test("The metrics get each count's growth once")
    func unpublishedCounts() {
        var machine = Machine(maxQueueSize: 4, maxExportBatchSize: 2, canSpill: false)
        for span in Self.spans(6) { _ = machine.spanEnded(span) }
        let delivered = Self.exported(machine.nextBatch(in: .flush))
        _ = machine.exportFinished(delivered, outcome: .delivered, in: .flush)
        let lost = Self.exported(machine.nextBatch(in: .flush))
        _ = machine.exportFinished(lost, outcome: .failed, in: .flush)
        #expect(machine.takeUnpublishedCounts() == .init(dropped: 2, exported: 2, failed: 2))
        #expect(machine.takeUnpublishedCounts() == .init())
        for span in Self.spans(5) { _ = machine.spanEnded(span) }
        #expect(machine.takeUnpublishedCounts() == .init(dropped: 1, exported: 0, failed: 0))
    }
}
