#if Phoenix
import Foundation
import OpenInference

/// Renders a trace's spans as a tree for the terminal: kind, name, duration, tokens, status,
/// with a bar showing where in the trace each span ran.
///
/// ```
/// AGENT     agent                               2431.0 ms  ████████████████████████████
/// ├─ LLM    chat smollm2                         912.3 ms  ██████████                   tokens 201+25
/// ├─ TOOL   search_docs                          311.9 ms            ████
/// │  └─ RETRIEVER retrieve                       310.2 ms            ████
/// ```
public enum TraceWaterfall {
    /// The waterfall of `spans` (all of one trace), roots first, children in start order.
    public static func render(_ spans: [PhoenixSpan], barWidth: Int = 28) -> String {
        let timed = spans.map { span in (span, start: Self.seconds(span.startTime), end: Self.seconds(span.endTime)) }
        guard let traceStart = timed.compactMap(\.start).min(), let traceEnd = timed.compactMap(\.end).max() else {
            return "(no spans)"
        }
        let total = max(traceEnd - traceStart, 1e-9)
        let ids = Set(spans.map(\.context.spanID))
        var children: [String: [Int]] = [:]
        var roots: [Int] = []
        for (index, entry) in timed.enumerated() {
            if let parent = entry.0.parentID, ids.contains(parent) {
                children[parent, default: []].append(index)
            } else {
                roots.append(index)
            }
        }
        let byStart: (Int, Int) -> Bool = { (timed[$0].start ?? 0) < (timed[$1].start ?? 0) }
        var lines: [String] = []
        func visit(_ index: Int, prefix: String, connector: String) {
            let (span, start, end) = timed[index]
            let milliseconds = ((end ?? 0) - (start ?? 0)) * 1000
            var label = "\(connector)\(span.spanKind) \(span.name)"
            label = label.count > 44 ? String(label.prefix(43)) + "…" : label.padding(toLength: 44, withPad: " ", startingAt: 0)
            let offset = Int(((start ?? traceStart) - traceStart) / total * Double(barWidth))
            let length = max(1, Int((milliseconds / 1000) / total * Double(barWidth)))
            let bar =
                String(repeating: " ", count: min(offset, barWidth - 1))
                + String(repeating: "█", count: min(length, barWidth - min(offset, barWidth - 1)))
            var line = label + String(format: "%9.1f ms  ", milliseconds) + bar.padding(toLength: barWidth, withPad: " ", startingAt: 0)
            if let prompt = span.int(SemanticConventions.LLM.TokenCount.prompt) {
                line += "  tokens \(prompt)+\(span.int(SemanticConventions.LLM.TokenCount.completion) ?? 0)"
            }
            if span.statusCode == "ERROR" { line += "  ERROR" }
            lines.append(line)
            let kids = (children[span.context.spanID] ?? []).sorted(by: byStart)
            for (position, child) in kids.enumerated() {
                let last = position == kids.count - 1
                visit(child, prefix: prefix + (last ? "   " : "│  "), connector: prefix + (last ? "└─ " : "├─ "))
            }
        }
        for root in roots.sorted(by: byStart) { visit(root, prefix: "", connector: "") }
        return lines.joined(separator: "\n")
    }

    /// Seconds since the epoch from Phoenix's ISO 8601 timestamps (with or without fractional seconds).
    static func seconds(_ timestamp: String) -> Double? {
        PhoenixTimestamp.date(timestamp)?.timeIntervalSince1970
    }
}
#endif  // Phoenix
