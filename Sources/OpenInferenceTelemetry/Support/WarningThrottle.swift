#if Telemetry
import Synchronization

/// Lets a warning through at most once per `interval`, so a collector that is down for an hour
/// produces a handful of log lines, not one per attempt.
final class WarningThrottle: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    /// `true` when no warning passed in the last `interval` (and records this one).
    func isDue() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            if let previous = last, previous.duration(to: now) < interval { return false }
            last = now
            return true
        }
    }
}
#endif  // Telemetry
