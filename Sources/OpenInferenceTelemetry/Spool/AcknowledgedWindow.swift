#if Telemetry
/// The request bodies the collector acknowledged most recently, oldest first, bounded by age and by bytes.
///
/// Phoenix answers 200 to an OTLP request before it has written the spans to its database (they wait
/// in an in-memory queue), so a Phoenix killed at that moment loses spans the exporter counts as
/// delivered. ``SpooledDelivery`` keeps the acknowledged bodies here and, when the collector stops
/// answering, moves them to the spool to be sent again (Phoenix stores a span id once, so what it had
/// written already is a harmless duplicate). The bodies are the arrays the exporter already encoded and
/// sent: keeping one is a reference, not a copy.
///
/// A batch leaves the window when it is older than ``maxAge`` or when newer batches need its bytes
/// under ``maxBytes``; a batch larger than ``maxBytes`` is not kept at all. With either bound zero
/// the window keeps nothing.
struct AcknowledgedWindow: Sendable {
    /// One acknowledged request.
    struct Batch: Sendable {
        var body: [UInt8]
        var spanCount: Int
        var acknowledgedAt: ContinuousClock.Instant
    }

    /// How long after its acknowledgment a batch is still kept.
    let maxAge: Duration
    /// The most body bytes kept.
    let maxBytes: Int
    /// `batches[start...]` is the window: dropping the oldest moves `start`, and the array is compacted
    /// once the dropped part is the larger half, so dropping costs amortised O(1).
    private var batches: [Batch] = []
    private var start = 0
    /// Body bytes in the window.
    private(set) var bytes = 0

    init(maxAge: Duration, maxBytes: Int) {
        self.maxAge = max(.zero, maxAge)
        self.maxBytes = max(0, maxBytes)
    }

    /// Whether the window keeps anything at all.
    var isEnabled: Bool { maxAge > .zero && maxBytes > 0 }

    /// Batches in the window.
    var count: Int { batches.count - start }

    /// Keeps `body`, acknowledged `now`, dropping batches older than ``maxAge`` and then the oldest
    /// until the bytes fit.
    mutating func append(_ body: [UInt8], spanCount: Int, at now: ContinuousClock.Instant) {
        guard isEnabled, body.count <= maxBytes else {
            dropExpired(now: now)
            return
        }
        dropExpired(now: now)
        while bytes + body.count > maxBytes, start < batches.count { dropOldest() }
        batches.append(Batch(body: body, spanCount: spanCount, acknowledgedAt: now))
        bytes += body.count
    }

    /// Empties the window and returns the batches still younger than ``maxAge`` at `now`, oldest first.
    mutating func removeAll(at now: ContinuousClock.Instant) -> [Batch] {
        dropExpired(now: now)
        let kept = Array(batches[start...])
        batches = []
        start = 0
        bytes = 0
        return kept
    }

    private mutating func dropExpired(now: ContinuousClock.Instant) {
        while start < batches.count, batches[start].acknowledgedAt.duration(to: now) > maxAge { dropOldest() }
    }

    private mutating func dropOldest() {
        bytes -= batches[start].body.count
        // Release the body now rather than at the next compaction.
        batches[start].body = []
        start += 1
        if start == batches.count {
            batches.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 64, start * 2 >= batches.count {
            batches.removeFirst(start)
            start = 0
        }
    }
}
#endif  // Telemetry
