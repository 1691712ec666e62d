import CoreMetrics
import Foundation
import StackTestSupport
import Testing
import Tracing

@testable import OpenInferenceTelemetry

/// The OTLP exporter and batch processor against a local collector that misbehaves on cue.
@Suite("Exporter faults against a local collector")
struct ExporterFaultTests {
    /// Handed to the processor directly: every test target shares one process, where another suite
    /// bootstraps swift-metrics.
    static let metrics = OTLPMetricsFactory()

    static func spans(_ count: Int) -> [FinishedSpan] {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        for index in 0..<count { tracer.startSpan("span \(index)", context: .topLevel).end() }
        return recorder.spans
    }

    static func exporter(_ url: URL, attempts: Int, timeout: Duration = .seconds(5)) -> OTLPHTTPSpanExporter {
        OTLPHTTPSpanExporter(
            configuration: .init(
                endpoint: url.appendingPathComponent("traces"),
                requestTimeout: timeout,
                maxAttempts: attempts,
                initialBackoff: .milliseconds(10),
                maxBackoff: .milliseconds(50)
            ),
            encoder: OTLPTraceEncoder(resource: ["service.name": "fault-tests"])
        )
    }

    static func counter(_ name: String) -> Double {
        metrics.snapshot().filter { $0.name == name }.reduce(0) { total, point in
            if case .sum(let value, _) = point.value { return total + value }
            return total
        }
    }

    @Test("A collector answering 503 and 502 gets the batch on a later attempt")
    func retriesServerErrors() async throws {
        let collector = ScriptedHTTPServer([.json(#"{"detail":"down"}"#, status: 503), .json("{}", status: 502), .json("{}")])
        let url = try await collector.start()
        try await Self.exporter(url, attempts: 3).export(Self.spans(3))
        #expect(collector.requests.count == 3)
        #expect(collector.requests.allSatisfy { $0.headers["content-type"] == "application/x-protobuf" })
    }

    @Test("A 400 is not retried: the export fails at once with the collector's message")
    func badRequestIsNotRetried() async throws {
        let collector = ScriptedHTTPServer([.json(#"{"detail":"bad span"}"#, status: 400), .json("{}")])
        let url = try await collector.start()
        await #expect(throws: TelemetryError.self) { try await Self.exporter(url, attempts: 3).export(Self.spans(1)) }
        do {
            try await Self.exporter(url, attempts: 3).export(Self.spans(1))
        } catch {
            Issue.record("the second export should have succeeded: \(error)")
        }
        #expect(collector.requests.count == 2)
    }

    @Test("A slow collector never holds the application: the bounded queue drops and counts, and the counts become metrics")
    func slowCollector() async throws {
        let droppedBefore = Self.counter("stack_telemetry_spans_dropped_total")
        let collector = ScriptedHTTPServer([Reply.json("{}").delayed(by: .seconds(2))], cycle: true)
        let url = try await collector.start()
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = 8
        configuration.maxExportBatchSize = 4
        configuration.scheduleDelay = .milliseconds(10)
        configuration.exportTimeout = .milliseconds(200)
        configuration.shutdownTimeout = .milliseconds(300)
        let processor = BatchSpanProcessor(
            exporter: Self.exporter(url, attempts: 1, timeout: .milliseconds(150)),
            configuration: configuration,
            metricsFactory: Self.metrics
        )
        let tracer = StackTracer(processor: processor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            for index in 0..<200 { tracer.startSpan("span \(index)", context: .topLevel).end() }
            try await Task.sleep(for: .milliseconds(400))
            await processor.shutdown()
            group.cancelAll()
        }
        #expect(processor.droppedSpans > 0)
        #expect(processor.failedSpans > 0)
        #expect(processor.exportedSpans == 0)
        #expect(Self.counter("stack_telemetry_spans_dropped_total") - droppedBefore >= Double(processor.droppedSpans))
    }

    @Test("When the collector comes back, the next batches arrive")
    func recovers() async throws {
        let collector = ScriptedHTTPServer([.json("{}", status: 503), .json("{}", status: 503), .json("{}")], cycle: false)
        let url = try await collector.start()
        let exporter = Self.exporter(url, attempts: 2)
        await #expect(throws: TelemetryError.self) { try await exporter.export(Self.spans(2)) }
        try await exporter.export(Self.spans(2))
        #expect(collector.requests.count == 3)
    }
}

typealias Reply = ScriptedHTTPServer.Reply
