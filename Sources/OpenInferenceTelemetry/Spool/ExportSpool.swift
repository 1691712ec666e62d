#if Telemetry
import CoreMetrics
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded on-disk queue of OTLP export requests that could not be delivered, oldest first.
///
/// Each batch is one file holding the encoded request exactly as the exporter POSTs it (see
/// ``OTLPHTTPSpanExporter``), so the spool does not depend on how spans are encoded. Files are written
/// under a temporary name and renamed, so a process killed mid-write leaves no half record; a file that
/// is truncated or damaged anyway is skipped and deleted with a warning. A process that starts on the
/// directory replays what its predecessor left. One process owns a directory at a time (an advisory
/// lock on `.lock`): give every replica its own.
///
/// When a new batch would take the spool past ``Configuration/maxBytes``, the oldest batches are
/// dropped until it fits, and counted. The counts are swift-metrics counters
/// `stack_telemetry_spans_spooled_total`, `stack_telemetry_spans_replayed_total` and
/// `stack_telemetry_spool_dropped_spans_total`, and the gauge `stack_telemetry_spool_bytes` holds
/// the bytes waiting. Only the export loop and the replay loop touch the spool; ending a span never does.
public final class ExportSpool: Sendable {
    /// Where the spool lives and how large it may grow.
    public struct Configuration: Sendable, Hashable {
        /// 256 MiB.
        public static let defaultMaxBytes = 256 * 1024 * 1024

        /// The directory holding the spool (`STACK_SPOOL_DIR`); created when missing.
        public var directory: String
        /// The most bytes of spooled batches kept on disk (`STACK_SPOOL_MAX_BYTES`); beyond it the
        /// oldest batches are dropped and counted.
        public var maxBytes: Int

        /// A spool in `directory` of at most `maxBytes` bytes.
        public init(directory: String, maxBytes: Int = Self.defaultMaxBytes) {
            self.directory = directory
            self.maxBytes = max(1, maxBytes)
        }
    }

    /// One batch on disk.
    struct Entry: Sendable, Equatable {
        var sequence: UInt64
        var spanCount: Int
        var bytes: Int
    }

    private struct State {
        var entries: [Entry] = []
        var nextSequence: UInt64 = 1
        var totalBytes = 0
        var spooled = 0
        var replayed = 0
        var dropped = 0
    }

    /// Where the spool lives and how large it may grow.
    public let configuration: Configuration
    private let logger: Logger
    private let metricsFactory: (any MetricsFactory)?
    private let warnings = WarningThrottle(interval: .seconds(10))
    private let state: Mutex<State>
    private let lockDescriptor: Int32

