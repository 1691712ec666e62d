#if Telemetry
/// What ``TailSamplingProcessor`` keeps and how much it may hold while deciding.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_TAIL_SAMPLING` | `true` turns tail sampling on | off |
/// | `STACK_TAIL_SAMPLING_RATIO` | ``ratio`` | 0.01 |
/// | `STACK_TAIL_SAMPLING_LATENCY_MS` | ``latencyThreshold`` | 10000 |
/// | `STACK_TAIL_SAMPLING_DECISION_WAIT_MS` | ``decisionWait`` | 30000 |
/// | `STACK_TAIL_SAMPLING_MAX_TRACES` | ``maxPendingTraces`` | 10000 |
/// | `STACK_TAIL_SAMPLING_MAX_SPANS` | ``maxPendingSpans`` | 100000 |
public struct TailSamplingConfiguration: Sendable, Hashable {
    /// The fraction of ordinary traces kept (by trace id, so every process keeps the same ones).
    public var ratio: Double
    /// A trace whose root lasted at least this long is kept.
    public var latencyThreshold: Duration
    /// A trace whose root has not ended after this long is decided with the spans it has.
    public var decisionWait: Duration
    /// Traces held at once; spans of further traces are decided alone, by ratio or their own error.
    public var maxPendingTraces: Int
    /// Spans held at once, over all pending traces.
    public var maxPendingSpans: Int

    /// The defaults in the table above, or the values given.
    public init(
        ratio: Double = 0.01,
        latencyThreshold: Duration = .seconds(10),
        decisionWait: Duration = .seconds(30),
        maxPendingTraces: Int = 10_000,
        maxPendingSpans: Int = 100_000
    ) {
        self.ratio = ratio
        self.latencyThreshold = latencyThreshold
        self.decisionWait = decisionWait
        self.maxPendingTraces = max(1, maxPendingTraces)
        self.maxPendingSpans = max(1, maxPendingSpans)
    }

    public static let `default` = TailSamplingConfiguration()
}
#endif  // Telemetry
