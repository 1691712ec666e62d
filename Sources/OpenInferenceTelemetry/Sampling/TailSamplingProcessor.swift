#if Telemetry
import Synchronization
import Tracing
import W3CTraceContext

/// Decides which traces to keep after they end: it holds a trace's spans until its local root ends,
/// then keeps the trace when any span failed (status ERROR), when the root lasted at least
/// ``TailSamplingConfiguration/latencyThreshold``, when the trace came from upstream already sampled
/// (its root has a remote parent), or by trace-id ratio otherwise. Kept spans go to `downstream`
/// (usually a ``BatchSpanProcessor``); the others are dropped and counted.
///
/// Head sampling decides before anything has happened; this makes "errors and slow requests are
/// always traced" true at a 1 % sampling rate. Run it behind `ParentBased(AlwaysOn)` head sampling
/// (the default), so every local trace is recorded and an upstream "not sampled" is respected.
///
/// Memory is bounded: at most ``TailSamplingConfiguration/maxPendingTraces`` traces and
/// ``TailSamplingConfiguration/maxPendingSpans`` spans wait at once. A span that finds no room is
/// decided alone (its own error, or the ratio) and counted in ``Statistics/overflowedSpans``. A trace whose
/// root does not end within ``TailSamplingConfiguration/decisionWait`` is decided with what it has.
/// Spans that end after their trace was decided follow the decision.
///
/// ```swift
/// let batch = BatchSpanProcessor(exporter: exporter)
/// let tracer = StackTracer(processor: TailSamplingProcessor(downstream: batch))
/// ```
public final class TailSamplingProcessor<SamplerClock: Clock>: SpanProcessor where SamplerClock.Duration == Duration {
    /// Why a trace was kept or dropped, counted in ``statistics``.
    public struct Statistics: Sendable, Hashable {
        public var keptForError = 0
        public var keptForLatency = 0
        public var keptFromUpstream = 0
        public var keptByRatio = 0
        public var droppedTraces = 0
        /// Traces decided because their root did not end in time.
        public var timedOutTraces = 0
        /// Spans decided alone because the pending buffer was full.
        public var overflowedSpans = 0
    }

    private struct Pending {
        var spans: [FinishedSpan] = []
        var hasError = false
        let deadline: SamplerClock.Instant
    }

    private struct State {
        var pending: [TraceID: Pending] = [:]
        /// Trace ids in arrival order, for expiring the oldest first; entries of decided traces are skipped.
        var arrivals: [TraceID] = []
        var arrivalsHead = 0
        var pendingSpans = 0
        /// Recent decisions, for spans that end after their trace was decided.
        var decided: [TraceID: Bool] = [:]
        var decidedOrder: [TraceID] = []
        var decidedNext = 0
        var statistics = Statistics()
        var isShutdown = false
    }

    public let configuration: TailSamplingConfiguration
    private let downstream: any SpanProcessor
    private let ratioSampler: TraceIDRatioSampler
    private let latencyNanoseconds: UInt64
    private let state = Mutex(State())
    private static var rememberedDecisions: Int { 10_000 }

    private let clock: SamplerClock

    /// A tail sampler forwarding kept traces to `downstream`, measuring decision waits on `clock` (tests
    /// pass a clock they advance by hand).
    public init(downstream: any SpanProcessor, configuration: TailSamplingConfiguration = .default, clock: SamplerClock) {
        self.clock = clock
        self.downstream = downstream
        self.configuration = configuration
        self.ratioSampler = TraceIDRatioSampler(ratio: configuration.ratio)
        self.latencyNanoseconds = UInt64(max(0, configuration.latencyThreshold.nanoseconds))
    }

    /// Counts of decisions so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Traces waiting for their root to end.
    public var pendingTraceCount: Int { state.withLock { $0.pending.count } }

    public func onEnd(_ span: FinishedSpan) {
        let now = clock.now
        let traceID = span.context.traceContext.traceID
        let isError = span.status?.code == .error
        let toForward: [FinishedSpan] = state.withLock { state in
            guard !state.isShutdown else { return [] }
            var forward = expire(&state, now: now)
            if let decision = state.decided[traceID] {
                if decision { forward.append(span) }
                return forward
            }
            if let index = state.pending.index(forKey: traceID) {
                guard state.pendingSpans < configuration.maxPendingSpans else {
                    return forward + overflow(&state, span, isError: isError)
                }
                // Mutated in place, so the trace's span array is never copied.
                state.pending.values[index].spans.append(span)
                if isError { state.pending.values[index].hasError = true }
            } else {
                guard state.pending.count < configuration.maxPendingTraces, state.pendingSpans < configuration.maxPendingSpans else {
                    return forward + overflow(&state, span, isError: isError)
                }
                state.pending[traceID] = Pending(spans: [span], hasError: isError, deadline: now.advanced(by: configuration.decisionWait))
                state.arrivals.append(traceID)
            }
            state.pendingSpans += 1
            if span.isLocalRoot {
                forward += decide(&state, traceID, root: span, timedOut: false)
            }
            return forward
        }
        for kept in toForward { downstream.onEnd(kept) }
    }

