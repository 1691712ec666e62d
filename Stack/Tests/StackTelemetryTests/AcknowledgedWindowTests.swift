import Foundation
import Logging
import StackTestSupport
import Synchronization
import Testing

@testable import OpenInferenceTelemetry

/// The acknowledged window of the spooled exporter: batches a collector acknowledged shortly before it
/// stopped answering are spooled again, because Phoenix answers 200 before it stores spans.
@Suite("Acknowledged window")
struct AcknowledgedWindowTests {
    /// A clock the test moves by hand, for the window's age bound.
    final class ManualClock: Sendable {
        private let base = ContinuousClock.now
        private let offset = Mutex<Duration>(.zero)

        func now() -> ContinuousClock.Instant { base + offset.withLock { $0 } }
        func advance(by duration: Duration) { offset.withLock { $0 += duration } }
    }

    static let encoder = OTLPTraceEncoder(resource: ["service.name": "window-tests"])

    static func spool(_ directory: String, ackWindow: Duration = .seconds(120), ackWindowMaxBytes: Int = 1 << 20) throws -> ExportSpool {
        try ExportSpool(
            configuration: .init(directory: directory, ackWindow: ackWindow, ackWindowMaxBytes: ackWindowMaxBytes),
            logger: SpooledDeliveryTests.logger,
            metricsFactory: ExportSpoolTests.metrics
        )
    }

    static func exporter(_ url: URL, spool: ExportSpool, clock: ManualClock = ManualClock()) -> (OTLPHTTPSpanExporter, SpooledDelivery) {
        let configuration = OTLPHTTPConfiguration(endpoint: url.appendingPathComponent("traces"), requestTimeout: .seconds(5), maxAttempts: 1)
        let delivery = SpooledDelivery(
            spool: spool,
            sender: OTLPHTTPSender(configuration: configuration),
            logger: SpooledDeliveryTests.logger,
            initialBackoff: .milliseconds(10),
            maxBackoff: .milliseconds(50),
            idlePoll: .milliseconds(10),
            now: { clock.now() }
        )
        return (OTLPHTTPSpanExporter(configuration: configuration, encoder: encoder, delivery: delivery), delivery)
    }

