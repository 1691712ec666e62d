import OpenInference
import Synchronization

/// The passages `search_docs` and `fetch_chunk` hand to the model during a piece of work, for judging
/// its answer against them (an experiment's `cites_retrieved_passage` and groundedness evaluations).
///
/// A task-local collector: the tools add to the one ``collecting(_:)`` installed, which child tasks
/// (the agent's parallel tool calls) inherit, so concurrent runs each see only their own passages.
///
/// ```swift
/// let (result, passages) = try await RetrievedPassages.collecting { try await agent.run(goal: question) }
/// ```
public final class RetrievedPassages: Sendable {
    @TaskLocal static var current: RetrievedPassages?

    private let documents = Mutex<[RetrievalDocument]>([])

    private init() {}

    /// Runs `work` and returns its result with the passages the tools returned during it, in order.
    public static func collecting<Result>(
        _ work: () async throws -> Result
    ) async rethrows -> (result: Result, passages: [RetrievalDocument]) {
        let collector = RetrievedPassages()
        let result = try await $current.withValue(collector) { try await work() }
        return (result, collector.documents.withLock { $0 })
    }

    /// Adds `documents` to the collector of the current task, if there is one; a passage already
    /// collected (same id) is kept once.
    static func add(_ documents: [RetrievalDocument]) {
        guard let current, !documents.isEmpty else { return }
        current.documents.withLock { collected in
            for document in documents where document.id == nil || !collected.contains(where: { $0.id == document.id }) {
                collected.append(document)
            }
        }
    }
}
