import OpenInference
import StackLLM

/// LLM-as-judge evaluator: asks a model for a label, a score and an explanation on one criterion.
///
/// - ``relevance``: is a retrieved passage (`output`) relevant to the query (`input`)?
/// - ``groundedness``: is the answer supported by the retrieved passages (`documents`)?
/// - ``correctness``: does the answer agree with the reference answer (`expected`)?
///
/// A judge answer that cannot be read is an evaluation error, not a crash. The judge's call is an LLM
/// span inside the EVALUATOR span of ``Evaluator/evaluateTraced(_:onStart:)``.
public struct LLMJudge: Evaluator {
    /// Sends the judge's chat request and returns the answer's text; in production
    /// `{ try await client.chat($0).message.content ?? "" }` with an ``LLMClient``.
    public typealias Complete = @Sendable (ChatRequest) async throws -> String

    public let name: String
    public let kind = EvaluatorKind.llm
    let instructions: String
    let parser: JudgeOutputParser
    let criterion: Criterion
    let complete: Complete

    /// What a judge decides.
    enum Criterion: Sendable {
        case relevance, groundedness, correctness

        /// Whether `sample` has what this criterion needs.
        func applies(to sample: EvaluationSample) -> Bool {
            let answered = !sample.output.allSatisfy(\.isWhitespace)
            switch self {
            case .relevance: return answered
            case .groundedness: return answered && !sample.documents.isEmpty
            case .correctness: return answered && !(sample.expected ?? "").allSatisfy(\.isWhitespace)
            }
        }
    }

    init(name: String, instructions: String, labels: [String: Double], criterion: Criterion, complete: @escaping Complete) {
        self.name = name
        self.instructions = instructions
        self.parser = JudgeOutputParser(labels: labels)
        self.criterion = criterion
        self.complete = complete
    }

    /// Relevance of a passage (`output`) to the query (`input`): `relevant` or `unrelated`.
    public static func relevance(_ complete: @escaping Complete) -> LLMJudge {
        LLMJudge(
            name: "relevance",
            instructions: "Decide whether the PASSAGE helps answer the QUESTION. Labels: relevant (score 1) or unrelated (score 0).",
            labels: ["relevant": 1, "unrelated": 0],
            criterion: .relevance,
            complete: complete
        )
    }

    /// Groundedness of the answer in the passages: `grounded` or `ungrounded`.
    public static func groundedness(_ complete: @escaping Complete) -> LLMJudge {
        LLMJudge(
            name: "groundedness",
            instructions:
                "Decide whether every claim of the ANSWER is supported by the PASSAGES. Labels: grounded (score 1) or ungrounded (score 0).",
            labels: ["grounded": 1, "ungrounded": 0],
            criterion: .groundedness,
            complete: complete
        )
    }

    /// Correctness against the reference answer: `correct` or `incorrect`.
    public static func correctness(_ complete: @escaping Complete) -> LLMJudge {
        LLMJudge(
            name: "correctness",
            instructions: "Decide whether the ANSWER agrees with the REFERENCE answer. Labels: correct (score 1) or incorrect (score 0).",
            labels: ["correct": 1, "incorrect": 0],
            criterion: .correctness,
            complete: complete
        )
    }

    public func evaluate(_ sample: EvaluationSample) async throws(EvaluationError) -> Evaluation {
        guard criterion.applies(to: sample) else {
            throw EvaluationError(code: .missingInput, detail: "the \(name) judge needs what this sample lacks")
        }
        var prompt = "QUESTION: \(sample.input)\n"
        if criterion == .relevance {
            prompt += "PASSAGE: \(sample.output)\n"
        } else {
            prompt += "ANSWER: \(sample.output)\n"
            if let expected = sample.expected, criterion == .correctness { prompt += "REFERENCE: \(expected)\n" }
            if criterion == .groundedness {
                prompt += "PASSAGES:\n" + sample.documents.map { "[\($0.id ?? "?")] \($0.content ?? "")" }.joined(separator: "\n") + "\n"
            }
        }
        let request = ChatRequest(
            messages: [
                .system(instructions + #" Reply with only a JSON object: {"label": "…", "score": 0 or 1, "explanation": "one sentence"}."#),
                .user(prompt),
            ],
            temperature: 0,
            maxTokens: 160
        )
        let answer: String
        do {
            answer = try await complete(request)
        } catch {
            throw EvaluationError(code: .judgeFailed, detail: String(describing: error))
        }
        return try parser.parse(answer)
    }
}
