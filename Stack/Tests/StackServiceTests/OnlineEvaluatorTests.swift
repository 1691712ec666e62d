import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OpenInferenceTelemetry
import PhoenixClient
import ServiceLifecycle
import StackEvaluation
import StackLLM
import StackService
import StackTestSupport
import Synchronization
import Testing
import Tracing

/// Takes annotations as Phoenix would, counting them.
final class CountingAnnotator: EvaluationAnnotator {
    let names = Mutex<[String]>([])

    func annotateSpan(_ annotation: SpanAnnotation) async throws(PhoenixClientError) -> String {
        names.withLock { $0.append("\(annotation.name) \(annotation.annotatorKind.rawValue) \(annotation.spanID)") }
        return "id"
    }

    func annotateDocument(
        spanID: String, position: Int, name: String, annotatorKind: SpanAnnotation.AnnotatorKind,
        label: String?, score: Double?, explanation: String?, identifier: String?
    ) async throws(PhoenixClientError) {
        names.withLock { $0.append("\(name)[\(position)] \(annotatorKind.rawValue) \(spanID)") }
    }
}

@Suite("Online evaluation")
struct OnlineEvaluatorTests {
    static let logger = Logger(label: "test.online-eval")

    /// Trace ids `00…0<low>` whose lower 64 bits are `low`.
    static func traceID(low: UInt64) -> String {
        let hex = String(low, radix: 16)
        return String(repeating: "0", count: 16) + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func run(_ low: UInt64) -> OnlineEvaluator.Run {
        OnlineEvaluator.Run(traceID: traceID(low: low), rootSpanID: "b7ad6b7169203331", input: "q", output: "See sqlite.md#2.")
    }

    static func evaluator(
        ratio: Double = 1,
        queue: Int = 64,
        traceWait: Duration = .seconds(30),
        drain: Duration = .seconds(10),
        judge: LLMJudge.Complete? = nil,
        retrievals: @escaping OnlineEvaluator.Retrievals = { _ throws(PhoenixClientError) in
            [EvaluatedRun.Retrieval(spanID: "00f067aa0ba902b7", query: "q", documents: [.init(id: "sqlite.md#2", content: "VACUUM INTO")])]
        },
        annotator: CountingAnnotator = CountingAnnotator()
    ) -> OnlineEvaluator {
        OnlineEvaluator(
            configuration: OnlineEvaluationConfiguration(
                ratio: ratio, concurrency: 2, queueCapacity: queue, traceWait: traceWait, drainTimeout: drain),
            evaluation: TraceEvaluation(judge: judge, identifier: "test"),
            retrievals: retrievals,
            annotator: annotator,
            pollInterval: .milliseconds(5),
            logger: logger
        )
    }

    /// Runs `evaluator` in a service group while `body` runs, then shuts the group down gracefully and
    /// waits for the evaluator to return.
    static func whileRunning(_ evaluator: OnlineEvaluator, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [evaluator], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits (without asserting on time) until `done` holds; fails the test after many polls.
    static func eventually(_ what: Comment, _ done: () -> Bool) async throws {
        for _ in 0..<2000 where !done() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(done(), what)
    }

    static let environment = ["STACK_API_KEYS": "sk-1=ana", "STACK_FEEDBACK_SECRET": String(repeating: "s", count: 32)]

    @Test("Online evaluation is off by default; its variables set the ratio and bounds")
    func configuration() throws {
        #expect(try !ServiceConfiguration.fromEnvironment(Self.environment).onlineEvaluation.isEnabled)
        let set = try ServiceConfiguration.fromEnvironment(
            Self.environment.merging([
                "STACK_ONLINE_EVAL_RATIO": "0.1", "STACK_ONLINE_EVAL_CONCURRENCY": "4", "STACK_ONLINE_EVAL_QUEUE": "8",
                "STACK_ONLINE_EVAL_TRACE_WAIT": "5", "STACK_ONLINE_EVAL_DRAIN": "2.5",
            ]) { $1 }
        ).onlineEvaluation
        #expect(
            set
                == OnlineEvaluationConfiguration(
                    ratio: 0.1, concurrency: 4, queueCapacity: 8, traceWait: .seconds(5), drainTimeout: .milliseconds(2500)))
    }

    @Test(
        "A malformed online-evaluation variable stops the service with an error naming it",
        arguments: [
            ("STACK_ONLINE_EVAL_RATIO", "1.5"), ("STACK_ONLINE_EVAL_RATIO", "often"), ("STACK_ONLINE_EVAL_CONCURRENCY", "0"),
            ("STACK_ONLINE_EVAL_QUEUE", "-1"), ("STACK_ONLINE_EVAL_TRACE_WAIT", "soon"), ("STACK_ONLINE_EVAL_DRAIN", "0"),
        ])
    func malformedVariable(variable: String, value: String) {
        #expect {
            try ServiceConfiguration.fromEnvironment(Self.environment.merging([variable: value]) { $1 })
        } throws: { error in
            guard case .invalidValue(let named, let shown, _) = error as? ServiceConfigurationError else { return false }
            return named == variable && shown == value && "\(error)".contains(variable)
        }
    }

