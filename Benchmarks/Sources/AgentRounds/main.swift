import BenchmarkWorkloads
import Foundation
import StackTestSupport
import Tracing

// `AgentRounds ROUNDS RUNS`: the agent tracing overhead by time, from interleaved rounds. Each round runs
// RUNS agent runs traced and RUNS untraced, in alternating order (traced first in even rounds, untraced
// first in odd ones), against the same in-process model server as the "Agent run" benchmarks, and takes
// the difference of the two means: a slowdown of the machine while a round runs affects both halves of
// that round, where the separate benchmarks measure traced and untraced minutes apart. Prints the median
// of the rounds' differences as a percentage of their untraced mean, with the quartiles of those
// percentages (the spread), for scripts/bench.sh; see docs/performance.md.
//
// Synchronous top level waiting on a task, as InstructionCounts (no `dispatch_main`).

let arguments = CommandLine.arguments
guard arguments.count == 3, let rounds = Int(arguments[1]), let runs = Int(arguments[2]), rounds > 0, runs > 0 else {
    FileHandle.standardError.write(Data("usage: AgentRounds ROUNDS RUNS\n".utf8))
    exit(64)
}

func measure() async throws {
    let model = ScriptedHTTPServer(
        [.json(AgentReplies.toolCall), .json(AgentReplies.toolCall), .json(AgentReplies.answer)],
        cycle: true,
        recordRequests: false
    )
    let agent = AgentBench()
    try await agent.prepare(model: model)
    agent.pipeline.start()
    let clock = ContinuousClock()

    /// Mean microseconds of one run, over `runs` runs.
    func timed(traced: Bool) async -> Double {
        let start = clock.now
        if traced {
            await withTracer(agent.pipeline.tracer) { for _ in 0..<runs { await agent.run() } }
        } else {
            await withTracer(NoOpTracer()) { for _ in 0..<runs { await agent.run() } }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1e6 / Double(runs)
    }

    _ = await timed(traced: true)  // warm-up: connections, caches, the pipeline's buffers
    _ = await timed(traced: false)
    var traced: [Double] = []
    var untraced: [Double] = []
    var overheads: [Double] = []
    for round in 0..<rounds {
        let pair: (traced: Double, untraced: Double)
        if round.isMultiple(of: 2) {
            let t = await timed(traced: true)
            pair = (t, await timed(traced: false))
        } else {
            let u = await timed(traced: false)
            pair = (await timed(traced: true), u)
        }
        traced.append(pair.traced)
        untraced.append(pair.untraced)
        overheads.append((pair.traced - pair.untraced) / pair.untraced * 100)
    }
    try await agent.pipeline.stop()
    try await model.stop()

    print("agent_rounds: \(rounds) x \(runs) runs each way")
    print("agent_traced_us_per_run_interleaved: \(String(format: "%.1f", quantile(traced, 0.5)))")
    print("agent_untraced_us_per_run_interleaved: \(String(format: "%.1f", quantile(untraced, 0.5)))")
    print("agent_tracing_overhead_pct: \(String(format: "%.2f", quantile(overheads, 0.5)))")
    print("agent_tracing_overhead_pct_p25: \(String(format: "%.2f", quantile(overheads, 0.25)))")
    print("agent_tracing_overhead_pct_p75: \(String(format: "%.2f", quantile(overheads, 0.75)))")
}

let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        try await measure()
    } catch {
        FileHandle.standardError.write(Data("AgentRounds: \(error)\n".utf8))
        exit(1)
    }
    finished.signal()
}
finished.wait()
