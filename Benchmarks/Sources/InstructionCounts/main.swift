import BenchmarkWorkloads
import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackTestSupport
import Tracing

// `InstructionCounts MODE COUNT`: the benchmarks' work COUNT times, after the same fixed warm-up whatever
// COUNT is, so that callgrind's instruction totals of a run with COUNT and a run with 0 differ by COUNT
// times the work alone (start-up, warm-up and teardown cancel). scripts/bench.sh runs it under
// `valgrind --tool=callgrind`; see docs/performance.md "Instruction counts".
//
//   llm-span        the seed LLM span on our tracer over the batch pipeline ("LLM span")
//   noop-span       the seed LLM span with the no-op tracer ("LLM span with the no-op tracer")
//   no-tracer-span  the seed LLM span with no tracer at all (nothing bootstrapped, no `withTracer`)
//   empty-span      `withLLMSpan { _ in }` with no tracer: no arguments, an empty body, the helper alone
//   empty-call      the same loop handing the empty body to a generic async function that only calls it,
//                   the baseline of empty-span (what passing a closure to any async function costs)
//   agent-traced    one agent run traced ("Agent run traced")
//   agent-untraced  one agent run untraced ("Agent run untraced")
//
// The top-level code is synchronous on purpose: an `async` main parks the main thread in libdispatch's
// `dispatch_main`, which waits in `sigsuspend`, and valgrind 3.19 (Debian 12's) crashes there. The work
// runs in a task instead, and the main thread waits for it on a semaphore.

let spanWarmup = 200
let agentWarmup = 3
let modes = ["llm-span", "noop-span", "no-tracer-span", "empty-span", "empty-call", "agent-traced", "agent-untraced"]

/// Calls `body`, and nothing else: `empty-call`'s stand-in for the helper, kept out of line.
@inline(never) nonisolated(nonsending) func callBody<T>(_ body: nonisolated(nonsending) (Int) async throws -> T) async rethrows -> T {
    try await body(0)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, modes.contains(arguments[1]), let count = Int(arguments[2]), count >= 0 else {
    FileHandle.standardError.write(Data("usage: InstructionCounts \(modes.joined(separator: "|")) COUNT\n".utf8))
    exit(64)
}

/// Runs `mode`'s work: the warm-up, then `count` repetitions.
func run(_ mode: String, count: Int) async throws {
    switch mode {
    case "llm-span":
        let pipeline = BatchPipeline()
        pipeline.start()
        await withTracer(pipeline.tracer) {
            await SeedSpan.record(spanWarmup)
            await SeedSpan.record(count)
        }
        try await pipeline.stop()
    case "noop-span":
        await withTracer(NoOpTracer()) {
            await SeedSpan.record(spanWarmup)
            await SeedSpan.record(count)
        }
    case "no-tracer-span":
        await SeedSpan.record(spanWarmup)
        await SeedSpan.record(count)
    case "empty-span":
        for _ in 0..<(spanWarmup + count) { await withLLMSpan { _ in } }
    case "empty-call":
        for _ in 0..<(spanWarmup + count) { await callBody { _ in } }
    default:
        let model = ScriptedHTTPServer(
            [.json(AgentReplies.toolCall), .json(AgentReplies.toolCall), .json(AgentReplies.answer)],
            cycle: true,
            recordRequests: false
        )
        let agent = AgentBench()
        try await agent.prepare(model: model)
        if mode == "agent-traced" {
            agent.pipeline.start()
            await withTracer(agent.pipeline.tracer) {
                for _ in 0..<(agentWarmup + count) { await agent.run() }
            }
            try await agent.pipeline.stop()
        } else {
            await withTracer(NoOpTracer()) {
                for _ in 0..<(agentWarmup + count) { await agent.run() }
            }
        }
        try await model.stop()
    }
}

let finished = DispatchSemaphore(value: 0)
let mode = arguments[1]
Task.detached {
    do {
        try await run(mode, count: count)
    } catch {
        FileHandle.standardError.write(Data("InstructionCounts: \(error)\n".utf8))
        exit(1)
    }
    finished.signal()
}
finished.wait()
