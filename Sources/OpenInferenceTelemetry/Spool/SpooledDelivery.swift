#if Telemetry
import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization
import _OpenInferenceHTTP

/// Sends encoded OTLP trace requests straight to the collector while it answers, and to the
/// ``ExportSpool`` while it does not; ``replay()`` delivers the spool oldest-first once it answers again.
///
/// Each request is tried once: a failed one is retried from the spool rather than held in the export
/// loop, so a hanging collector costs the in-memory queue one request timeout, not the retries of
/// every batch. After a failure, new batches go to the spool without trying the collector, until the
/// replay loop gets an answer; from then on new batches go straight out again while the replay loop
/// drains the backlog beside them, so old spans never hold up new ones. A batch whose request timed
/// out may have reached the collector anyway; replaying it sends the same span ids again, which
/// Phoenix stores once.
///
/// A collector may acknowledge a batch before it has stored it: Phoenix answers 200 and queues the spans
/// in memory. So every acknowledged body (sent directly or replayed) is kept in an
/// ``AcknowledgedWindow`` bounded by ``ExportSpool/Configuration/ackWindow`` and
/// ``ExportSpool/Configuration/ackWindowMaxBytes``. When a send then fails in a way that says the
/// collector may have died (no answer, or a 5xx other than 503), the window's batches go to the spool
/// first, oldest first, then the failing batch, and the replay loop sends them again (counted in
/// `stack_telemetry_spans_rewound_total`; the gauge `stack_telemetry_spool_ack_window_bytes` holds the
/// window's bytes). A rewound batch that the collector acknowledges again is not kept in the window a
/// second time, so a collector that fails on and off receives each batch at most twice.
final class SpooledDelivery: Sendable {
    let spool: ExportSpool
    private let sender: OTLPHTTPSender
    private let logger: Logger
    private let backoff: HTTPRetryPolicy
    private let idlePoll: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let collectorAnswers = Atomic<Bool>(true)
    private let window: Mutex<AcknowledgedWindow>
    /// Counts rewinds, so that a send that was under way during one knows its acknowledgment may come
    /// from the collector that then died.
    private let rewinds = Atomic<Int>(0)

