#if Phoenix
import Logging

/// A prompt kept in Phoenix, for a long-running app: fetched on first use, kept for a time to live, then
/// fetched again; when Phoenix cannot be reached (or the prompt is gone) the last good copy stays in use,
/// and before any copy arrived ``current()`` answers `nil` so the caller uses its built-in prompt.
/// A failed fetch is not repeated before the time to live passes again, so a Phoenix that is down costs
/// one attempt per period, not one per request.
///
/// ```swift
/// let source = PromptSource(reference: PromptReference(name: "support-agent", tag: "production"),
///                           phoenix: phoenix, logger: logger)
/// let system = try await source.current()?.render() ?? Agent.defaultSystemPrompt
/// ```
public actor PromptSource {
    /// Fetches a prompt version; ``PhoenixClient/prompt(named:tag:)`` in production.
    public typealias Fetch = @Sendable (PromptReference) async throws(PhoenixClientError) -> PhoenixPrompt

    /// The prompt this source follows.
    public nonisolated let reference: PromptReference
    /// How long a fetched copy is used before asking Phoenix again (`STACK_PROMPT_TTL`).
    public nonisolated let timeToLive: Duration
    private let fetch: Fetch
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private var copy: PhoenixPrompt?
    private var checkedAt: ContinuousClock.Instant?
    private var inFlight: Task<PhoenixPrompt?, Never>?

    /// A source that fetches `reference` from `phoenix`.
    public init(reference: PromptReference, phoenix: PhoenixClient, timeToLive: Duration = .seconds(60), logger: Logger) {
        self.init(reference: reference, timeToLive: timeToLive, logger: logger) { reference async throws(PhoenixClientError) in
            try await phoenix.prompt(named: reference.name, tag: reference.tag)
        }
    }

    /// A source with its own fetch and clock (tests).
    public init(
        reference: PromptReference,
        timeToLive: Duration,
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        fetch: @escaping Fetch
    ) {
        self.reference = reference
        self.timeToLive = timeToLive
        self.logger = logger
        self.now = now
        self.fetch = fetch
    }

    /// The prompt to use now: the cached copy while it is fresh, else a new fetch, else the last good
    /// copy; `nil` only when no fetch has succeeded yet. Concurrent callers share one fetch.
    public func current() async -> PhoenixPrompt? {
        if let checkedAt, now() < checkedAt.advanced(by: timeToLive) { return copy }
        if let inFlight { return await inFlight.value }
        let task = Task { await self.refresh() }
        inFlight = task
        let prompt = await task.value
        inFlight = nil
        return prompt
    }

    private func refresh() async -> PhoenixPrompt? {
        defer { checkedAt = now() }
        do {
            let fetched = try await fetch(reference)
            if fetched.versionID != copy?.versionID {
                logger.info("using prompt from Phoenix", metadata: ["prompt": "\(reference)", "version": "\(fetched.versionID)"])
            }
            copy = fetched
        } catch {
            logger.warning(
                "could not fetch the prompt from Phoenix; \(copy == nil ? "using the built-in prompt" : "keeping the last good copy")",
                metadata: ["prompt": "\(reference)", "error": "\(error)"]
            )
        }
        return copy
    }
}
#endif  // Phoenix
