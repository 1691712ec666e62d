import Foundation
import OpenInferenceTelemetry
import Synchronization
import Testing
import Tracing

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

    @Test("The export loop sends queued spans in batches while the service runs, and flushes on shutdown")
    func loopExportsAndFlushes() async throws {
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxExportBatchSize = 4
        configuration.scheduleDelay = .milliseconds(50)
        let exporter = CollectingExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration)
        let tracer = StackTracer(processor: processor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            for index in 0..<10 { tracer.withSpan("span \(index)") { _ in } }
            while exporter.count < 8 { try await Task.sleep(for: .milliseconds(10)) }
            await processor.shutdown()
            try await group.waitForAll()
        }
        #expect(exporter.count == 10)
        #expect(exporter.batchSizes.allSatisfy { $0 <= 4 })
        tracer.withSpan("after shutdown") { _ in }
        #expect(processor.droppedSpans == 1)
    }

    @Test("A collector that never answers cannot hold shutdown past its deadline", .timeLimit(.minutes(1)))
    func hangingCollectorDoesNotBlockShutdown() async throws {
        var configuration = BatchSpanProcessor.Configuration()
        configuration.shutdownTimeout = .milliseconds(300)
        let processor = BatchSpanProcessor(exporter: HangingExporter(), configuration: configuration)
        let tracer = StackTracer(processor: processor)
        for index in 0..<3 { tracer.withSpan("span \(index)") { _ in } }
        await processor.shutdown()
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
        var configuration = BatchSpanProcessor.Configuration()
        configuration.scheduleDelay = .milliseconds(20)
        let exporter = StallingExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration)
        let tracer = StackTracer(processor: processor)
        tracer.withSpan("during the stall") { _ in }
        await processor.forceFlush(waitingAtMost: .milliseconds(50))
        #expect(exporter.calls == 1)
        #expect(processor.failedSpans == 0)
        #expect(processor.droppedSpans == 0)
        // The collector is failing: the next bounded flush does not try (and so does not wait) again.
        tracer.withSpan("still stalled") { _ in }
        await processor.forceFlush(waitingAtMost: .seconds(3600))
        #expect(exporter.calls == 1)
        exporter.recover()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            while processor.exportedSpans < 2 { try await Task.sleep(for: .milliseconds(10)) }
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
    var count: Int { batches.withLock { $0.reduce(0) { $0 + $1.count } } }
    var batchSizes: [Int] { batches.withLock { $0.map(\.count) } }
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        batches.withLock { $0.append(spans) }
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
    var calls: Int { state.withLock { $0.calls } }
    var delivered: [String] { state.withLock { $0.delivered } }
    func recover() { state.withLock { $0.stalled = false } }
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult {
        let stalled = state.withLock { state in
            state.calls += 1
            return state.stalled
        }
        if stalled { try await Task.sleep(for: .seconds(3600)) }
        state.withLock { $0.delivered += spans.map(\.name) }
        return .delivered
    }
}
