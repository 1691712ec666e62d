import OpenInference
import PhoenixClient
import Synchronization

/// Evaluates one answered run and writes every verdict back as an annotation: the answer evaluators'
/// on the run's root span, the relevance judge's on each document of its RETRIEVER spans. Each
/// evaluation is an EVALUATOR span in a trace of its own whose metadata names the evaluated trace
/// (`evaluated_trace_id`), and each annotation names the evaluation's trace (`evaluation_trace_id`).
/// `stack eval` and `stack serve`'s online evaluation both run it.
///
/// ```swift
/// let evaluation = TraceEvaluation(judge: { try await client.chat($0).message.content ?? "" }, identifier: "stack-eval")
/// let outcome = try await evaluation.evaluate(EvaluatedRun(root: root, spans: spans), annotator: phoenix)
/// ```
public struct TraceEvaluation: Sendable {
    /// What one run's evaluation left.
    public struct Outcome: Sendable {
        /// Annotations written.
        public var annotations = 0
        /// Evaluations without a verdict: the evaluator's name (`relevance[2]` for a document) and why.
        public var failures: [(evaluator: String, error: EvaluationError)] = []

        /// An empty outcome.
        public init() {}
    }

    /// The evaluators judging the answer (annotations on the root span).
    public var answerEvaluators: [any Evaluator]
    /// The judge of each retrieved document's relevance to its query; `nil` leaves documents alone.
    public var relevance: (any Evaluator)?
    /// The annotations' identifier: evaluating again replaces what the same identifier wrote.
    public var identifier: String

    /// The code evaluators ``NonEmptyAnswer`` and ``CitesRetrievedPassage`` and, with a `judge`,
    /// ``LLMJudge/groundedness(_:)`` and ``LLMJudge/relevance(_:)``.
    public init(judge: LLMJudge.Complete?, identifier: String) {
        var answerEvaluators: [any Evaluator] = [NonEmptyAnswer(), CitesRetrievedPassage()]
        if let judge { answerEvaluators.append(LLMJudge.groundedness(judge)) }
        self.init(answerEvaluators: answerEvaluators, relevance: judge.map(LLMJudge.relevance), identifier: identifier)
    }

    /// An evaluation with these evaluators.
    public init(answerEvaluators: [any Evaluator], relevance: (any Evaluator)?, identifier: String) {
        self.answerEvaluators = answerEvaluators
        self.relevance = relevance
        self.identifier = identifier
    }

    /// Runs every evaluator on `run` and writes each verdict through `annotator`. An evaluator without
    /// a verdict is listed in the outcome and the others go on.
    ///
    /// - Throws: the first annotation Phoenix did not take; verdicts after it are not written.
    public func evaluate(_ run: EvaluatedRun, annotator: some EvaluationAnnotator) async throws(PhoenixClientError) -> Outcome {
        var outcome = Outcome()
        let sample = run.sample
        for evaluator in answerEvaluators {
            switch await Self.verdict(evaluator, sample, evaluating: run.traceID, spanID: run.rootSpanID) {
            case .success(let (verdict, evaluationTrace)):
                _ = try await annotator.annotateSpan(
                    SpanAnnotation(
                        spanID: run.rootSpanID, name: evaluator.name, annotatorKind: Self.annotatorKind(evaluator),
                        label: verdict.label, score: verdict.score, explanation: verdict.explanation,
                        metadata: evaluationTrace.map { ["evaluation_trace_id": .string($0)] } ?? [:],
                        identifier: identifier
                    )
                )
                outcome.annotations += 1
            case .failure(let error):
                outcome.failures.append((evaluator.name, error))
            }
        }
        guard let relevance else { return outcome }
        for retrieval in run.retrievals {
            for (position, document) in retrieval.documents.enumerated() {
                let question = EvaluationSample(input: retrieval.query ?? run.input, output: document.content ?? "")
                switch await Self.verdict(relevance, question, evaluating: run.traceID, spanID: retrieval.spanID) {
                case .success(let (verdict, _)):
                    try await annotator.annotateDocument(
                        spanID: retrieval.spanID, position: position, name: relevance.name, annotatorKind: Self.annotatorKind(relevance),
                        label: verdict.label, score: verdict.score, explanation: verdict.explanation, identifier: identifier
                    )
                    outcome.annotations += 1
                case .failure(let error):
                    outcome.failures.append(("\(relevance.name)[\(position)]", error))
                }
            }
        }
        return outcome
    }

    /// Phoenix's annotator kind for `evaluator`.
    static func annotatorKind(_ evaluator: any Evaluator) -> SpanAnnotation.AnnotatorKind {
        evaluator.kind == .llm ? .llm : .code
    }

    /// The traced verdict and the id of the EVALUATOR span's trace, or why there is no verdict.
    static func verdict(
        _ evaluator: any Evaluator,
        _ sample: EvaluationSample,
        evaluating traceID: String,
        spanID: String
    ) async -> Result<(Evaluation, String?), EvaluationError> {
        let evaluationTrace = Mutex<String?>(nil)
        do {
            let verdict = try await evaluator.evaluateTraced(sample, evaluating: (traceID: traceID, spanID: spanID)) {
                let id = TraceParent.current?.traceID
                evaluationTrace.withLock { $0 = id }
            }
            return .success((verdict, evaluationTrace.withLock { $0 }))
        } catch {
            return .failure(error)
        }
    }
}