    @Test(
        "Sampling is decided by the trace id's lower 64 bits against the ratio",
        arguments: [
            (0.25, 0x3FFF_FFFF_FFFF_FFFF as UInt64, true), (0.25, 0x4000_0000_0000_0000, false),
            (0.0, 0, false), (1.0, .max, true), (0.5, 0x7FFF_FFFF_FFFF_FFFF, true), (0.5, 0x8000_0000_0000_0000, false),
        ])
    func samplingByTraceID(ratio: Double, low: UInt64, sampled: Bool) {
        #expect(OnlineEvaluator.isSampled(traceID: Self.traceID(low: low), ratio: ratio) == sampled)
    }

    @Test("A ratio evaluates about that share of traces, the same ones every time")
    func samplingShare() {
        let ids = (0..<4000).map { _ in Self.traceID(low: UInt64.random(in: .min ... .max)) }
        let first = ids.filter { OnlineEvaluator.isSampled(traceID: $0, ratio: 0.25) }
        #expect((800...1200).contains(first.count))
        #expect(ids.filter { OnlineEvaluator.isSampled(traceID: $0, ratio: 0.25) } == first)
        #expect(!OnlineEvaluator.isSampled(traceID: "not a trace id", ratio: 1))
    }

    @Test("Runs outside the sampled share are not queued and not counted")
    func unsampledRunsAreIgnored() {
        let evaluator = Self.evaluator(ratio: 0.5)
        #expect(!evaluator.offer(Self.run(0x9000_0000_0000_0000)))
        #expect(evaluator.skippedRuns == 0)
    }

    @Test("A full queue skips and counts the run at once instead of waiting")
    func fullQueueSkips() {
        // Not running: nothing takes from the queue, so the third offer finds it full.
        let evaluator = Self.evaluator(queue: 2)
        #expect(evaluator.offer(Self.run(1)))
        #expect(evaluator.offer(Self.run(2)))
        #expect(!evaluator.offer(Self.run(3)))
        #expect(evaluator.skippedRuns == 1)
        #expect(evaluator.evaluatedRuns == 0)
    }

