import BenchmarkWorkloads
import Foundation
import StackTelemetry
import StackTestSupport
import Tracing

// `InstructionCounts MODE COUNT`: the benchmarks' work COUNT times, after the same fixed warm-up whatever
// COUNT is, so that callgrind's instruction totals of a run with COUNT and a run with 0 differ by COUNT
// times the work alone (start-up, warm-up and teardown cancel). scripts/bench.sh runs it under
// `valgrind --tool=callgrind`; see docs/performance.md "Instruction counts".
//
//   llm-span        the seed LLM span on our tracer over the batch pipeline ("LLM span")
//   noop-span       the seed LLM span with the no-op tracer ("LLM span with the no-op tracer")
//   agent-traced    one agent run traced ("Agent run traced")
//   agent-untraced  one agent run untraced ("Agent run untraced")

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]), count >= 0 else {
    FileHandle.standardError.write(Data("usage: InstructionCounts llm-span|noop-span|agent-traced|agent-untraced COUNT\n".utf8))
    exit(64)
}
let spanWarmup = 200
let agentWarmup = 3

switch arguments[1] {
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
case "agent-traced", "agent-untraced":
    let model = ScriptedHTTPServer(
        [.json(AgentReplies.toolCall), .json(AgentReplies.toolCall), .json(AgentReplies.answer)],
        cycle: true,
        recordRequests: false
    )
    let agent = AgentBench()
    try await agent.prepare(model: model)
    if arguments[1] == "agent-traced" {
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
default:
    FileHandle.standardError.write(Data("InstructionCounts: unknown mode \(arguments[1])\n".utf8))
    exit(64)
}
