import Foundation
import OpenInference

/// Reads a judge model's verdict: a JSON object `{"label": …, "score": …, "explanation": …}` anywhere in
/// its answer, or lines `label: …`, `score: …`, `explanation: …`. The label must be one the judge was
/// offered; the score, when missing, comes from the label. Anything else is an
/// ``EvaluationError/Code/unparsableJudgement`` error, never a crash and never a guessed score.
public struct JudgeOutputParser: Sendable, Hashable {
    /// The labels offered, each with the score it stands for (`["relevant": 1, "unrelated": 0]`).
    public var labels: [String: Double]

    /// A parser accepting `labels`.
    public init(labels: [String: Double]) {
        self.labels = labels
    }

    /// The verdict in `text`.
    public func parse(_ text: String) throws(EvaluationError) -> Evaluation {
        var fields: [String: String] = [:]
        if let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close,
            case .object(let object)? = try? JSONDecoder().decode(OpenInferenceJSON.self, from: Data(text[open...close].utf8))
        {
            for (key, value) in object {
                switch value {
                case .string(let string): fields[key.lowercased()] = string
                case .int(let number): fields[key.lowercased()] = String(number)
                case .double(let number): fields[key.lowercased()] = String(number)
                default: break
                }
            }
        } else {
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let key = parts[0].trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "*-#"))).lowercased()
                fields[key] = parts[1].trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "*\"")))
            }
        }
        guard let rawLabel = fields["label"]?.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)),
            let labelScore = labels[rawLabel]
        else {
            let offered = labels.keys.sorted().joined(separator: ", ")
            throw EvaluationError(code: .unparsableJudgement, detail: "no label among [\(offered)] in: \(text.prefix(200))")
        }
        var score = labelScore
        if let rawScore = fields["score"] {
            guard let value = Double(rawScore), (0...1).contains(value) else {
                throw EvaluationError(code: .unparsableJudgement, detail: "score '\(rawScore)' is not a number from 0 to 1")
            }
            score = value
        }
        return Evaluation(label: rawLabel, score: score, explanation: fields["explanation"] ?? "")
    }
}
