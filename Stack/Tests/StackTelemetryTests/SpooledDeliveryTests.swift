import Foundation
import Logging
import StackTestSupport
import Testing

@testable import OpenInferenceTelemetry

/// The OTLP exporter with a spool against a local collector that fails on cue.
@Suite("Spooled export")
struct SpooledDeliveryTests {
    static let logger = Logger(label: "spooled-export-tests")

    static func spans(_ label: String, _ count: Int) -> [FinishedSpan] {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        for index in 0..<count { tracer.startSpan("\(label)-\(index)", context: .topLevel).end() }
        return recorder.spans
    }

    static func exporter(_ url: URL, spool: ExportSpool, requestTimeout: Duration = .seconds(5)) -> OTLPHTTPSpanExporter {
        let configuration = OTLPHTTPConfiguration(endpoint: url.appendingPathComponent("traces"), requestTimeout: requestTimeout, maxAttempts: 1)
        let delivery = SpooledDelivery(
            spool: spool,
            sender: OTLPHTTPSender(configuration: configuration),
            logger: logger,
            initialBackoff: .milliseconds(10),
            maxBackoff: .milliseconds(50),
            idlePoll: .milliseconds(10)
        )
        return OTLPHTTPSpanExporter(
            configuration: configuration, encoder: OTLPTraceEncoder(resource: ["service.name": "spool-tests"]), delivery: delivery)
    }

    /// Waits (at most 20 s) for `condition`, for the replay loop running beside the test.
    static func eventually(_ condition: () -> Bool) async {
        for _ in 0..<2000 where !condition() {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs the exporter's replay loop while `body` runs.
    static func replaying(_ exporter: OTLPHTTPSpanExporter, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await exporter.replaySpool() }
            try await body()
            group.cancelAll()
        }
    }

