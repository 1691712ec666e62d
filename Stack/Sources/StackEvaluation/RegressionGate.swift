/// Compares an experiment's mean scores with a baseline's: the regression gate `stack experiment run
/// --baseline EXP --max-drop D` applies in CI.
public struct RegressionGate: Sendable, Hashable {
    /// One evaluator's means side by side.
    public struct Row: Sendable, Hashable {
        /// The evaluator.
        public var name: String
        /// This experiment's mean score, `nil` when no run got a verdict.
        public var current: Double?
        /// The baseline's mean score, `nil` when the baseline has no verdicts under this name.
        public var baseline: Double?
        /// Whether the score dropped by more than the allowed amount.
        public var regressed: Bool
    }

    /// The largest drop of a mean score (in score units, 0...1) that still passes.
    public var maxDrop: Double

    /// A gate allowing drops up to `maxDrop`.
    public init(maxDrop: Double) {
        self.maxDrop = maxDrop
    }

    /// The mean of each evaluator's scores.
    public static func means(_ scores: [(name: String, score: Double)]) -> [String: Double] {
        Dictionary(grouping: scores, by: \.name).mapValues { entries in entries.map(\.score).reduce(0, +) / Double(entries.count) }
    }

    /// One row per evaluator in either experiment, sorted by name. A score that disappeared (the baseline
    /// had verdicts, this run none) counts as a regression.
    public func compare(current: [String: Double], baseline: [String: Double]?) -> [Row] {
        Set(current.keys).union(baseline?.keys ?? [:].keys).sorted().map { name in
            let now = current[name]
            let before = baseline?[name]
            let regressed: Bool
            switch (now, before) {
            case (let now?, let before?): regressed = before - now > maxDrop + 1e-9
            case (nil, .some): regressed = true
            default: regressed = false
            }
            return Row(name: name, current: now, baseline: before, regressed: regressed)
        }
    }

    /// The table printed after a run: evaluator, this run, the baseline and the change.
    public static func table(_ rows: [Row], baselineName: String?) -> String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        let width = max(12, rows.map(\.name.count).max() ?? 0)
        var lines = [
            "evaluator".padding(toLength: width, withPad: " ", startingAt: 0) + "  mean   " + (baselineName.map { "  \($0)" } ?? "")
        ]
        for row in rows {
            var line =
                row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + cell(row.current).padding(toLength: 7, withPad: " ", startingAt: 0)
            if baselineName != nil {
                line += "  " + cell(row.baseline)
                if let now = row.current, let before = row.baseline { line += String(format: "  %+.3f", now - before) }
                if row.regressed { line += "  REGRESSED" }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
