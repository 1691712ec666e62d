import Foundation
import Synchronization
import Testing
import Tracing

@testable import OpenInferenceTelemetry

@Suite("Batch processing and export failures")
struct BatchSpanProcessorTests {
    @Test("A full queue drops new spans and counts them instead of growing")
    func fullQueueDrops() async throws {
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = 10
        configuration.maxExportBatchSize = 5
        let exporter = CollectingExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration)
        let tracer = StackTracer(processor: processor)
        for index in 0..<25 { tracer.withSpan("span \(index)") { _ in } }
        #expect(processor.droppedSpans == 15)
        await processor.forceFlush()
        #expect(exporter.count == 10)
        #expect(processor.exportedSpans == 10)
    }

    @Test(
        "The export loop sends full batches as they fill and the rest when the schedule delay elapses; shutdown flushes, later spans are dropped",
        .timeLimit(.minutes(1))
    )
    func loopExportsAndFlushes() async throws {
        let clock = TestClock()
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxExportBatchSize = 4
        // On the test clock: the delay elapses when the test says, an hour if the clock were not used.
        configuration.scheduleDelay = .seconds(3600)
        let exporter = CollectingExporter()
        let processor = ClockedBatchSpanProcessor(exporter: exporter, configuration: configuration, clock: clock)
        let tracer = StackTracer(processor: processor)
        for index in 0..<8 { tracer.withSpan("full-\(index)") { _ in } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            // Two full batches woke the loop: they go out with the clock standing still.
            await exporter.waitForSpans(8)
            for index in 0..<2 { tracer.withSpan("partial-\(index)") { _ in } }
            await clock.waitForSleepers(1)  // the schedule
            clock.advance(by: configuration.scheduleDelay)
            await exporter.waitForSpans(10)
            tracer.withSpan("left for shutdown") { _ in }
            await processor.shutdown()
            try await group.waitForAll()
        }
        #expect(exporter.batchSizes == [4, 4, 2, 1])
        #expect(exporter.names.last == "left for shutdown")
        #expect(processor.exportedSpans == 11)
        tracer.withSpan("after shutdown") { _ in }
        #expect(processor.droppedSpans == 1)
    }

    @Test("A collector that never answers cannot hold shutdown past its deadline", .timeLimit(.minutes(1)))
    func hangingCollectorDoesNotBlockShutdown() async throws {
        let clock = TestClock()
        var configuration = BatchSpanProcessor.Configuration()
        configuration.shutdownTimeout = .milliseconds(300)
        let processor = ClockedBatchSpanProcessor(exporter: HangingExporter(), configuration: configuration, clock: clock)
        let tracer = StackTracer(processor: processor)
        for index in 0..<3 { tracer.withSpan("span \(index)") { _ in } }
        async let shutdown: Void = processor.shutdown()
        // The export's timeout is cut to the shutdown deadline; the export timeout (30 s) never passes.
        await clock.waitForSleepers(1)
        clock.advance(by: configuration.shutdownTimeout)
        await shutdown
        #expect(processor.exportedSpans == 0)
        #expect(processor.failedSpans + processor.droppedSpans == 3)
    }

    @Test("Phoenix not running: the OTLP exporter gives up with an error that says what to check", .timeLimit(.minutes(1)))
    func unreachableCollectorFailsClearly() async throws {
        let port = try closedPort()
        let exporter = OTLPHTTPSpanExporter(
            configuration: .init(
                endpoint: URL(string: "http://127.0.0.1:\(port)/v1/traces")!,
                headers: [("authorization", "Bearer sk-secret-value")],
                maxAttempts: 2,
                initialBackoff: .milliseconds(10)
            ),
            encoder: OTLPTraceEncoder(resource: [:])
        )
        let recorder = InMemorySpanRecorder()
        StackTracer(processor: recorder).withSpan("lost") { _ in }
        do {
            try await exporter.export(recorder.spans)
            Issue.record("export to a closed port succeeded")
        } catch let error as TelemetryError {
            let message = error.description
            #expect(message.contains("after 2 attempts"))
            #expect(message.contains("Is the collector (Phoenix) running?"))
            #expect(!message.contains("sk-secret-value"))
        }
    }

    @Test(
        "A bounded flush returns while the collector hangs, keeps the batch queued, skips waiting while the collector fails, and the loop delivers it once it answers",
        .timeLimit(.minutes(1))
    )
    func boundedFlushLosesNothing() async throws {
        let clock = TestClock()
        // The schedule delay (5 s) never elapses on the test clock: only the flush's wake starts the loop.
        let configuration = BatchSpanProcessor.Configuration()
        let exporter = StallingExporter()
        let processor = ClockedBatchSpanProcessor(exporter: exporter, configuration: configuration, clock: clock)
        let tracer = StackTracer(processor: processor)
        tracer.withSpan("during the stall") { _ in }
        async let flush: Void = processor.forceFlush(waitingAtMost: .milliseconds(50))
        await clock.waitForSleepers(1)  // the export's timeout, cut to the flush's limit
        clock.advance(by: .milliseconds(50))
        await flush
        #expect(exporter.calls == 1)
        #expect(processor.failedSpans == 0)
        #expect(processor.droppedSpans == 0)
        // The collector is failing: the next bounded flush does not try (and so does not wait) again.
        // Were it to try, the stalled export would hold it until the time limit: the clock does not move.
        tracer.withSpan("still stalled") { _ in }
        await processor.forceFlush(waitingAtMost: .seconds(3600))
        #expect(exporter.calls == 1)
        exporter.recover()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            await exporter.waitForDelivered(2)
            // The processor counts the delivery (and stops calling the collector failing) once export
            // returns: wait for that too, yielding rather than sleeping.
            while processor.exportedSpans < 2 { await Task.yield() }
            // Delivered by the loop in order, and the bounded flush exports on its own again.
            #expect(exporter.delivered == ["during the stall", "still stalled"])
            tracer.withSpan("after recovery") { _ in }
            await processor.forceFlush(waitingAtMost: .seconds(3600))
            #expect(exporter.delivered.last == "after recovery")
            await processor.shutdown()
            try await group.waitForAll()
        }
        #expect(processor.failedSpans == 0)
        #expect(processor.droppedSpans == 0)
        #expect(processor.exportedSpans == 3)
    }

    @Test(
        "A queue that fills while an export hangs moves its oldest batch to the exporter's keep instead of dropping new spans",
        .timeLimit(.minutes(1))
    )
    func fullQueueSpillsWhileExportHangs() async throws {
        let clock = TestClock()
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = 8
        configuration.maxExportBatchSize = 4
        configuration.scheduleDelay = .seconds(3600)
        let exporter = KeepingHangingExporter()
        let processor = ClockedBatchSpanProcessor(exporter: exporter, configuration: configuration, clock: clock)
        let tracer = StackTracer(processor: processor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            for index in 0..<4 { tracer.withSpan("first-\(index)") { _ in } }
            await exporter.waitForCalls(1)  // the first batch is out, and hangs
            // The fourth reaches the spill threshold (8 - 4) while the export waits.
            for index in 0..<4 { tracer.withSpan("during-\(index)") { _ in } }
            await exporter.waitForKept(4)
            #expect(exporter.kept == (0..<4).map { "during-\($0)" })
            // The schedule and the export's timeout sleep; the timeout passes, the batch in flight is lost.
            await clock.waitForSleepers(2)
            clock.advance(by: configuration.exportTimeout)
            await processor.shutdown()
            try await group.waitForAll()
        }
        #expect(processor.spilledSpans == 4)
        #expect(processor.droppedSpans == 0)
        #expect(processor.failedSpans == 4)
        #expect(processor.exportedSpans == 0)
    }

    @Test("A failing exporter is counted and the application keeps going")
    func failingExporterIsCounted() async throws {
        let processor = BatchSpanProcessor(exporter: FailingExporter())
        let tracer = StackTracer(processor: processor)
        for index in 0..<3 { tracer.withSpan("span \(index)") { _ in } }
        await processor.forceFlush()
        #expect(processor.failedSpans == 3)
        #expect(processor.exportedSpans == 0)
    }
}

