import Synchronization

/// A clock that moves only when a test advances it, and whose sleepers wake only then: the batch
/// processor's schedule, export timeouts and deadlines run on it without the test sleeping.
///
/// Unlike `ManualClock` (whose `sleep` returns at once, enough for code that only reads the time), a
/// sleep here waits until ``advance(by:)`` reaches its deadline, or until its task is cancelled.
final class TestClock: Clock, Sendable {
    /// A point on the test clock: how far it has been advanced.
    struct Instant: InstantProtocol, Hashable, Sendable {
        /// Time advanced since the clock was made.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state = Mutex(State())
    /// How many tasks are asleep, for ``waitForSleepers(_:)``; changed under `state`'s lock together
    /// with `sleepers`, so it never counts a sleeper that has been woken.
    private let asleep = AwaitedCount()

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are asleep on the clock.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Waits until `deadline` is reached by ``advance(by:)``; throws `CancellationError` when the task is
    /// cancelled first.
    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Registration {
                    case asleep, due, cancelled
                }
                let registration = state.withLock { state -> Registration in
                    // Checked under the lock the cancellation handler takes, so a cancellation either
                    // finds this sleeper registered or is seen here.
                    if Task.isCancelled { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    asleep.add(1)
                    return .asleep
                }
                switch registration {
                case .asleep:
                    break
                case .due:
                    continuation.resume()
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                asleep.add(-1)
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes the sleepers whose deadline it reaches.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            asleep.add(-due.count)
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once at least `count` tasks are asleep on the clock, without polling; or early when the
    /// task is cancelled (a test past its time limit), so that a sleep that never comes fails the test
    /// rather than hanging it.
    func waitForSleepers(_ count: Int) async {
        await asleep.wait(for: count)
    }
}
