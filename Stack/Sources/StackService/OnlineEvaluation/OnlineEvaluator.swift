import Logging
import Metrics
import PhoenixClient
import ServiceLifecycle
import StackEvaluation
import Synchronization

/// Evaluates a sampled share of `stack serve`'s answered runs in the background (`STACK_ONLINE_EVAL_RATIO`),
/// without ever delaying an answer: a `Service` of the service group with a bounded queue.
///
/// A route that has answered calls ``offer(_:)``, which decides by the trace id (``isSampled(traceID:ratio:)``,
/// the same on every replica) and enqueues without suspending; a full queue skips the run and counts it.
/// ``run()`` evaluates up to ``OnlineEvaluationConfiguration/concurrency`` runs at once: it waits for the
/// run's root span to reach Phoenix, reads the trace's RETRIEVER spans, and runs ``TraceEvaluation`` (the
/// code evaluators, and with a judge groundedness and document relevance), whose verdicts become
/// annotations on the root span and the retrieved documents, each evaluation an EVALUATOR span in a
/// trace of its own that names the evaluated trace. On graceful shutdown it stops accepting runs,
/// evaluates what is queued for ``OnlineEvaluationConfiguration/drainTimeout``, then cancels what still runs
/// and drops what is left, counted as skipped (`shutdown`).
///
/// Metrics: `stack_online_eval_evaluated_total` (runs evaluated), `stack_online_eval_skipped_total{reason}`
/// (`queue_full`, `shutdown`, `trace_missing`: the trace never reached Phoenix in time) and
/// `stack_online_eval_failed_total{evaluator}` (evaluations without a verdict; `phoenix` when Phoenix
/// could not be read or refused an annotation).
public final class OnlineEvaluator: Service, Sendable {
    /// One answered run: its trace, the span that answered it (the request's root span), and the
    /// question and answer as the route saw them.
    public struct Run: Sendable, Hashable {
        /// The run's trace id (32 hex characters).
        public var traceID: String
        /// The span the answer's verdicts annotate: the request's root span.
        public var rootSpanID: String
        /// The question or goal.
        public var input: String
        /// The answer.
        public var output: String

        /// A run.
        public init(traceID: String, rootSpanID: String, input: String, output: String) {
            self.traceID = traceID
            self.rootSpanID = rootSpanID
            self.input = input
            self.output = output
        }
    }

    /// The RETRIEVER spans of the run's trace once Phoenix holds its root span, `nil` before.
    public typealias Retrievals = @Sendable (Run) async throws(PhoenixClientError) -> [EvaluatedRun.Retrieval]?

    private struct State {
        var pending = 0
        var accepting = true
        var drainDeadline: ContinuousClock.Instant?
    }

    /// The bounds and the sampling ratio.
    public let configuration: OnlineEvaluationConfiguration
    let evaluation: TraceEvaluation
    let retrievals: Retrievals
    let annotator: any EvaluationAnnotator
    let pollInterval: Duration
    let logger: Logger
    private let state = Mutex(State())
    private let jobs: AsyncStream<Run>
    private let continuation: AsyncStream<Run>.Continuation
    private let evaluated = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    /// Runs evaluated by this process.
    public var evaluatedRuns: Int { evaluated.load(ordering: .relaxed) }
    /// Sampled runs not evaluated: the queue was full, shutdown came first, or the trace never reached Phoenix.
    public var skippedRuns: Int { skipped.load(ordering: .relaxed) }
    /// Evaluations without a verdict (a judge that failed or answered unreadably) and failed Phoenix calls.
    public var failedEvaluations: Int { failed.load(ordering: .relaxed) }

    /// An evaluator that reads traces from and writes annotations to `phoenix`, in `projectName`.
    ///
    /// - Parameter judge: the service's model, for the groundedness and relevance judges; `nil` runs
    ///   the code evaluators only.
    public convenience init(
        configuration: OnlineEvaluationConfiguration,
        phoenix: PhoenixClient,
        projectName: String,
        judge: LLMJudge.Complete?,
        logger: Logger
    ) {
        self.init(
            configuration: configuration,
            evaluation: TraceEvaluation(judge: judge, identifier: "stack-online-eval"),
            retrievals: { run throws(PhoenixClientError) in try await Self.retrievals(of: run, in: phoenix, project: projectName) },
            annotator: phoenix,
            logger: logger
        )
    }

    /// The RETRIEVER spans of `run`'s trace in `project` once Phoenix holds its root span, `nil` before.
    static func retrievals(of run: Run, in phoenix: PhoenixClient, project: String) async throws(PhoenixClientError) -> [EvaluatedRun.Retrieval]? {
        let spans: [PhoenixSpan]
        do {
            spans = try await phoenix.spans(project: project, traceID: run.traceID)
        } catch  where error.status == 404 {
            return nil  // the project appears with its first span
        }
        guard spans.contains(where: { $0.context.spanID == run.rootSpanID }) else { return nil }
        return spans.filter { $0.spanKind == "RETRIEVER" }.map(EvaluatedRun.Retrieval.init)
    }

    /// An evaluator over the given parts (tests pass in-process fakes).
    ///
    /// - Parameter pollInterval: how often Phoenix is asked whether the run's trace has arrived.
    public init(
        configuration: OnlineEvaluationConfiguration,
        evaluation: TraceEvaluation,
        retrievals: @escaping Retrievals,
        annotator: any EvaluationAnnotator,
        pollInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.configuration = configuration
        self.evaluation = evaluation
        self.retrievals = retrievals
        self.annotator = annotator
        self.pollInterval = pollInterval
        self.logger = logger
        (jobs, continuation) = AsyncStream.makeStream(of: Run.self, bufferingPolicy: .unbounded)
    }

