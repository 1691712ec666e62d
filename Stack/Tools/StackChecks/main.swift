import Foundation
import OpenInference
import PhoenixClient
import StackService

// The checks the project's scripts run against real processes, in Swift, through PhoenixClient: the
// scripts only start and stop processes and hand these what they saw.
//
//   StackChecks quickstart PHOENIX_URL PROJECT TRACE_ID      the README quick start's trace (check-quickstart.sh)
//   StackChecks serve PHOENIX_URL PROJECT TRACE_ID ANSWER    an agent run of stack serve (check-serve.sh)
//   StackChecks page PHOENIX_URL PROJECT TRACE_ID            a chat page answer with its browser span and thumbs down (check-page.sh)
//   StackChecks trace-annotation PHOENIX_URL PROJECT TRACE_ID LABEL  feedback delivered as a trace annotation (check-serve.sh)
//   StackChecks phoenix-count PHOENIX_URL PROJECT AT_LEAST   spans Phoenix holds, waiting for AT_LEAST (soak.sh)
//   StackChecks phoenix-traces PHOENIX_URL PROJECT FILE SECONDS [report]  every trace id in FILE (first field of
//                                                             each line) is in Phoenix, waiting up to SECONDS;
//                                                             `report` prints the counts without failing (check-outage.sh)
//   StackChecks spool < METRICS                               spooled, replayed, spool-dropped and rewound spans in /metrics text (check-outage.sh)
//   StackChecks exported < METRICS                            exported, failed and dropped spans in /metrics text (soak.sh)
//   StackChecks rss PID                                       a process's resident memory in MB (soak.sh)
//   StackChecks rss-summary "MB MB …"                         peak and growth after the first quarter (soak.sh)

/// A failed expectation: the message says what was expected and what was seen.
struct CheckFailed: Error, CustomStringConvertible {
    let description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailed(description: message()) }
}

func phoenix(_ url: String) throws -> PhoenixClient {
    guard let base = URL(string: url) else { throw CheckFailed(description: "'\(url)' is not a URL") }
    return PhoenixClient(baseURL: base)
}

func quickstart(_ arguments: [String]) async throws {
    let (url, project, traceID) = (arguments[0], arguments[1], arguments[2])
    let spans = try await phoenix(url).waitForTrace(project: project, traceID: traceID, count: 2)
    let kinds = Dictionary(spans.map { ($0.spanKind, $0) }, uniquingKeysWith: { first, _ in first })
    try expect(Set(kinds.keys) == ["AGENT", "LLM"], "expected AGENT and LLM spans, Phoenix has \(kinds.keys.sorted())")
    let (agent, llm) = (kinds["AGENT"]!, kinds["LLM"]!)
    try expect(agent.parentID == nil, "the AGENT span should be the root")
    try expect(llm.parentID == agent.context.spanID, "the LLM span should be the AGENT's child")
    try expect(llm.string("llm.input_messages.1.message.content") == "What is SQLite?", "LLM input: \(llm.attributes)")
    try expect(llm.int("llm.token_count.total") == 33, "LLM tokens: \(llm.attributes)")
    try expect(agent.string("output.value")?.hasPrefix("SQLite is") == true, "AGENT output: \(agent.attributes)")
    print("quickstart trace \(traceID): AGENT > LLM with 33 tokens, read back from Phoenix")
}

func serve(_ arguments: [String]) async throws {
    let (url, project, traceID, answerText) = (arguments[0], arguments[1], arguments[2], arguments[3])
    let answer = try JSONDecoder().decode(AgentRunAnswer.self, from: Data(answerText.utf8))
    try expect(answer.traceID == traceID, "body and header disagree: \(answer)")
    try expect(["final_answer", "max_iterations"].contains(answer.stopReason), "stop reason: \(answer)")
    // The request, AGENT and LLM spans.
    let spans = try await phoenix(url).waitForTrace(project: project, traceID: traceID, count: 3)
    try expect(spans.contains { $0.spanKind == "LLM" }, "no LLM span in Phoenix: \(spans.map(\.name))")
    let roots = spans.filter { $0.parentID == nil }
    try expect(roots.count == 1, "expected one root in Phoenix, got \(spans.map(\.name))")
    let root = roots[0]
    try expect(root.name == "POST /v1/agent/runs", "root: \(root.name)")
    try expect(root.string("user.id") == "user-check", "root attributes: \(root.attributes)")
    try expect(root.string("session.id") == "session-check", "root attributes: \(root.attributes)")
    print("stack serve: trace \(traceID) in Phoenix with \(spans.count) spans, user and session on its root")
}