/// Finds a loopback port with nothing listening: binds one, then closes it.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

final class CollectingExporter: SpanExporter {
    private let batches = Mutex<[[FinishedSpan]]>([])
    private let spans = AwaitedCount()
    var count: Int { batches.withLock { $0.reduce(0) { $0 + $1.count } } }
    var batchSizes: [Int] { batches.withLock { $0.map(\.count) } }
    var names: [String] { batches.withLock { $0.flatMap { $0.map(\.name) } } }
    /// Returns once `count` spans were exported in all.
    func waitForSpans(_ count: Int) async { await spans.wait(for: count) }
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        batches.withLock { $0.append(spans) }
        self.spans.add(spans.count)
        return .delivered
    }
}

struct HangingExporter: SpanExporter {
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        try await Task.sleep(for: .seconds(3600))
        return .delivered
    }
}

struct FailingExporter: SpanExporter {
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        throw TelemetryError.exportRejected(status: 400, endpoint: "http://collector/v1/traces", body: "bad")
    }
}

/// Hangs until cancelled (a frozen collector) until ``recover()``; then records the names it delivers.
final class StallingExporter: SpanExporter {
    private let state = Mutex((stalled: true, calls: 0, delivered: [String]()))
    private let deliveries = AwaitedCount()
    var calls: Int { state.withLock { $0.calls } }
    var delivered: [String] { state.withLock { $0.delivered } }
    func recover() { state.withLock { $0.stalled = false } }
    /// Returns once `count` spans were delivered in all.
    func waitForDelivered(_ count: Int) async { await deliveries.wait(for: count) }
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        let stalled = state.withLock { state in
            state.calls += 1
            return state.stalled
        }
        if stalled { try await Task.sleep(for: .seconds(3600)) }
        state.withLock { $0.delivered += spans.map(\.name) }
        deliveries.add(spans.count)
        return .delivered
    }
}

/// An exporter with a keep for later (as a spool is) whose exports hang until cancelled; records the
/// names it keeps.
final class KeepingHangingExporter: SpanExporter {
    private let keptNames = Mutex<[String]>([])
    private let calls = AwaitedCount()
    private let keptCount = AwaitedCount()
    var kept: [String] { keptNames.withLock { $0 } }
    var keepsForLater: Bool { true }
    /// Returns once `count` export calls were made.
    func waitForCalls(_ count: Int) async { await calls.wait(for: count) }
    /// Returns once `count` spans were kept in all.
    func waitForKept(_ count: Int) async { await keptCount.wait(for: count) }
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        calls.add(1)
        try await Task.sleep(for: .seconds(3600))
        return .delivered
    }
    func keepForLater(_ spans: [FinishedSpan]) -> Int {
        keptNames.withLock { $0 += spans.map(\.name) }
        keptCount.add(spans.count)
        return spans.count
    }
}
