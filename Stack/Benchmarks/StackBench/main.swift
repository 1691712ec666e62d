import Foundation
import StackTestSupport

// The tools of `make soak` (scripts/soak.sh): `StackBench load URL SECONDS CONCURRENCY` drives `stack serve`,
// `StackBench fake-model` is an instant model, `StackBench echo-model` one that echoes its request headers in a 500. The tracing benchmarks are in the Benchmarks package
// (ordo-one/benchmark; see docs/performance.md).

let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : ""

switch mode {
case "load":
    // stack-bench load URL SECONDS CONCURRENCY, key in STACK_LOAD_API_KEY (scripts/soak.sh); with
    // STACK_LOAD_TRACE_IDS=FILE, the X-Trace-Id of every answered request is written there, one a line
    // with the answer's Unix time in milliseconds.
    guard arguments.count > 4, let seconds = Int(arguments[3]), let concurrency = Int(arguments[4]) else {
        FileHandle.standardError.write(Data("usage: StackBench load URL SECONDS CONCURRENCY\n".utf8))
        exit(2)
    }
    try await runLoad(
        baseURL: arguments[2],
        seconds: seconds,
        concurrency: concurrency,
        apiKey: ProcessInfo.processInfo.environment["STACK_LOAD_API_KEY"] ?? "",
        requestsPerSecond: ProcessInfo.processInfo.environment["STACK_LOAD_RPS"].flatMap(Double.init),
        traceIDsPath: ProcessInfo.processInfo.environment["STACK_LOAD_TRACE_IDS"]
    )

case "fake-model":
    // stack-bench fake-model: an OpenAI-compatible model that answers every request at once with the
    // same short completion (usage included), so a soak measures the service and its tracing, not a
    // model. Prints its API root, then serves until it is stopped (scripts/soak.sh stops it by pid).
    let answer =
        #"{"id":"chatcmpl-soak","object":"chat.completion","model":"scripted","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"SQLite suits one machine; Postgres suits many writers."}}],"usage":{"prompt_tokens":60,"completion_tokens":12,"total_tokens":72}}"#
    let server = ScriptedHTTPServer([.json(answer)], cycle: true, recordRequests: false)
    FileHandle.standardOutput.write(Data("\(try await server.start().absoluteString)\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }

case "echo-model":
    // stack-bench echo-model: a misbehaving model server that answers every request 500 with the
    // request line and headers (the caller's Authorization included) as its body, for
    // scripts/check-security.sh. Prints its API root, then serves until it is stopped.
    let server = ScriptedHTTPServer([.echoingRequest(status: 500)], cycle: true, recordRequests: false)
    FileHandle.standardOutput.write(Data("\(try await server.start().absoluteString)\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }

default:
    FileHandle.standardError.write(Data("unknown mode '\(mode)'; use load, fake-model or echo-model\n".utf8))
    exit(2)
}
