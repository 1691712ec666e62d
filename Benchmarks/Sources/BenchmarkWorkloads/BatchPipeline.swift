import OpenInferenceTelemetry
import Synchronization

/// Accepts and forgets every batch.
public struct DiscardingExporter: SpanExporter {
    public init() {}

    public func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult { .delivered }
}

/// Our tracer over a batch processor that drains into ``DiscardingExporter`` on a task of its own, as
/// an application's pipeline runs (a batch every 5 ms, at most 512 spans, 65 536 queued; Python's
/// script is set up alike). Started in a benchmark's setup and stopped in its teardown.
public final class BatchPipeline: Sendable {
    public let tracer: StackTracer
    public let processor: BatchSpanProcessor
    private let loop = Mutex<Task<Void, any Error>?>(nil)

    public init() {
        var configuration = BatchSpanProcessor.Configuration()
        configuration.scheduleDelay = .milliseconds(5)
        configuration.maxQueueSize = 1 << 16
        configuration.maxExportBatchSize = 512
        processor = BatchSpanProcessor(exporter: DiscardingExporter(), configuration: configuration)
        tracer = StackTracer(processor: processor)
    }

    public func start() {
        let processor = processor
        loop.withLock { $0 = Task { try await processor.run() } }
    }

    public func stop() async throws {
        await processor.shutdown()
        try await loop.withLock { $0 }?.value
    }
}