    /// Opens (creating when needed) the spool directory, takes its lock and indexes the batches a
    /// previous process left, skipping and deleting damaged ones with a warning.
    ///
    /// - Parameters:
    ///   - configuration: the directory and its bounds.
    ///   - logger: where the spool reports dropped batches and damaged files.
    ///   - metricsFactory: where the counts are published; `nil` uses the one bootstrapped with
    ///     `MetricsSystem` at the time of publishing.
    /// - Throws: ``ExportSpoolError`` when the directory cannot be made or read, or another process holds it.
    public init(configuration: Configuration, logger: Logger, metricsFactory: (any MetricsFactory)? = nil) throws(ExportSpoolError) {
        self.configuration = configuration
        self.logger = logger
        self.metricsFactory = metricsFactory
        let directory = configuration.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ExportSpoolError(.directoryUnusable, directory: directory, underlying: "\(error)")
        }
        let descriptor = open(directory + "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportSpoolError(.directoryUnusable, directory: directory, underlying: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ExportSpoolError(.directoryInUse, directory: directory, underlying: reason)
        }
        self.lockDescriptor = descriptor
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            close(descriptor)
            throw ExportSpoolError(.directoryUnusable, directory: directory, underlying: "\(error)")
        }
        var initial = State()
        for name in names.sorted() {
            if name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
                continue
            }
            guard let sequence = Self.sequence(of: name) else { continue }
            initial.nextSequence = max(initial.nextSequence, sequence + 1)
            let path = directory + "/" + name
            do throws(SpoolRecord.Damage) {
                let entry = try Self.index(path: path, sequence: sequence)
                initial.entries.append(entry)
                initial.totalBytes += entry.bytes
            } catch {
                logger.warning("skipping damaged export spool file \(path): \(error); it is deleted")
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        initial.entries.sort { $0.sequence < $1.sequence }
        self.state = Mutex(initial)
        if !initial.entries.isEmpty {
            logger.info(
                "export spool holds batches from an earlier run; replaying them once the collector answers",
                metadata: ["spool_batches": "\(initial.entries.count)", "spool_spans": "\(initial.entries.reduce(0) { $0 + $1.spanCount })"]
            )
        }
        publishGauge()
    }

    deinit {
        close(lockDescriptor)
    }

    /// Batches waiting on disk.
    public var pendingBatches: Int { state.withLock { $0.entries.count } }
    /// Spans waiting on disk.
    public var pendingSpans: Int { state.withLock { $0.entries.reduce(0) { $0 + $1.spanCount } } }
    /// Bytes of spooled batches on disk.
    public var pendingBytes: Int { state.withLock { $0.totalBytes } }
    /// Spans written to the spool since this process opened it.
    public var spooledSpans: Int { state.withLock { $0.spooled } }
    /// Spans delivered from the spool since this process opened it.
    public var replayedSpans: Int { state.withLock { $0.replayed } }
    /// Spans dropped from the spool: oldest-first past the bound, damaged files, batches the collector refused.
    public var droppedSpans: Int { state.withLock { $0.dropped } }
    /// Whether nothing waits on disk.
    public var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }

    /// Writes one encoded request to the end of the spool, dropping the oldest batches when it would
    /// not fit. A request larger than the whole bound is dropped itself and counted.
    ///
    /// - Throws: ``ExportSpoolError`` with ``ExportSpoolError/Code/writeFailed`` when the file cannot be written.
    func append(_ payload: [UInt8], spanCount: Int) throws(ExportSpoolError) {
        let bytes = SpoolRecord(spanCount: spanCount, payload: payload).encoded()
        let directory = configuration.directory
        let (evicted, tooLarge) = try state.withLock { state throws(ExportSpoolError) -> (Int, Bool) in
            guard bytes.count <= configuration.maxBytes else {
                state.dropped += spanCount
                return (spanCount, true)
            }
            var evicted = 0
            while state.totalBytes + bytes.count > configuration.maxBytes, !state.entries.isEmpty {
                let oldest = state.entries.removeFirst()
                state.totalBytes -= oldest.bytes
                state.dropped += oldest.spanCount
                evicted += oldest.spanCount
                try? FileManager.default.removeItem(atPath: Self.path(directory, oldest.sequence))
            }
            let sequence = state.nextSequence
            state.nextSequence += 1
            let path = Self.path(directory, sequence)
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
                throw ExportSpoolError(.writeFailed, directory: directory, underlying: String(cString: strerror(errno)))
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temporary)
                throw ExportSpoolError(.writeFailed, directory: directory, underlying: reason)
            }
            state.entries.append(Entry(sequence: sequence, spanCount: spanCount, bytes: bytes.count))
            state.totalBytes += bytes.count
            state.spooled += spanCount
            return (evicted, false)
        }
        if tooLarge {
            logger.warning("a batch of \(spanCount) spans (\(bytes.count) bytes) is larger than STACK_SPOOL_MAX_BYTES (\(configuration.maxBytes)); it is dropped")
        } else if evicted > 0, warnings.isDue() {
            logger.warning(
                "export spool is full (STACK_SPOOL_MAX_BYTES \(configuration.maxBytes)); dropping the oldest spans",
                metadata: ["spool_dropped_spans_total": "\(droppedSpans)"]
            )
        }
        let factory = metricsFactory ?? MetricsSystem.factory
        if !tooLarge { Counter(label: "stack_telemetry_spans_spooled_total", factory: factory).increment(by: spanCount) }
        if evicted > 0 { Counter(label: "stack_telemetry_spool_dropped_spans_total", factory: factory).increment(by: evicted) }
        publishGauge()
    }

    /// The oldest batch and its request body, skipping (and deleting, with a warning) damaged files;
    /// `nil` when the spool is empty.
    func oldest() -> (entry: Entry, record: SpoolRecord)? {
        while let entry = state.withLock({ $0.entries.first }) {
            let path = Self.path(configuration.directory, entry.sequence)
            guard let data = FileManager.default.contents(atPath: path) else {
                logger.warning("export spool file \(path) disappeared or cannot be read; skipping it")
                remove(entry, delivered: false)
                continue
            }
            do throws(SpoolRecord.Damage) {
                return (entry, try SpoolRecord.decode(Array(data)))
            } catch {
                logger.warning("skipping damaged export spool file \(path): \(error); it is deleted")
                remove(entry, delivered: false)
            }
        }
        return nil
    }

    /// Takes `entry` off the spool: delivered (counted as replayed) or given up on (counted as dropped).
    func remove(_ entry: Entry, delivered: Bool) {
        let removed = state.withLock { state -> Bool in
            guard let index = state.entries.firstIndex(where: { $0.sequence == entry.sequence }) else { return false }
            state.entries.remove(at: index)
            state.totalBytes -= entry.bytes
            if delivered { state.replayed += entry.spanCount } else { state.dropped += entry.spanCount }
            try? FileManager.default.removeItem(atPath: Self.path(configuration.directory, entry.sequence))
            return true
        }
        guard removed else { return }
        let factory = metricsFactory ?? MetricsSystem.factory
        Counter(label: delivered ? "stack_telemetry_spans_replayed_total" : "stack_telemetry_spool_dropped_spans_total", factory: factory)
            .increment(by: entry.spanCount)
        publishGauge()
    }

    private func publishGauge() {
        Gauge(label: "stack_telemetry_spool_bytes", factory: metricsFactory ?? MetricsSystem.factory).record(pendingBytes)
    }

    static func path(_ directory: String, _ sequence: UInt64) -> String {
        let digits = String(sequence)
        return directory + "/" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits + ".otlp"
    }

    private static func sequence(of name: String) -> UInt64? {
        guard name.hasSuffix(".otlp") else { return nil }
        return UInt64(name.dropLast(5))
    }

    /// Reads only the header of a record file, checking that the file's size matches it.
    private static func index(path: String, sequence: UInt64) throws(SpoolRecord.Damage) -> Entry {
        let head = FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: SpoolRecord.headerSize)) ?? Data()
        } ?? Data()
        let header = try SpoolRecord.header(Array(head))
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size == SpoolRecord.headerSize + header.payloadLength else {
            throw .lengthMismatch(expected: header.payloadLength, actual: size - SpoolRecord.headerSize)
        }
        return Entry(sequence: sequence, spanCount: header.spanCount, bytes: size)
    }
}
#endif  // Telemetry