    @Test("A sampled run is evaluated in the background and annotated; shutdown ends the service")
    func evaluatesAndAnnotates() async throws {
        let annotator = CountingAnnotator()
        let evaluator = Self.evaluator(
            judge: { request in
                request.messages.last?.content?.contains("PASSAGE: ") == true
                    ? #"{"label": "relevant", "score": 1, "explanation": "ok"}"# : #"{"label": "grounded", "score": 1, "explanation": "ok"}"#
            },
            annotator: annotator
        )
        try await Self.whileRunning(evaluator) {
            #expect(evaluator.offer(Self.run(7)))
            try await Self.eventually("the run was evaluated") { evaluator.evaluatedRuns == 1 }
        }
        #expect(
            annotator.names.withLock { $0.sorted() } == [
                "cites_retrieved_passage CODE b7ad6b7169203331", "groundedness LLM b7ad6b7169203331",
                "non_empty CODE b7ad6b7169203331", "relevance[0] LLM 00f067aa0ba902b7",
            ])
        #expect(evaluator.failedEvaluations == 0)
        #expect(!evaluator.offer(Self.run(8)), "a run offered after shutdown is skipped")
        #expect(evaluator.skippedRuns == 1)
    }

    @Test("A failing judge is an evaluation error, counted; the code evaluators still annotate")
    func failingJudgeIsCounted() async throws {
        struct Down: Error {}
        let annotator = CountingAnnotator()
        let evaluator = Self.evaluator(judge: { _ in throw Down() }, annotator: annotator)
        try await Self.whileRunning(evaluator) {
            evaluator.offer(Self.run(9))
            try await Self.eventually("the run was evaluated") { evaluator.evaluatedRuns == 1 }
        }
        #expect(evaluator.failedEvaluations == 2)  // groundedness and the relevance of the one document
        #expect(annotator.names.withLock { $0.count } == 2)
    }

    @Test("A trace that never reaches Phoenix is skipped, not evaluated")
    func missingTraceIsSkipped() async throws {
        let evaluator = Self.evaluator(traceWait: .milliseconds(20), retrievals: { _ throws(PhoenixClientError) in nil })
        try await Self.whileRunning(evaluator) {
            evaluator.offer(Self.run(10))
            try await Self.eventually("the run was given up") { evaluator.skippedRuns == 1 }
        }
        #expect(evaluator.evaluatedRuns == 0)
        #expect(evaluator.failedEvaluations == 0)
    }

    @Test("Graceful shutdown drops what the drain time cannot evaluate, counted, and returns")
    func shutdownDropsWhatIsLeft() async throws {
        // Traces never arrive and the wait is long: only shutdown's drain bound ends these runs.
        let evaluator = Self.evaluator(traceWait: .seconds(3600), drain: .milliseconds(50), retrievals: { _ throws(PhoenixClientError) in nil })
        try await Self.whileRunning(evaluator) {
            for low in 20..<25 { #expect(evaluator.offer(Self.run(UInt64(low)))) }
        }
        #expect(evaluator.skippedRuns == 5)
        #expect(evaluator.evaluatedRuns == 0)
    }

    @Test(
        "Agent runs and chat completions, streamed or not, hand their answered run to the evaluator",
        arguments: [
            ("/v1/agent/runs", #"{"goal":"Name a database."}"#, false),
            ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"Name a database."}]}"#, false),
            ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"Name a database."}],"stream":true}"#, true),
        ])
    func routesOfferTheirRuns(route: String, body: String, stream: Bool) async throws {
        let reply: ScriptedHTTPServer.Reply =
            stream
            ? .events([
                #"{"choices":[{"index":0,"delta":{"role":"assistant","content":"SQL"}}]}"#,
                #"{"choices":[{"index":0,"delta":{"content":"ite"},"finish_reason":"stop"}]}"#,
            ])
            : ServiceHarness.textReply("SQLite")
        let harness = try await ServiceHarness(modelReplies: [reply])
        let offered = Mutex<[OnlineEvaluator.Run]>([])
        let evaluator = Self.evaluator(retrievals: { run throws(PhoenixClientError) in
            offered.withLock { $0.append(run) }
            return []
        })
        var api = harness.api
        api.onlineEvaluator = evaluator
        let app = Application(router: api.router(keys: ServiceHarness.keys))
        let traceID = Mutex<String?>(nil)
        try await Self.whileRunning(evaluator) {
            try await withTracer(StackTracer(processor: harness.recorder)) {
                try await app.test(.router) { client in
                    try await client.execute(uri: route, method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                        response in
                        #expect(response.status == .ok)
                        traceID.withLock { $0 = response.traceID }
                    }
                }
            }
            try await Self.eventually("the run was evaluated") { evaluator.evaluatedRuns == 1 }
        }
        let run = try #require(offered.withLock { $0.first })
        #expect(run.traceID == traceID.withLock { $0 })
        #expect(run.input == "Name a database.")
        #expect(run.output == "SQLite")
        let root = try #require(harness.recorder.spans.first { $0.name == "POST \(route)" })
        #expect(root.context.traceIDHex == run.traceID)
    }
}