    @Test("Batches the collector cannot take are spooled, then replayed oldest first once it answers")
    func spoolsAndReplaysInOrder() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let replayedBefore = ExportSpoolTests.counter("stack_telemetry_spans_replayed_total")
        let spooledBefore = ExportSpoolTests.counter("stack_telemetry_spans_spooled_total")
        let collector = ScriptedHTTPServer([.json("{}", status: 503), .json("{}"), .json("{}"), .json("{}")])
        let url = try await collector.start()
        let spool = try ExportSpoolTests.open(directory)
        let exporter = Self.exporter(url, spool: spool)
        // The 503 sends the first batch to the spool; the collector failed a moment ago, so the second
        // goes there without being tried.
        #expect(try await exporter.export(Self.spans("first", 3)).wasKeptForLater)
        #expect(try await exporter.export(Self.spans("second", 2)).wasKeptForLater)
        // The second batch went to disk without bothering the failing collector.
        #expect(collector.requests.count == 1)
        #expect(spool.pendingSpans == 5)
        #expect(ExportSpoolTests.counter("stack_telemetry_spans_spooled_total") - spooledBefore >= 5)
        try await Self.replaying(exporter) {
            await Self.eventually { spool.isEmpty }
        }
        #expect(spool.isEmpty)
        #expect(spool.replayedSpans == 5)
        #expect(ExportSpoolTests.counter("stack_telemetry_spans_replayed_total") - replayedBefore >= 5)
        let bodies = collector.requests.map(\.body)
        #expect(bodies.count == 3)
        #expect(bodies.dropFirst().first?.contains("first-2") == true)
        #expect(bodies.last?.contains("second-1") == true)
        // The collector answers again, so new batches go straight out.
        #expect(try await exporter.export(Self.spans("third", 1)) == .delivered)
        #expect(collector.requests.count == 4)
    }

    @Test("A batch the collector refuses (400) fails at once and is not spooled: retrying would not help")
    func refusedBatchIsNotSpooled() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let collector = ScriptedHTTPServer([.json(#"{"detail":"bad span"}"#, status: 400)])
        let url = try await collector.start()
        let spool = try ExportSpoolTests.open(directory)
        do {
            try await Self.exporter(url, spool: spool).export(Self.spans("refused", 2))
            Issue.record("a 400 should fail the export")
        } catch let error as TelemetryError {
            #expect(error.code == .exportRejected)
            #expect(error.status == 400)
        }
        #expect(spool.isEmpty)
    }

    @Test("A process killed during an outage leaves its spool, and the next one delivers it")
    func nextProcessDeliversTheSpool() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let down = ScriptedHTTPServer([])
        let downURL = try await down.start()
        try await down.stop()
        do {
            let spool = try ExportSpoolTests.open(directory)
            let exporter = Self.exporter(downURL, spool: spool)
            for batch in 0..<3 {
                #expect(try await exporter.export(Self.spans("outage\(batch)", 4)).wasKeptForLater)
            }
            #expect(spool.pendingSpans == 12)
        }
        let collector = ScriptedHTTPServer([.json("{}")], cycle: true)
        let url = try await collector.start()
        let spool = try ExportSpoolTests.open(directory)
        #expect(spool.pendingSpans == 12)
        try await Self.replaying(Self.exporter(url, spool: spool)) {
            await Self.eventually { spool.isEmpty }
        }
        #expect(spool.replayedSpans == 12)
        let bodies = collector.requests.map(\.body)
        #expect(bodies.count == 3)
        for (index, body) in bodies.enumerated() { #expect(body.contains("outage\(index)-3")) }
    }

    @Test("On shutdown, spans a hanging collector could not take go to the spool instead of being lost")
    func shutdownKeepsQueuedSpans() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let collector = ScriptedHTTPServer([Reply.json("{}").delayed(by: .seconds(30))], cycle: true)
        let url = try await collector.start()
        let spool = try ExportSpoolTests.open(directory)
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxExportBatchSize = 8
        configuration.scheduleDelay = .seconds(60)
        configuration.exportTimeout = .seconds(30)
        configuration.shutdownTimeout = .milliseconds(300)
        let processor = BatchSpanProcessor(
            exporter: Self.exporter(url, spool: spool),
            configuration: configuration,
            logger: Self.logger,
            metricsFactory: ExportSpoolTests.metrics
        )
        let tracer = StackTracer(processor: processor)
        for index in 0..<20 { tracer.startSpan("queued-\(index)", context: .topLevel).end() }
        await processor.shutdown()
        #expect(spool.pendingSpans == 20)
        #expect(processor.droppedSpans == 0)
        #expect(processor.failedSpans == 0)
    }

    @Test("A queue that fills while the collector hangs moves its oldest spans to the spool instead of dropping new ones", .timeLimit(.minutes(1)))
    func fullQueueSpillsWhileExportHangs() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let collector = ScriptedHTTPServer([Reply.json("{}").delayed(by: .seconds(30))], cycle: true)
        let url = try await collector.start()
        let spool = try ExportSpoolTests.open(directory)
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = 16
        configuration.maxExportBatchSize = 4
        configuration.scheduleDelay = .milliseconds(20)
        configuration.exportTimeout = .seconds(2)
        configuration.shutdownTimeout = .milliseconds(300)
        let processor = BatchSpanProcessor(
            exporter: Self.exporter(url, spool: spool, requestTimeout: .seconds(30)),
            configuration: configuration,
            logger: Self.logger,
            metricsFactory: ExportSpoolTests.metrics
        )
        let tracer = StackTracer(processor: processor)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await processor.run() }
            // The first batch goes out and hangs: the collector holds its answer for 30 s.
            for index in 0..<4 { tracer.startSpan("first-\(index)", context: .topLevel).end() }
            await Self.eventually { collector.requests.count >= 1 }
            // Forty more while the 16-span queue cannot drain through the collector. Each waits until the
            // queue has room again, which only the spill can make: without it the test times out.
            for index in 0..<40 {
                tracer.startSpan("during-\(index)", context: .topLevel).end()
                await Self.eventually { index + 1 - processor.spilledSpans < configuration.maxQueueSize }
            }
            #expect(processor.droppedSpans == 0)
            #expect(processor.spilledSpans >= 40 - configuration.maxQueueSize)
            await processor.shutdown()
            group.cancelAll()
        }
        // Spilled, timed out in flight, or left at shutdown: every span waits in the spool.
        #expect(spool.pendingSpans == 44)
        #expect(processor.droppedSpans == 0)
        #expect(processor.failedSpans == 0)
    }

    @Test("Without a spool, shutdown's leftovers are dropped and counted as before")
    func shutdownWithoutSpoolDrops() async throws {
        let collector = ScriptedHTTPServer([Reply.json("{}").delayed(by: .seconds(30))], cycle: true)
        let url = try await collector.start()
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxExportBatchSize = 8
        configuration.scheduleDelay = .seconds(60)
        configuration.shutdownTimeout = .milliseconds(200)
        let exporter = OTLPHTTPSpanExporter(
            configuration: .init(endpoint: url.appendingPathComponent("traces"), requestTimeout: .seconds(5), maxAttempts: 1),
            encoder: OTLPTraceEncoder(resource: [:])
        )
        let processor = BatchSpanProcessor(
            exporter: exporter, configuration: configuration, logger: Self.logger, metricsFactory: ExportSpoolTests.metrics)
        let tracer = StackTracer(processor: processor)
        for index in 0..<20 { tracer.startSpan("queued-\(index)", context: .topLevel).end() }
        await processor.shutdown()
        #expect(processor.droppedSpans == 12)
        #expect(processor.failedSpans == 8)
    }
}
