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
/// `stack_telemetry_spans_spooled_total`, `stack_telemetry_spans_replayed_total`,
/// `stack_telemetry_spool_dropped_spans_total` and `stack_telemetry_spans_rewound_total` (spans the
/// collector had acknowledged and that were spooled again when it stopped answering, part of the spooled
/// count; see ``Configuration/ackWindow``), and the gauge `stack_telemetry_spool_bytes` holds the bytes
/// waiting. Only the export loop and the replay loop touch the spool; ending a span never does.
public final class ExportSpool: Sendable {
    /// Where the spool lives, how large it may grow, and how much acknowledged data is kept to be sent
    /// again if the collector dies before writing it.
    public struct Configuration: Sendable, Hashable {
        /// 256 MiB.
        public static let defaultMaxBytes = 256 * 1024 * 1024
        /// 120 seconds.
        public static let defaultAckWindow = Duration.seconds(120)
        /// 32 MiB.
        public static let defaultAckWindowMaxBytes = 32 * 1024 * 1024

        /// The directory holding the spool (`STACK_SPOOL_DIR`); created when missing.
        public var directory: String
        /// The most bytes of spooled batches kept on disk (`STACK_SPOOL_MAX_BYTES`); beyond it the
        /// oldest batches are dropped and counted.
        public var maxBytes: Int
        /// How long after the collector acknowledged a batch it is still kept in memory
        /// (`STACK_SPOOL_ACK_WINDOW`, seconds; default ``defaultAckWindow``).
        ///
        /// Phoenix answers 200 before it writes spans to its database, so a Phoenix killed at that moment
        /// loses spans that were delivered as far as OTLP can tell. When the collector stops answering
        /// (refused or reset connections, timeouts, HTTP 500, 502, 504 and other 5xx but 503), the batches
        /// it acknowledged within this window go to the spool, oldest first and before the failing batch,
        /// and are sent again once it answers; Phoenix stores each span id once, so spans it had written
        /// already are not doubled. A 4xx, 408, 429 or 503 answer comes from a collector that is up and
        /// still holds its queue, and rewinds nothing. The default covers what Phoenix 20.26 holds on a
        /// 2-core machine (up to 20 000 queued spans, written at 50 to 100 a second; measured in
        /// docs/reliability.md) for the load of the outage check with margin; a longer window costs memory
        /// and, after a kill, the time Phoenix takes to go through duplicates of spans it had written.
        public var ackWindow: Duration
        /// The most bytes of acknowledged batches kept for ``ackWindow`` (`STACK_SPOOL_ACK_WINDOW_BYTES`;
        /// default ``defaultAckWindowMaxBytes``); beyond it the oldest leave the window first. `0` keeps
        /// no window. The window holds the request bodies already encoded, so this is the memory it costs
        /// at most.
        public var ackWindowMaxBytes: Int

        /// A spool in `directory` of at most `maxBytes` bytes, keeping the batches acknowledged within
        /// `ackWindow` (at most `ackWindowMaxBytes` of them) to send again if the collector dies.
        public init(
            directory: String,
            maxBytes: Int = Self.defaultMaxBytes,
            ackWindow: Duration = Self.defaultAckWindow,
            ackWindowMaxBytes: Int = Self.defaultAckWindowMaxBytes
        ) {
            self.directory = directory
            self.maxBytes = max(1, maxBytes)
            self.ackWindow = max(.zero, ackWindow)
            self.ackWindowMaxBytes = max(0, ackWindowMaxBytes)
        }
    }

    /// One batch on disk.
    struct Entry: Sendable, Equatable {
        var sequence: UInt64
        var spanCount: Int
        var bytes: Int
        /// Whether the collector had acknowledged this batch once already (it was rewound from the
        /// acknowledged window); known only to the process that wrote it.
        var rewound = false
    }

    private struct State {
        var entries: [Entry] = []
        var nextSequence: UInt64 = 1
        var totalBytes = 0
        var spooled = 0
        var replayed = 0
        var dropped = 0
        var rewound = 0
    }

    /// Where the spool lives and how large it may grow.
    public let configuration: Configuration
    private let logger: Logger
    /// Where the counts are published; `nil` uses `MetricsSystem`'s at the time of publishing.
    let metricsFactory: (any MetricsFactory)?
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
    /// Spans the collector had acknowledged and that were spooled again when it stopped answering
    /// (see ``Configuration/ackWindow``), since this process opened the spool; part of ``spooledSpans``.
    public var rewoundSpans: Int { state.withLock { $0.rewound } }
    /// Whether nothing waits on disk.
    public var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }

    /// Writes one encoded request to the end of the spool, dropping the oldest batches when it would
    /// not fit. A request larger than the whole bound is dropped itself and counted.
    ///
    /// - Parameter rewound: the collector had acknowledged the request before (it comes from the
    ///   acknowledged window); counted in `stack_telemetry_spans_rewound_total` too.
    /// - Throws: ``ExportSpoolError`` with ``ExportSpoolError/Code/writeFailed`` when the file cannot be written.
    func append(_ payload: [UInt8], spanCount: Int, rewound: Bool = false) throws(ExportSpoolError) {
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
            state.entries.append(Entry(sequence: sequence, spanCount: spanCount, bytes: bytes.count, rewound: rewound))
            state.totalBytes += bytes.count
            state.spooled += spanCount
            if rewound { state.rewound += spanCount }
            return (evicted, false)
        }
        if tooLarge {
            logger.warning(
                "a batch of \(spanCount) spans (\(bytes.count) bytes) is larger than STACK_SPOOL_MAX_BYTES (\(configuration.maxBytes)); it is dropped"
            )
        } else if evicted > 0, warnings.isDue() {
            logger.warning(
                "export spool is full (STACK_SPOOL_MAX_BYTES \(configuration.maxBytes)); dropping the oldest spans",
                metadata: ["spool_dropped_spans_total": "\(droppedSpans)"]
            )
        }
        let factory = metricsFactory ?? MetricsSystem.factory
        if !tooLarge { Counter(label: "stack_telemetry_spans_spooled_total", factory: factory).increment(by: spanCount) }
        if !tooLarge, rewound { Counter(label: "stack_telemetry_spans_rewound_total", factory: factory).increment(by: spanCount) }
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
        let head =
            FileHandle(forReadingAtPath: path).map { handle in
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