    /// - Parameters:
    ///   - initialBackoff: the first delay between replay attempts while the collector fails; it doubles
    ///     up to `maxBackoff`.
    ///   - idlePoll: how often an empty spool is looked at again.
    ///   - now: the clock that dates acknowledgments for the window's age bound (tests move it by hand).
    init(
        spool: ExportSpool,
        sender: OTLPHTTPSender,
        logger: Logger,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(5),
        idlePoll: Duration = .seconds(1),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.spool = spool
        self.sender = sender
        self.logger = logger
        self.backoff = HTTPRetryPolicy(maxAttempts: .max, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
        self.idlePoll = idlePoll
        self.now = now
        self.window = Mutex(AcknowledgedWindow(maxAge: spool.configuration.ackWindow, maxBytes: spool.configuration.ackWindowMaxBytes))
    }

    /// Bytes of acknowledged batches held in memory to be sent again if the collector dies.
    var acknowledgedWindowBytes: Int { window.withLock { $0.bytes } }
    /// Acknowledged batches held in memory.
    var acknowledgedWindowBatches: Int { window.withLock { $0.count } }

    /// Sends `body`, or spools it when the collector is failing.
    ///
    /// - Returns: ``SpanExportResult/keptForLater(reason:)`` when the batch went to the spool.
    /// - Throws: ``TelemetryError/exportRejected(status:endpoint:body:)`` when the collector refused it
    ///   (retrying would not help, so it is not spooled), ``TelemetryError/spoolFailed(_:)`` when the spool
    ///   could not take it.
    func deliver(_ body: [UInt8], spanCount: Int) async throws(TelemetryError) -> SpanExportResult {
        var reason = "the collector has not answered since an earlier export failed"
        if collectorAnswers.load(ordering: .relaxed) {
            let rewindsBefore = rewinds.load(ordering: .relaxed)
            do {
                try await sender.send(body)
                acknowledged(body, spanCount: spanCount, rewindsBefore: rewindsBefore)
                return .delivered
            } catch let error as TelemetryError {
                if error.code == .exportRejected { throw error }
                reason = error.description
                if Self.collectorMayHaveDied(error) { rewind() }
            } catch {
                reason = Task.isCancelled ? "the export was cancelled (timeout or shutdown)" : "\(error)"
                rewind()
            }
            collectorAnswers.store(false, ordering: .relaxed)
        }
        try keep(body, spanCount: spanCount)
        return .keptForLater(reason: reason)
    }

    /// Whether a failed send says the collector may have lost what it acknowledged: it did not answer
    /// (refused or reset connection, timeout) or answered a 5xx other than 503. A 503 is how Phoenix says
    /// its span queue is full (it is up and keeps the queue), and 408 and 429 also come from a collector
    /// that is up; spooling its acknowledged batches again would only load it with duplicates.
    static func collectorMayHaveDied(_ error: TelemetryError) -> Bool {
        switch error.code {
        case .exportRejected: false
        case .exportFailed: error.status.map { $0 >= 500 && $0 != 503 } ?? true
        default: true
        }
    }

    /// Keeps `body`, which the collector just acknowledged, in the window. When a rewind happened while
    /// it was being sent, the collector that acknowledged it may be the one that died, so it goes to
    /// the spool at once instead.
    private func acknowledged(_ body: [UInt8], spanCount: Int, rewindsBefore: Int) {
        guard rewinds.load(ordering: .relaxed) == rewindsBefore else {
            do {
                try spool.append(body, spanCount: spanCount, rewound: true)
            } catch {
                logger.warning("could not spool again a batch of \(spanCount) spans the collector acknowledged just before it failed: \(error)")
            }
            return
        }
        let bytes = window.withLock { window -> Int? in
            guard window.isEnabled else { return nil }
            window.append(body, spanCount: spanCount, at: now())
            return window.bytes
        }
        if let bytes { publishWindow(bytes) }
    }

    /// Moves the window's batches to the spool, oldest first: the collector stopped answering, and may
    /// have died with spans it had acknowledged but not stored.
    private func rewind() {
        let batches = window.withLock { window in
            rewinds.add(1, ordering: .relaxed)
            return window.removeAll(at: now())
        }
        guard !batches.isEmpty else { return }
        var spans = 0
        for (index, batch) in batches.enumerated() {
            do {
                try spool.append(batch.body, spanCount: batch.spanCount, rewound: true)
                spans += batch.spanCount
            } catch {
                let left = batches[index...].reduce(0) { $0 + $1.spanCount }
                logger.warning(
                    "could not spool again \(left) spans the collector had acknowledged before it failed; if it lost them, they are lost: \(error)")
                break
            }
        }
        publishWindow(0)
        logger.info(
            "the collector stopped answering; spans it acknowledged in the last \(spool.configuration.ackWindow.readable) are spooled to be sent again",
            metadata: ["rewound_spans": "\(spans)", "rewound_batches": "\(batches.count)"]
        )
    }

    private func publishWindow(_ bytes: Int) {
        Gauge(label: "stack_telemetry_spool_ack_window_bytes", factory: spool.metricsFactory ?? MetricsSystem.factory).record(bytes)
    }

    /// Writes `body` to the spool without trying the collector (what shutdown could not send).
    func keep(_ body: [UInt8], spanCount: Int) throws(TelemetryError) {
        do {
            try spool.append(body, spanCount: spanCount)
        } catch {
            throw .spoolFailed(error)
        }
    }

    /// Delivers spooled batches oldest-first until graceful shutdown or cancellation, backing off while
    /// the collector fails. What is left stays on disk for the next process.
    func replay() async {
        await cancelWhenGracefulShutdown { [self] in
            var failures = 0
            while !Task.isCancelled {
                guard let (entry, record) = spool.oldest() else {
                    // Nothing waits, so the next new batch may as well try the collector itself.
                    collectorAnswers.store(true, ordering: .relaxed)
                    try? await Task.sleep(for: idlePoll)
                    continue
                }
                let rewindsBefore = rewinds.load(ordering: .relaxed)
                do {
                    try await sender.send(record.payload)
                    spool.remove(entry, delivered: true)
                    // A rewound batch is acknowledged for the second time: keeping it again could send it a
                    // third time to a collector that fails on and off.
                    if !entry.rewound { acknowledged(record.payload, spanCount: entry.spanCount, rewindsBefore: rewindsBefore) }
                    if failures > 0 {
                        logger.info("the collector answers again; replaying the export spool", metadata: ["spool_spans": "\(spool.pendingSpans)"])
                    }
                    failures = 0
                    collectorAnswers.store(true, ordering: .relaxed)
                } catch let error as TelemetryError {
                    guard error.code == .exportRejected else {
                        if Self.collectorMayHaveDied(error) { rewind() }
                        failures += 1
                        await pause(after: failures)
                        continue
                    }
                    logger.warning("the collector refused a spooled batch of \(entry.spanCount) spans; it is dropped: \(error)")
                    spool.remove(entry, delivered: false)
                } catch {
                    if !Task.isCancelled { rewind() }
                    failures += 1
                    await pause(after: failures)
                }
            }
        }
    }

    private func pause(after failures: Int) async {
        collectorAnswers.store(false, ordering: .relaxed)
        try? await Task.sleep(for: backoff.delay(afterAttempt: failures, retryAfter: nil))
    }
}
#endif  // Telemetry
