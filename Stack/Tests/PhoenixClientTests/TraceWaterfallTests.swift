import Foundation
import PhoenixClient
import Testing

@Suite("Terminal waterfall")
struct TraceWaterfallTests {
    static func span(
        _ id: String, parent: String?, kind: String, name: String, from: String, to: String, extra: String = ""
    )
        -> String
    {
        let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
        return """
            {"id":"g\(id)","name":"\(name)","context":{"trace_id":"t","span_id":"\(id)"},"span_kind":"\(kind)",
             "parent_id":\(parentJSON),"start_time":"2026-11-24T10:00:\(from)+00:00","end_time":"2026-11-24T10:00:\(to)+00:00",
             "status_code":"\(extra == "error" ? "ERROR" : "OK")","status_message":"","attributes":{\(extra == "tokens" ? #""llm.token_count.prompt":201,"llm.token_count.completion":25"# : "")},"events":[]}
            """
    }

    @Test("Spans render as a tree in start order with durations, tokens and errors")
    func rendersTree() throws {
        let json =
            "["
            + [
                Self.span("t1", parent: "a", kind: "TOOL", name: "search_docs", from: "01.000000", to: "01.500000", extra: "error"),
                Self.span("a", parent: nil, kind: "AGENT", name: "agent", from: "00.000000", to: "02.000000"),
                Self.span("l1", parent: "a", kind: "LLM", name: "chat smollm2", from: "00.000000", to: "01.000000", extra: "tokens"),
                Self.span("r1", parent: "t1", kind: "RETRIEVER", name: "retrieve", from: "01.100000", to: "01.400000"),
            ].joined(separator: ",") + "]"
        let spans = try JSONDecoder().decode([PhoenixSpan].self, from: Data(json.utf8))
        let lines = TraceWaterfall.render(spans).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("AGENT agent"))
        #expect(lines[0].contains("2000.0 ms"))
        #expect(lines[1].hasPrefix("├─ LLM chat smollm2"))
        #expect(lines[1].hasSuffix("tokens 201+25"))
        #expect(lines[2].hasPrefix("└─ TOOL search_docs"))
        #expect(lines[2].hasSuffix("ERROR"))
        #expect(lines[3].hasPrefix("   └─ RETRIEVER retrieve"))
        #expect(lines[3].contains("300.0 ms"))
    }
}