func page(_ arguments: [String]) async throws {
    let (url, project, traceID) = (arguments[0], arguments[1], arguments[2])
    let client = try phoenix(url)
    // The passages request and its RETRIEVER span, the chat request and its LLM span, browser.question.
    let spans = try await client.waitForTrace(project: project, traceID: traceID, count: 5, timeout: .seconds(60))
    let server = spans.first { $0.name == "POST /v1/chat/completions" }
    let browser = spans.first { $0.name == "browser.question" }
    try expect(server != nil && browser != nil, "expected the server's and the browser's spans, Phoenix has \(spans.map(\.name))")
    try expect(spans.contains { $0.spanKind == "LLM" }, "no LLM span in Phoenix: \(spans.map(\.name))")
    try expect(spans.contains { $0.spanKind == "RETRIEVER" }, "no RETRIEVER span for the passages in Phoenix: \(spans.map(\.name))")
    try expect(server!.string("user.id") == "page-check", "server span attributes: \(server!.attributes)")
    try expect(
        browser!.parentID != nil && browser!.parentID == server!.parentID,
        "the browser span's parent \(browser!.parentID ?? "none") should be the page's traceparent span \(server!.parentID ?? "none")"
    )
    let firstToken = browser!.attributes["browser.time_to_first_token_ms"]
    try expect(firstToken?.intValue.map { $0 >= 0 } ?? false, "browser span attributes: \(browser!.attributes)")
    try await waitForTraceAnnotation(client, project: project, traceID: traceID, label: "thumbs_down")
    print(
        "chat page: trace \(traceID) in Phoenix with browser.question (\(firstToken!.intValue!) ms to first token) beside the server span, and the thumbs_down trace annotation"
    )
}

/// Waits (up to 60 s) until the trace carries an annotation with `label`: feedback is delivered once
/// Phoenix holds the trace.
func waitForTraceAnnotation(_ client: PhoenixClient, project: String, traceID: String, label: String) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    var labels: [String] = []
    while ContinuousClock.now < deadline {
        labels = try await client.traceAnnotations(project: project, traceIDs: [traceID]).compactMap(\.result.label)
        if labels.contains(label) { return }
        try await Task.sleep(for: .milliseconds(500))
    }
    throw CheckFailed(description: "no \(label) annotation on trace \(traceID); annotations: \(labels)")
}

func traceAnnotation(_ arguments: [String]) async throws {
    let (url, project, traceID, label) = (arguments[0], arguments[1], arguments[2], arguments[3])
    try await waitForTraceAnnotation(try phoenix(url), project: project, traceID: traceID, label: label)
    print("feedback: trace \(traceID) carries the \(label) annotation in Phoenix")
}

func phoenixCount(_ arguments: [String]) async throws {
    let (url, project) = (arguments[0], arguments[1])
    guard let atLeast = Int(arguments[2]) else { throw CheckFailed(description: "AT_LEAST must be a number") }
    let client = try phoenix(url)
    // Phoenix writes what it accepted asynchronously: poll until the count arrives or stops short.
    var seen = 0
    for _ in 0..<12 {
        seen = (try? await client.spans(project: project).count) ?? seen
        if seen >= atLeast { break }
        try await Task.sleep(for: .seconds(10))
    }
    print(seen)
}

