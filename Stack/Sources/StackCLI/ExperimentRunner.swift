import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackEvaluation
import Synchronization

/// Runs the agent on dataset examples for one experiment, at most `concurrency` at once: each run is
/// traced (its trace id recorded with the run), recorded in Phoenix with its output or error and times,
/// and evaluated by every evaluator (EVALUATOR spans), each verdict recorded as an experiment evaluation.
struct ExperimentRunner: Sendable {
    let phoenix: PhoenixClient
    let experiment: PhoenixExperiment
    let agent: Agent
    let evaluators: [any Evaluator]

    /// Every evaluator's score for every run that got a verdict.
    func run(_ examples: [PhoenixDatasetExample], concurrency: Int) async throws -> [(name: String, score: Double)] {
        try await withThrowingTaskGroup(of: [(name: String, score: Double)].self) { group in
            var pending = examples[...]
            var scores: [(name: String, score: Double)] = []
            for _ in 0..<min(concurrency, examples.count) {
                if let example = pending.popFirst() { group.addTask { try await runOne(example) } }
            }
            while let done = try await group.next() {
                scores += done
                if let example = pending.popFirst() { group.addTask { try await runOne(example) } }
            }
            return scores
        }
    }

    private func runOne(_ example: PhoenixDatasetExample) async throws -> [(name: String, score: Double)] {
        let input = Self.text(example.input["input"])
        let expected = example.output["expected"].map { Self.text($0) }
        let start = Date()
        var answer = ""
        var failure: String?
        var traceID: String?
        var passages: [RetrievalDocument] = []
        do {
            let ((result, trace), retrieved) = try await RetrievedPassages.collecting { try await withAgentRun(agent, goal: input) }
            answer = result.answer
            traceID = trace
            passages = retrieved
        } catch {
            failure = String(describing: error)
        }
        let runID = try await phoenix.recordExperimentRun(
            experimentID: experiment.id, exampleID: example.id, output: .object(["answer": .string(answer)]),
            error: failure, traceID: traceID, start: start, end: Date()
        )
        var scores: [(name: String, score: Double)] = []
        let sample = EvaluationSample(input: input, output: answer, expected: expected, documents: passages)
        for evaluator in evaluators {
            let began = Date()
            let evaluationTrace = Mutex<String?>(nil)
            let verdict: Result<Evaluation, EvaluationError>
            do {
                verdict = .success(try await evaluator.evaluateTraced(sample) { evaluationTrace.withLock { $0 = Telemetry.currentTraceID } })
            } catch {
                verdict = .failure(error)
            }
            if case .success(let evaluation) = verdict { scores.append((evaluator.name, evaluation.score)) }
            let evaluation = try? verdict.get()
            try await phoenix.recordExperimentEvaluation(
                runID: runID, name: evaluator.name,
                annotatorKind: evaluator.kind == .llm ? .llm : .code,
                label: evaluation?.label, score: evaluation?.score, explanation: evaluation?.explanation,
                error: verdict.failureDescription, traceID: evaluationTrace.withLock { $0 }, start: began, end: Date()
            )
        }
        return scores
    }

    /// A JSON value as the text the agent reads.
    static func text(_ value: OpenInferenceJSON?) -> String {
        switch value {
        case .string(let text)?: text
        case let other?: other.jsonString
        case nil: ""
        }
    }
}

extension Result {
    fileprivate var failureDescription: String? {
        if case .failure(let error) = self { return String(describing: error) }
        return nil
    }
}