    /// The spool's batches in order, as text (span names are plain UTF-8 in the protobuf), without
    /// taking them off.
    static func spooled(_ spool: ExportSpool) -> [String] {
        let directory = spool.configuration.directory
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".otlp") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                let record = try? SpoolRecord.decode(Array(data))
            else { return nil }
            return String(decoding: record.payload, as: UTF8.self)
        }
    }

    /// A collector that answers `replies` once each, one connection per request, so that once stopped it
    /// refuses the next request.
    static func collector(_ replies: [ScriptedHTTPServer.Reply]) async throws -> (ScriptedHTTPServer, URL) {
        let server = ScriptedHTTPServer(replies)
        return (server, try await server.start())
    }

    @Test(
        "Batches acknowledged before the collector went away are spooled again, oldest first and before the failing one, and replayed once a collector answers"
    )
    func acknowledgedBatchesAreRewoundAndReplayed() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rewoundBefore = ExportSpoolTests.counter("stack_telemetry_spans_rewound_total")
        let (first, url) = try await Self.collector([.json("{}"), .json("{}")])
        let spool = try Self.spool(directory)
        let (exporter, delivery) = Self.exporter(url, spool: spool)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("acked-a", 2)) == .delivered)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("acked-b", 3)) == .delivered)
        #expect(delivery.acknowledgedWindowBatches == 2)
        #expect(spool.isEmpty)
        try await first.stop()
        #expect(try await exporter.export(SpooledDeliveryTests.spans("failing-c", 1)).wasKeptForLater)
        #expect(delivery.acknowledgedWindowBatches == 0)
        #expect(delivery.acknowledgedWindowBytes == 0)
        #expect(spool.pendingSpans == 6)
        #expect(spool.rewoundSpans == 5)
        #expect(ExportSpoolTests.counter("stack_telemetry_spans_rewound_total") - rewoundBefore >= 5)
        let order = Self.spooled(spool)
        #expect(order.count == 3)
        #expect(order.first?.contains("acked-a-1") == true)
        #expect(order.dropFirst().first?.contains("acked-b-2") == true)
        #expect(order.last?.contains("failing-c-0") == true)

        // A collector answers again: the replay sends the three oldest first.
        let (second, secondURL) = try await Self.collector([.json("{}"), .json("{}"), .json("{}")])
        let (replaying, replayDelivery) = Self.exporter(secondURL, spool: spool)
        try await SpooledDeliveryTests.replaying(replaying) {
            await SpooledDeliveryTests.eventually { spool.isEmpty }
        }
        #expect(spool.isEmpty)
        let bodies = second.requests.map(\.body)
        #expect(bodies.count == 3)
        #expect(bodies.first?.contains("acked-a-0") == true)
        #expect(bodies.dropFirst().first?.contains("acked-b-0") == true)
        #expect(bodies.last?.contains("failing-c-0") == true)
        // The replayed batch that had never been acknowledged is kept in the window; the two acknowledged
        // for the second time are not, so a collector failing on and off gets each batch at most twice.
        #expect(replayDelivery.acknowledgedWindowBatches == 1)
    }

    @Test("Batches acknowledged longer ago than the window's age are not spooled again")
    func batchesOlderThanTheWindowAreNotRewound() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (collector, url) = try await Self.collector([.json("{}"), .json("{}"), .json("{}")])
        let spool = try Self.spool(directory, ackWindow: .seconds(10))
        let clock = ManualClock()
        let (exporter, delivery) = Self.exporter(url, spool: spool, clock: clock)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("old", 4)) == .delivered)
        clock.advance(by: .seconds(8))
        #expect(try await exporter.export(SpooledDeliveryTests.spans("recent", 2)) == .delivered)
        clock.advance(by: .seconds(3))
        // "old" is 11 s old now, past the 10 s window; "recent" is 3 s old.
        try await collector.stop()
        #expect(try await exporter.export(SpooledDeliveryTests.spans("failing", 1)).wasKeptForLater)
        #expect(spool.rewoundSpans == 2)
        let order = Self.spooled(spool)
        #expect(order.count == 2)
        #expect(order.first?.contains("recent-1") == true)
        #expect(order.last?.contains("failing-0") == true)
        #expect(!order.contains { $0.contains("old-") })
        #expect(delivery.acknowledgedWindowBatches == 0)
    }

    @Test("Beyond the window's bytes the oldest acknowledged batches leave it, and are not spooled again")
    func batchesBeyondTheByteBoundAreNotRewound() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let older = SpooledDeliveryTests.spans("older", 3)
        let newer = SpooledDeliveryTests.spans("newer", 3)
        let sizes = [Self.encoder.encode(older).count, Self.encoder.encode(newer).count]
        // Room for one of the two batches, not both.
        let bound = sizes.max()! + 16
        #expect(sizes.reduce(0, +) > bound)
        let (collector, url) = try await Self.collector([.json("{}"), .json("{}")])
        let spool = try Self.spool(directory, ackWindowMaxBytes: bound)
        let (exporter, delivery) = Self.exporter(url, spool: spool)
        #expect(try await exporter.export(older) == .delivered)
        #expect(try await exporter.export(newer) == .delivered)
        #expect(delivery.acknowledgedWindowBatches == 1)
        #expect(delivery.acknowledgedWindowBytes == sizes[1])
        try await collector.stop()
        #expect(try await exporter.export(SpooledDeliveryTests.spans("failing", 1)).wasKeptForLater)
        let order = Self.spooled(spool)
        #expect(order.count == 2)
        #expect(order.first?.contains("newer-2") == true)
        #expect(!order.contains { $0.contains("older-") })
        #expect(spool.rewoundSpans == 3)
    }

    @Test(
        "Only a collector that may have died rewinds the window: a 500 or 502 does, a 400 rejection, a 429 or Phoenix's 503 (queue full) does not",
        arguments: [(500, true), (502, true), (503, false), (429, false), (400, false)]
    )
    func statusDecidesTheRewind(status: Int, rewinds: Bool) async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (_, url) = try await Self.collector([.json("{}"), .json("{}"), .json(#"{"detail":"no"}"#, status: status)])
        let spool = try Self.spool(directory)
        let (exporter, delivery) = Self.exporter(url, spool: spool)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("acked-a", 2)) == .delivered)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("acked-b", 2)) == .delivered)
        do {
            let result = try await exporter.export(SpooledDeliveryTests.spans("answered", 1))
            #expect(status != 400)
            #expect(result.wasKeptForLater)
        } catch let error as TelemetryError {
            #expect(status == 400)
            #expect(error.code == .exportRejected)
        }
        let order = Self.spooled(spool)
        if rewinds {
            #expect(spool.rewoundSpans == 4)
            #expect(order.count == 3)
            #expect(order.first?.contains("acked-a-1") == true)
            #expect(order.last?.contains("answered-0") == true)
            #expect(delivery.acknowledgedWindowBatches == 0)
        } else {
            #expect(spool.rewoundSpans == 0)
            #expect(order.count == (status == 400 ? 0 : 1))
            #expect(!order.contains { $0.contains("acked-") })
            #expect(delivery.acknowledgedWindowBatches == 2)
        }
    }

    @Test("With STACK_SPOOL_ACK_WINDOW_BYTES=0 nothing acknowledged is kept or spooled again, and without a spool there is no window at all")
    func noWindowWithoutBytesOrSpool() async throws {
        let directory = ExportSpoolTests.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (collector, url) = try await Self.collector([.json("{}")])
        let spool = try Self.spool(directory, ackWindowMaxBytes: 0)
        let (exporter, delivery) = Self.exporter(url, spool: spool)
        #expect(try await exporter.export(SpooledDeliveryTests.spans("acked", 2)) == .delivered)
        #expect(delivery.acknowledgedWindowBatches == 0)
        try await collector.stop()
        #expect(try await exporter.export(SpooledDeliveryTests.spans("failing", 1)).wasKeptForLater)
        #expect(spool.pendingSpans == 1)
        #expect(spool.rewoundSpans == 0)
        // Without a spool the exporter has no spooled delivery, and so no window to keep bodies in.
        let plain = OTLPHTTPSpanExporter(configuration: .init(endpoint: url.appendingPathComponent("traces")), encoder: Self.encoder)
        #expect(plain.spool == nil)
        #expect(!plain.keepsForLater)
    }

    @Test("The window keeps the newest batches in order through many drops, and a batch larger than its bytes is not kept")
    func windowOrderThroughCompaction() {
        let start = ContinuousClock.now
        var window = AcknowledgedWindow(maxAge: .seconds(60), maxBytes: 100)
        for index in 0..<500 {
            window.append([UInt8](repeating: UInt8(index % 256), count: 10), spanCount: index, at: start + .milliseconds(index))
        }
        #expect(window.count == 10)
        #expect(window.bytes == 100)
        window.append([UInt8](repeating: 0, count: 101), spanCount: 1, at: start + .seconds(1))
        #expect(window.count == 10)
        // At 60.495 s after the start the first 5 of the 10 left (acknowledged at 490..494 ms) are over 60 s old.
        let kept = window.removeAll(at: start + .milliseconds(60_495))
        #expect(kept.map(\.spanCount) == Array(495..<500))
        #expect(window.count == 0)
        #expect(window.bytes == 0)
    }
}
