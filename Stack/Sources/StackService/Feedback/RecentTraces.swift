import Synchronization

/// The trace ids this server answered most recently (a bounded window), so feedback without a token
/// (an admin's) on a trace whose spans are still on their way to Phoenix is queued rather than refused
/// as unknown. Feedback with a valid token needs no such memory: the token proves the trace.
final class RecentTraces: Sendable {
    private struct Window {
        var members: Set<String> = []
        var order: [String] = []
        var next = 0
    }

    private let capacity: Int
    private let window = Mutex(Window())

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    func insert(_ traceID: String) {
        window.withLock { window in
            guard window.members.insert(traceID).inserted else { return }
            if window.order.count < capacity {
                window.order.append(traceID)
            } else {
                window.members.remove(window.order[window.next])
                window.order[window.next] = traceID
                window.next = (window.next + 1) % capacity
            }
        }
    }

    func contains(_ traceID: String) -> Bool {
        window.withLock { $0.members.contains(traceID) }
    }
}