/// The named counters' totals in the Prometheus text on standard input, printed on one line in order.
func counters(_ names: [String]) {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    var totals = Dictionary(uniqueKeysWithValues: names.map { ($0, 0.0) })
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
        let name = String(line.prefix { $0 != "{" && $0 != " " })
        guard totals[name] != nil, let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
        totals[name, default: 0] += value
    }
    print(names.map { String(Int(totals[$0]!)) }.joined(separator: " "))
}

func exported() {
    counters(["stack_telemetry_spans_exported_total", "stack_telemetry_spans_failed_total", "stack_telemetry_spans_dropped_total"])
}

func spool() {
    counters([
        "stack_telemetry_spans_spooled_total", "stack_telemetry_spans_replayed_total", "stack_telemetry_spool_dropped_spans_total",
        "stack_telemetry_spans_rewound_total",
    ])
}

/// Waits until every trace id in the file is in Phoenix's project (or the time is up), then prints
/// `answered`, `found` and the first few missing ids; fails when any is missing (unless `report`).
func phoenixTraces(_ arguments: [String]) async throws {
    let (url, project, file) = (arguments[0], arguments[1], arguments[2])
    guard let seconds = Int(arguments[3]) else { throw CheckFailed(description: "SECONDS must be a number") }
    let reportOnly = arguments.count > 4 && arguments[4] == "report"
    // One trace id a line, optionally followed by more fields (the load client adds the answer's time).
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    let expected = Set(lines.compactMap { $0.split(separator: " ").first.map(String.init) })
    let client = try phoenix(url)
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    var missing = expected
    while true {
        let held = Set(((try? await client.spans(project: project)) ?? []).map(\.context.traceID))
        missing = expected.subtracting(held)
        if missing.isEmpty || ContinuousClock.now >= deadline { break }
        try await Task.sleep(for: .seconds(5))
    }
    print("traces_answered: \(expected.count)")
    print("traces_in_phoenix: \(expected.count - missing.count)")
    if reportOnly { return }
    try expect(missing.isEmpty, "\(missing.count) answered traces are not in Phoenix, e.g. \(missing.sorted().prefix(3))")
}

func rss(_ arguments: [String]) throws {
    let status = try String(contentsOfFile: "/proc/\(arguments[0])/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { throw CheckFailed(description: "no VmRSS for process \(arguments[0])") }
    print(String(format: "%.1f", kilobytes / 1024))
}

func rssSummary(_ arguments: [String]) {
    let samples = arguments.joined(separator: " ").split(separator: " ").compactMap { Double($0) }
    guard samples.count >= 4 else { return }
    let settled = samples[(samples.count / 4)...]
    print(String(format: "serve_rss_peak_mb: %.1f", samples.max() ?? 0))
    print(String(format: "serve_rss_growth_after_first_quarter_mb: %.1f", (settled.last ?? 0) - (settled.first ?? 0)))
}

let arguments = Array(CommandLine.arguments.dropFirst())
let usage: [String: Int] = [
    "quickstart": 3, "serve": 4, "page": 3, "trace-annotation": 4, "phoenix-count": 3, "phoenix-traces": 4, "exported": 0, "spool": 0, "rss": 1,
    "rss-summary": 0,
]
guard let mode = arguments.first, let count = usage[mode], arguments.count - 1 >= count else {
    FileHandle.standardError.write(
        Data(
            "usage: StackChecks quickstart|serve|page|trace-annotation|phoenix-count|phoenix-traces|exported|spool|rss|rss-summary …; see Stack/Tools/StackChecks/main.swift\n"
                .utf8))
    exit(2)
}
let rest = Array(arguments.dropFirst())
do {
    switch mode {
    case "quickstart": try await quickstart(rest)
    case "serve": try await serve(rest)
    case "page": try await page(rest)
    case "trace-annotation": try await traceAnnotation(rest)
    case "phoenix-count": try await phoenixCount(rest)
    case "exported": exported()
    case "spool": spool()
    case "phoenix-traces": try await phoenixTraces(rest)
    case "rss": try rss(rest)
    default: rssSummary(rest)
    }
} catch {
    FileHandle.standardError.write(Data("check failed: \(error)\n".utf8))
    exit(1)
}
