import Foundation
import Synchronization

/// Counts requests per key (a page token, a client address) in fixed one-minute windows and says
/// when a key is over its limit. Memory is bounded: at most ``capacity`` keys are tracked; when
/// full, windows that have ended are dropped first, then the oldest.
///
/// Per replica: behind a load balancer each replica allows the limit, which bounds the total at
/// limit × replicas.
final class PageRateLimiter: Sendable {
    private struct Window {
        var start: Date
        var count: Int
    }

    let capacity: Int
    private let windows = Mutex<[String: Window]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Counts one request for `key` at `now`; returns the seconds to wait when it is over `limit`
    /// requests in its current minute (the request is then not counted), or `nil` to go ahead.
    func admit(_ key: String, limit: Int, now: Date = Date()) -> Int? {
        windows.withLock { windows in
            if var window = windows[key], now.timeIntervalSince(window.start) < 60 {
                guard window.count < limit else {
                    return max(1, Int((60 - now.timeIntervalSince(window.start)).rounded(.up)))
                }
                window.count += 1
                windows[key] = window
                return nil
            }
            if windows.count >= capacity {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 }
                if windows.count >= capacity, let oldest = windows.min(by: { $0.value.start < $1.value.start })?.key {
                    windows[oldest] = nil
                }
            }
            windows[key] = Window(start: now, count: 1)
            return nil
        }
    }
}