    /// Whether the trace `traceID` is in the evaluated share: its lower 64 bits below `ratio` × 2⁶⁴, the
    /// rule of OpenTelemetry's trace-id ratio sampler, so every replica decides alike.
    public static func isSampled(traceID: String, ratio: Double) -> Bool {
        guard ratio > 0, traceID.count == 32, let low = UInt64(traceID.suffix(16), radix: 16) else { return false }
        guard ratio < 1 else { return true }
        return low < UInt64(ratio * 18_446_744_073_709_551_616.0)
    }

    /// Hands `run` to the background evaluation when its trace is sampled; never suspends. Returns
    /// whether it was queued (a sampled run finding the queue full, or arriving after shutdown began,
    /// is skipped, counted and logged at debug level).
    @discardableResult
    public func offer(_ run: Run) -> Bool {
        guard Self.isSampled(traceID: run.traceID, ratio: configuration.ratio) else { return false }
        let skip: String? = state.withLock { state in
            guard state.accepting else { return "shutdown" }
            guard state.pending < configuration.queueCapacity else { return "queue_full" }
            state.pending += 1
            continuation.yield(run)
            return nil
        }
        guard let skip else { return true }
        self.skip(run, reason: skip)
        return false
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            // Each child answers whether it was the drain watchdog.
            await withTaskGroup(of: Bool.self) { group in
                var running = 0
                for await run in jobs {
                    let drop = state.withLock { state in
                        state.pending -= 1
                        return state.drainDeadline.map { ContinuousClock.now >= $0 } ?? false
                    }
                    if drop {
                        skip(run, reason: "shutdown")
                        continue
                    }
                    if running >= configuration.concurrency {
                        _ = await group.next()
                        running -= 1
                    }
                    group.addTask {
                        await self.evaluate(run)
                        return false
                    }
                    running += 1
                }
                // Shutdown: the queue is closed; evaluations still running get what is left of the drain time.
                guard running > 0, let deadline = state.withLock({ $0.drainDeadline }) else { return }
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return true
                }
                while let watchdog = await group.next() {
                    if watchdog { break }
                    running -= 1
                    if running == 0 { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
    }

    /// Stops taking runs; what is queued has ``OnlineEvaluationConfiguration/drainTimeout`` to start.
    func stopAccepting() {
        state.withLock { state in
            state.accepting = false
            state.drainDeadline = ContinuousClock.now.advanced(by: configuration.drainTimeout)
        }
        continuation.finish()
    }

    /// Whether graceful shutdown's drain time is over (or the service was cancelled).
    private var mustStop: Bool {
        Task.isCancelled || state.withLock { state in state.drainDeadline.map { ContinuousClock.now >= $0 } ?? false }
    }

    func evaluate(_ run: Run) async {
        let deadline = ContinuousClock.now.advanced(by: configuration.traceWait)
        var found: [EvaluatedRun.Retrieval]?
        do {
            while true {
                found = try await retrievals(run)
                if found != nil || ContinuousClock.now >= deadline || mustStop { break }
                try? await Task.sleep(for: pollInterval)
            }
        } catch {
            if Task.isCancelled { skip(run, reason: "shutdown") } else { fail(run, evaluator: "phoenix", reason: "reading the trace: \(error)") }
            return
        }
        guard let found else {
            skip(run, reason: mustStop ? "shutdown" : "trace_missing")
            return
        }
        let evaluated = EvaluatedRun(traceID: run.traceID, rootSpanID: run.rootSpanID, input: run.input, output: run.output, retrievals: found)
        do {
            let outcome = try await evaluation.evaluate(evaluated, annotator: annotator)
            guard !Task.isCancelled else {
                skip(run, reason: "shutdown")
                return
            }
            for failure in outcome.failures {
                fail(run, evaluator: failure.evaluator, reason: "\(failure.error)")
            }
            self.evaluated.add(1, ordering: .relaxed)
            Counter(label: "stack_online_eval_evaluated_total").increment()
            logger.debug(
                "online evaluation written",
                metadata: [
                    "evaluated_trace_id": .string(run.traceID), "annotations": "\(outcome.annotations)", "failures": "\(outcome.failures.count)",
                ]
            )
        } catch {
            if Task.isCancelled { skip(run, reason: "shutdown") } else { fail(run, evaluator: "phoenix", reason: "writing an annotation: \(error)") }
        }
    }

    private func skip(_ run: Run, reason: String) {
        skipped.add(1, ordering: .relaxed)
        Counter(label: "stack_online_eval_skipped_total", dimensions: [("reason", reason)]).increment()
        logger.debug("online evaluation skipped", metadata: ["evaluated_trace_id": .string(run.traceID), "reason": .string(reason)])
    }

    private func fail(_ run: Run, evaluator: String, reason: String) {
        failed.add(1, ordering: .relaxed)
        // `relevance[2]` counts as `relevance`: one series per evaluator.
        Counter(label: "stack_online_eval_failed_total", dimensions: [("evaluator", String(evaluator.prefix { $0 != "[" }))]).increment()
        logger.warning(
            "online evaluation without a verdict",
            metadata: ["evaluated_trace_id": .string(run.traceID), "evaluator": .string(evaluator), "error": .string(reason)]
        )
    }
}