    /// Decides traces whose wait has passed, then flushes downstream; traces still within their
    /// wait stay pending (their roots may yet end).
    public func forceFlush() async {
        decideExpired()
        await downstream.forceFlush()
    }

    /// Decides the traces whose wait has passed and hands what is kept downstream, without flushing it.
    public func decideExpired() {
        let now = clock.now
        let forward = state.withLock { expire(&$0, now: now) }
        for span in forward { downstream.onEnd(span) }
    }

    /// Decides every pending trace with what it has, then shuts downstream down.
    public func shutdown() async {
        let forward: [FinishedSpan] = state.withLock { state in
            guard !state.isShutdown else { return [] }
            var forward: [FinishedSpan] = []
            for traceID in Array(state.pending.keys) {
                forward += decide(&state, traceID, root: nil, timedOut: true)
            }
            state.isShutdown = true
            return forward
        }
        for span in forward { downstream.onEnd(span) }
        await downstream.shutdown()
    }

    // MARK: - Decisions (all under the lock)

    private func decide(_ state: inout State, _ traceID: TraceID, root: FinishedSpan?, timedOut: Bool) -> [FinishedSpan] {
        guard let trace = state.pending.removeValue(forKey: traceID) else { return [] }
        state.pendingSpans -= trace.spans.count
        let keep: Bool
        if trace.hasError {
            keep = true
            state.statistics.keptForError += 1
        } else if let root, root.durationNanoseconds >= latencyNanoseconds {
            keep = true
            state.statistics.keptForLatency += 1
        } else if let root, root.parentIsRemote {
            keep = true
            state.statistics.keptFromUpstream += 1
        } else if keepsByRatio(traceID) {
            keep = true
            state.statistics.keptByRatio += 1
        } else {
            keep = false
            state.statistics.droppedTraces += 1
        }
        if timedOut { state.statistics.timedOutTraces += 1 }
        remember(&state, traceID, keep)
        return keep ? trace.spans : []
    }

    private func overflow(_ state: inout State, _ span: FinishedSpan, isError: Bool) -> [FinishedSpan] {
        state.statistics.overflowedSpans += 1
        return isError || keepsByRatio(span.context.traceContext.traceID) ? [span] : []
    }

    private func keepsByRatio(_ traceID: TraceID) -> Bool {
        ratioSampler.shouldSample(traceID: traceID, parent: nil, operationName: "", kind: .internal) == .recordAndSample
    }

    /// Decides the oldest traces whose wait has passed.
    private func expire(_ state: inout State, now: SamplerClock.Instant) -> [FinishedSpan] {
        var forward: [FinishedSpan] = []
        while state.arrivalsHead < state.arrivals.count {
            let traceID = state.arrivals[state.arrivalsHead]
            if let trace = state.pending[traceID] {
                guard trace.deadline <= now else { break }
                forward += decide(&state, traceID, root: nil, timedOut: true)
            }
            state.arrivalsHead += 1
        }
        // Drop the consumed prefix now and then, so the arrival list stays as long as what is pending.
        if state.arrivalsHead > 1024, state.arrivalsHead * 2 > state.arrivals.count {
            state.arrivals.removeFirst(state.arrivalsHead)
            state.arrivalsHead = 0
        }
        return forward
    }

    private func remember(_ state: inout State, _ traceID: TraceID, _ keep: Bool) {
        if state.decidedOrder.count < Self.rememberedDecisions {
            state.decidedOrder.append(traceID)
        } else {
            state.decided.removeValue(forKey: state.decidedOrder[state.decidedNext])
            state.decidedOrder[state.decidedNext] = traceID
            state.decidedNext = (state.decidedNext + 1) % Self.rememberedDecisions
        }
        state.decided[traceID] = keep
    }
}

extension TailSamplingProcessor where SamplerClock == ContinuousClock {
    /// A tail sampler forwarding kept traces to `downstream`, measuring decision waits on the continuous clock.
    public convenience init(downstream: any SpanProcessor, configuration: TailSamplingConfiguration = .default) {
        self.init(downstream: downstream, configuration: configuration, clock: ContinuousClock())
    }
}
#endif  // Telemetry
