import OpenInference

/// Judges one sample: code evaluators check a property of the answer, LLM evaluators ask a judge model.
///
/// ```swift
/// let verdict = try await NonEmptyAnswer().evaluateTraced(EvaluationSample(input: q, output: answer))
/// ```
public protocol Evaluator: Sendable {
    /// The evaluation's name, as annotations and experiment evaluations show it.
    var name: String { get }
    /// Who judges: code or an LLM.
    var kind: EvaluatorKind { get }
    /// The verdict on `sample`.
    func evaluate(_ sample: EvaluationSample) async throws(EvaluationError) -> Evaluation
}

/// Who judges, as Phoenix's annotator kinds name it.
public enum EvaluatorKind: String, Sendable, Hashable {
    /// A deterministic check in code.
    case code = "CODE"
    /// A judge model.
    case llm = "LLM"
}

extension Evaluator {
    /// The verdict on `sample`, recorded as an EVALUATOR span as the OpenInference annotations
    /// specification has it: the verdict as `evaluations.0.evaluation.*` (name, score, label, explanation,
    /// annotator kind), and the input and output as JSON; an error status when there is no verdict.
    ///
    /// - Parameters:
    ///   - evaluated: the trace and span the sample came from: the span gets one link to the judged span
    ///     (under a tracer that propagates W3C trace context), and the metadata `evaluated_trace_id` and
    ///     `evaluated_span_id`, which Phoenix shows and filters on.
    ///   - onStart: called inside the span, for reading its trace id while it is current.
    public func evaluateTraced(
        _ sample: EvaluationSample,
        evaluating evaluated: (traceID: String, spanID: String)? = nil,
        onStart: (@Sendable () -> Void)? = nil
    ) async throws(EvaluationError) -> Evaluation {
        let result: Result<Evaluation, EvaluationError> = await withOpenInferenceSpan("evaluate \(name)", kind: .evaluator) { span in
            onStart?()
            span.recordInput(json: .object(["input": .string(sample.input), "output": .string(sample.output)]))
            var metadata: [String: OpenInferenceJSON] = ["evaluator": .string(name), "annotator_kind": .string(kind.rawValue)]
            if let evaluated {
                metadata["evaluated_trace_id"] = .string(evaluated.traceID)
                metadata["evaluated_span_id"] = .string(evaluated.spanID)
            }
            span.recordMetadata(metadata)
            if let evaluated, let judged = TraceParent(traceID: evaluated.traceID, spanID: evaluated.spanID) {
                span.addLink(to: judged)
            }
            do throws(EvaluationError) {
                let evaluation = try await evaluate(sample)
                span.recordOutput(
                    json: .object([
                        "label": .string(evaluation.label), "score": .double(evaluation.score),
                        "explanation": .string(evaluation.explanation),
                    ]))
                span.recordEvaluations([
                    FeedbackResult(
                        name: name, score: evaluation.score, label: evaluation.label, explanation: evaluation.explanation,
                        annotatorKind: kind == .llm ? .llm : .code
                    )
                ])
                return .success(evaluation)
            } catch {
                span.recordError(error)
                return .failure(error)
            }
        }
        return try result.get()
    }
}
