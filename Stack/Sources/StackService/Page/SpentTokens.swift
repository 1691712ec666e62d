import Foundation
import Synchronization

/// The signed tokens this replica has already accepted for something they allow once (feedback on
/// an answer, its browser timing report), kept until they expire, so a replay gets 409.
///
/// Another replica does not know what this one saw; replayed feedback there updates the same
/// annotation (its id is derived from the token) instead of adding one.
final class SpentTokens: Sendable {
    private let spent = Mutex<[String: Date]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// Marks `use` of a token valid until `expires` as spent; `false` when it already was.
    func spend(_ use: String, expires: Date, now: Date = Date()) -> Bool {
        spent.withLock { spent in
            if let until = spent[use], until >= now { return false }
            if spent.count >= capacity {
                spent = spent.filter { $0.value >= now }
                // Still full of live tokens: forget the ones closest to expiring (they soon stop verifying).
                if spent.count >= capacity, let first = spent.min(by: { $0.value < $1.value })?.key { spent[first] = nil }
            }
            spent[use] = expires
            return true
        }
    }
}
