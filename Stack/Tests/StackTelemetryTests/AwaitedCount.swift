import Synchronization

/// A count that tests wait on without polling or sleeping. A wait ends early when its task is cancelled
/// (a test past its time limit), so a count that is never reached fails the test rather than hanging it.
final class AwaitedCount: Sendable {
    private struct Waiter {
        let id: Int
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private let state = Mutex((value: 0, nextID: 0, waiters: [Waiter]()))

    func add(_ amount: Int) {
        let ready = state.withLock { state in
            state.value += amount
            let value = state.value
            let ready = state.waiters.filter { $0.count <= value }
            state.waiters.removeAll { $0.count <= value }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Returns once the count reaches `count`, or the task is cancelled.
    func wait(for count: Int) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let reached = state.withLock { state in
                    if state.value >= count || Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    return false
                }
                if reached { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}
