import Synchronization

/// A flag that is set once and read from any task: whether a span has had an error recorded.
final class ErrorMark: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .relaxed) }

    func set() { flag.store(true, ordering: .relaxed) }
}
