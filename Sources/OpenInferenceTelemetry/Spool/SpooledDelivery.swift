#if Telemetry
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
final class SpooledDelivery: Sendable {
    let spool: ExportSpool
    private let sender: OTLPHTTPSender
    private let logger: Logger
    private let backoff: HTTPRetryPolicy
    private let idlePoll: Duration
    private let collectorAnswers = Atomic<Bool>(true)

    /// - Parameters:
    ///   - initialBackoff: the first delay between replay attempts while the collector fails; it doubles
    ///     up to `maxBackoff`.
    ///   - idlePoll: how often an empty spool is looked at again.
    init(
        spool: ExportSpool,
        sender: OTLPHTTPSender,
        logger: Logger,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(5),
        idlePoll: Duration = .seconds(1)
    ) {
        self.spool = spool
        self.sender = sender
        self.logger = logger
        self.backoff = HTTPRetryPolicy(maxAttempts: .max, initialBackoff: initialBackoff, maxBackoff: maxBackoff)
        self.idlePoll = idlePoll
    }

    /// Sends `body`, or spools it when the collector is failing.
    ///
    /// - Returns: ``SpanExportResult/keptForLater(reason:)`` when the batch went to the spool.
    /// - Throws: ``TelemetryError/exportRejected(status:endpoint:body:)`` when the collector refused it
    ///   (retrying would not help, so it is not spooled), ``TelemetryError/spoolFailed(_:)`` when the spool
    ///   could not take it.
    func deliver(_ body: [UInt8], spanCount: Int) async throws(TelemetryError) -> SpanExportResult {
        var reason = "the collector has not answered since an earlier export failed"
        if collectorAnswers.load(ordering: .relaxed) {
            do {
                try await sender.send(body)
                return .delivered
            } catch let error as TelemetryError {
                if error.code == .exportRejected { throw error }
                reason = error.description
            } catch {
                reason = Task.isCancelled ? "the export was cancelled (timeout or shutdown)" : "\(error)"
            }
            collectorAnswers.store(false, ordering: .relaxed)
        }
        try keep(body, spanCount: spanCount)
        return .keptForLater(reason: reason)
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
                do {
                    try await sender.send(record.payload)
                    spool.remove(entry, delivered: true)
                    if failures > 0 {
                        logger.info("the collector answers again; replaying the export spool", metadata: ["spool_spans": "\(spool.pendingSpans)"])
                    }
                    failures = 0
                    collectorAnswers.store(true, ordering: .relaxed)
                } catch let error as TelemetryError {
                    guard error.code == .exportRejected else {
                        failures += 1
                        await pause(after: failures)
                        continue
                    }
                    logger.warning("the collector refused a spooled batch of \(entry.spanCount) spans; it is dropped: \(error)")
                    spool.remove(entry, delivered: false)
                } catch {
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
