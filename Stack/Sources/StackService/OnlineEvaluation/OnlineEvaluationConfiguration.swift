import _OpenInferenceConfiguration

/// Whether `stack serve` evaluates a share of its live answers in the background, and within what bounds
/// (see ``OnlineEvaluator``).
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_ONLINE_EVAL_RATIO` | ``ratio``: the share of answered runs evaluated, 0 to 1, chosen by trace id | `0` (off) |
/// | `STACK_ONLINE_EVAL_CONCURRENCY` | ``concurrency``: runs evaluated at once | `2` |
/// | `STACK_ONLINE_EVAL_QUEUE` | ``queueCapacity``: runs waiting; a run finding it full is skipped and counted | `64` |
/// | `STACK_ONLINE_EVAL_TRACE_WAIT` | ``traceWait``: seconds a run waits for its trace to reach Phoenix | `30` |
/// | `STACK_ONLINE_EVAL_DRAIN` | ``drainTimeout``: seconds graceful shutdown gives the queue | `10` |
public struct OnlineEvaluationConfiguration: Sendable, Hashable {
    /// `STACK_ONLINE_EVAL_RATIO`: 0 turns online evaluation off, 1 evaluates every run.
    public var ratio: Double
    /// `STACK_ONLINE_EVAL_CONCURRENCY`: how many runs are evaluated at once (each makes judge calls).
    public var concurrency: Int
    /// `STACK_ONLINE_EVAL_QUEUE`: how many sampled runs may wait; more are skipped, never waited for.
    public var queueCapacity: Int
    /// `STACK_ONLINE_EVAL_TRACE_WAIT`: how long an evaluation waits for the run's root span to reach
    /// Phoenix (spans are exported in batches) before it gives up, counted as skipped.
    public var traceWait: Duration
    /// `STACK_ONLINE_EVAL_DRAIN`: on graceful shutdown, queued runs are evaluated for this long; then
    /// running evaluations are cancelled and what is left is dropped, counted as skipped.
    public var drainTimeout: Duration

    /// A configuration with the defaults in the table above.
    public init(
        ratio: Double = 0,
        concurrency: Int = 2,
        queueCapacity: Int = 64,
        traceWait: Duration = .seconds(30),
        drainTimeout: Duration = .seconds(10)
    ) {
        self.ratio = ratio
        self.concurrency = concurrency
        self.queueCapacity = queueCapacity
        self.traceWait = traceWait
        self.drainTimeout = drainTimeout
    }

    /// Whether any run is evaluated.
    public var isEnabled: Bool { ratio > 0 }

    /// Reads the variables in the table above.
    static func read(_ reader: ConfigurationReader) throws(ServiceConfigurationError) -> OnlineEvaluationConfiguration {
        var configuration = OnlineEvaluationConfiguration()
        do {
            if let ratio = try reader.ratio("STACK_ONLINE_EVAL_RATIO") { configuration.ratio = ratio }
            if let concurrency = try reader.int("STACK_ONLINE_EVAL_CONCURRENCY", in: 1...64, expected: "a whole number from 1 to 64 such as 2") {
                configuration.concurrency = concurrency
            }
            if let capacity = try reader.int("STACK_ONLINE_EVAL_QUEUE", in: 1...100_000, expected: "a whole number from 1 to 100000 such as 64") {
                configuration.queueCapacity = capacity
            }
            if let wait = try reader.seconds("STACK_ONLINE_EVAL_TRACE_WAIT") { configuration.traceWait = wait }
            if let drain = try reader.seconds("STACK_ONLINE_EVAL_DRAIN") { configuration.drainTimeout = drain }
        } catch {
            throw .invalidValue(variable: error.variable, value: error.value, expected: error.expected)
        }
        return configuration
    }
}
