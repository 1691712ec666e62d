import Foundation
import Logging
import StackTestSupport
import Testing

@testable import OpenInferenceTelemetry

/// The durable export spool on its own: files, bound, order, damage and restarts.
@Suite("Export spool")
struct ExportSpoolTests {
    static let metrics = OTLPMetricsFactory()

    static func directory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stack-spool-\(UUID().uuidString)").path
        return path
    }

    static func open(_ directory: String, maxBytes: Int = ExportSpool.Configuration.defaultMaxBytes) throws(ExportSpoolError) -> ExportSpool {
        try ExportSpool(configuration: .init(directory: directory, maxBytes: maxBytes), logger: Logger(label: "spool-tests"), metricsFactory: metrics)
    }

    static func payload(_ label: String, size: Int = 100) -> [UInt8] {
        Array(label.utf8) + [UInt8](repeating: 0x2A, count: max(0, size - label.utf8.count))
    }

    static func counter(_ name: String) -> Double {
        metrics.snapshot().filter { $0.name == name }.reduce(0) { total, point in
            if case .sum(let value, _) = point.value { return total + value }
            return total
        }
    }

    /// Reads every batch off `spool` in order, as the replay loop does, counting them delivered.
    static func drain(_ spool: ExportSpool) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        while let (entry, record) = spool.oldest() {
            payloads.append(record.payload)
            spool.remove(entry, delivered: true)
        }
        return payloads
    }

    @Test("A record round-trips and its checksum is CRC-32")
    func recordRoundTrip() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        let record = SpoolRecord(spanCount: 7, payload: Self.payload("x", size: 300))
        #expect(try SpoolRecord.decode(record.encoded()) == record)
    }

    @Test("Batches left by a previous process are replayed by the next, oldest first, byte for byte")
    func restartReplaysInOrder() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let first = try Self.open(directory)
            for index in 0..<5 { try first.append(Self.payload("batch \(index)"), spanCount: index + 1) }
            #expect(first.pendingBatches == 5)
            #expect(first.spooledSpans == 15)
        }
        let second = try Self.open(directory)
        #expect(second.pendingBatches == 5)
        #expect(second.pendingSpans == 15)
        try second.append(Self.payload("batch 5"), spanCount: 6)
        #expect(Self.drain(second) == (0..<6).map { Self.payload("batch \($0)") })
        #expect(second.replayedSpans == 21)
        #expect(second.isEmpty)
        #expect(second.pendingBytes == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".otlp") }
        #expect(left.isEmpty)
    }

    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case truncated, flippedByte, empty, garbage, shorterThanHeader
        var testDescription: String { rawValue }

        func apply(to path: String) throws {
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            switch self {
            case .truncated: bytes.removeLast(10)
            case .flippedByte: bytes[bytes.count - 3] ^= 0xFF
            case .empty: bytes = []
            case .garbage: bytes = Array("not a spool file at all, just text".utf8)
            case .shorterThanHeader: bytes = Array(bytes.prefix(12))
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test("A damaged spool file found at start is skipped and deleted; the others still replay", arguments: Damage.allCases)
    func damagedAtStart(damage: Damage) throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let spool = try Self.open(directory)
            for index in 0..<3 { try spool.append(Self.payload("batch \(index)"), spanCount: 2) }
        }
        try damage.apply(to: ExportSpool.path(directory, 2))
        let reopened = try Self.open(directory)
        #expect(Self.drain(reopened) == [Self.payload("batch 0"), Self.payload("batch 2")])
        #expect(!FileManager.default.fileExists(atPath: ExportSpool.path(directory, 2)))
    }

    @Test("A file damaged while the spool is open is skipped when its turn comes, and counted as dropped", arguments: Damage.allCases)
    func damagedWhileOpen(damage: Damage) throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try Self.open(directory)
        for index in 0..<3 { try spool.append(Self.payload("batch \(index)"), spanCount: 2) }
        try damage.apply(to: ExportSpool.path(directory, 1))
        #expect(Self.drain(spool) == [Self.payload("batch 1"), Self.payload("batch 2")])
        #expect(spool.droppedSpans == 2)
        #expect(spool.replayedSpans == 4)
    }

    @Test("Leftover temporary files from a write cut short are removed, not replayed")
    func temporaryFilesAreRemoved() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = ExportSpool.path(directory, 9) + ".tmp"
        try Data("half".utf8).write(to: URL(fileURLWithPath: temporary))
        let spool = try Self.open(directory)
        #expect(spool.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: temporary))
        try spool.append(Self.payload("after"), spanCount: 1)
        #expect(Self.drain(spool) == [Self.payload("after")])
    }

    @Test("A full spool drops the oldest batches to make room, and counts their spans")
    func boundDropsOldestFirst() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let droppedBefore = Self.counter("stack_telemetry_spool_dropped_spans_total")
        let record = SpoolRecord.headerSize + 100
        let spool = try Self.open(directory, maxBytes: 3 * record)
        for index in 0..<5 { try spool.append(Self.payload("batch \(index)"), spanCount: 10) }
        #expect(spool.pendingBytes <= 3 * record)
        #expect(spool.droppedSpans == 20)
        #expect(Self.counter("stack_telemetry_spool_dropped_spans_total") - droppedBefore >= 20)
        try spool.append(Self.payload("too large", size: 4 * record), spanCount: 3)
        #expect(spool.droppedSpans == 23)
        #expect(Self.drain(spool) == (2..<5).map { Self.payload("batch \($0)") })
    }

    @Test("Two processes cannot share a spool directory: the second is told to use its own")
    func directoryIsLocked() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.open(directory)
        do {
            _ = try Self.open(directory)
            Issue.record("a second spool on the same directory should be refused")
        } catch {
            #expect(error.code == .directoryInUse)
            #expect(error.description.contains("its own STACK_SPOOL_DIR"))
        }
        withExtendedLifetime(first) {}
    }

    @Test("A spool directory that cannot be created is a clear error")
    func unusableDirectory() throws {
        let file = Self.directory()
        try Data("a file".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try Self.open(file + "/spool")
            Issue.record("opening a spool under a regular file should fail")
        } catch {
            #expect(error.code == .directoryUnusable)
            #expect(error.description.contains("STACK_SPOOL_DIR"))
        }
    }

    @Test("STACK_SPOOL_DIR and STACK_SPOOL_MAX_BYTES configure the spool; a bad size keeps the default and says so")
    func configuration() {
        let set = TelemetryConfiguration.fromEnvironment(["STACK_SPOOL_DIR": "/tmp/s", "STACK_SPOOL_MAX_BYTES": "1048576"])
        #expect(set.spool == ExportSpool.Configuration(directory: "/tmp/s", maxBytes: 1_048_576))
        let bad = TelemetryConfiguration.fromEnvironment(["STACK_SPOOL_DIR": "/tmp/s", "STACK_SPOOL_MAX_BYTES": "lots"])
        #expect(bad.spool?.maxBytes == ExportSpool.Configuration.defaultMaxBytes)
        #expect(bad.diagnostics.contains { $0.contains("STACK_SPOOL_MAX_BYTES") })
        #expect(TelemetryConfiguration.fromEnvironment([:]).spool == nil)
    }

    @Test("STACK_SPOOL_ACK_WINDOW and STACK_SPOOL_ACK_WINDOW_BYTES bound the acknowledged window; 0 bytes keeps none, bad values keep the defaults")
    func ackWindowConfiguration() {
        let defaults = TelemetryConfiguration.fromEnvironment(["STACK_SPOOL_DIR": "/tmp/s"]).spool
        #expect(defaults?.ackWindow == ExportSpool.Configuration.defaultAckWindow)
        #expect(defaults?.ackWindowMaxBytes == ExportSpool.Configuration.defaultAckWindowMaxBytes)
        let set = TelemetryConfiguration.fromEnvironment([
            "STACK_SPOOL_DIR": "/tmp/s", "STACK_SPOOL_ACK_WINDOW": "2.5", "STACK_SPOOL_ACK_WINDOW_BYTES": "0",
        ])
        #expect(set.spool?.ackWindow == .milliseconds(2500))
        #expect(set.spool?.ackWindowMaxBytes == 0)
        #expect(set.diagnostics.isEmpty)
        let bad = TelemetryConfiguration.fromEnvironment([
            "STACK_SPOOL_DIR": "/tmp/s", "STACK_SPOOL_ACK_WINDOW": "-1", "STACK_SPOOL_ACK_WINDOW_BYTES": "much",
        ])
        #expect(bad.spool?.ackWindow == ExportSpool.Configuration.defaultAckWindow)
        #expect(bad.spool?.ackWindowMaxBytes == ExportSpool.Configuration.defaultAckWindowMaxBytes)
        #expect(bad.diagnostics.contains { $0.contains("STACK_SPOOL_ACK_WINDOW=-1") })
        #expect(bad.diagnostics.contains { $0.contains("STACK_SPOOL_ACK_WINDOW_BYTES=much") })
        let withoutSpool = TelemetryConfiguration.fromEnvironment(["STACK_SPOOL_ACK_WINDOW": "30"])
        #expect(withoutSpool.spool == nil)
        #expect(withoutSpool.diagnostics.contains { $0.contains("STACK_SPOOL_ACK_WINDOW is set but STACK_SPOOL_DIR is not") })
    }
}
