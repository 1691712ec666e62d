import Benchmark
import BenchmarkWorkloads
import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackAgent
import StackLLM
import StackTestSupport
import Tracing

/// The benchmarks `make bench` runs (scripts/bench.sh reads their p50s). Figures are per iteration; the
/// span benchmarks record 1 000 spans an iteration.
let benchmarks: @Sendable () -> Void = {
    // BENCH_SECONDS: how long each timed benchmark runs (5 s by default).
    let seconds = ProcessInfo.processInfo.environment["BENCH_SECONDS"].flatMap(Int.init) ?? 5
    Benchmark.defaultConfiguration.maxDuration = .seconds(seconds)
    Benchmark.defaultConfiguration.maxIterations = 100_000
    let spans = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo
    )

    let pipeline = BatchPipeline()
    Benchmark(
        "LLM span",
        configuration: spans,
        closure: { benchmark in
            await withTracer(pipeline.tracer) { await SeedSpan.record(benchmark.scaledIterations.count) }
        },
        setup: { pipeline.start() },
        teardown: { try await pipeline.stop() }
    )

    Benchmark("LLM span with the no-op tracer", configuration: spans) { benchmark in
        await withTracer(NoOpTracer()) { await SeedSpan.record(benchmark.scaledIterations.count) }
    }

    // Memory held for each finished span waiting in a batch processor's queue (its export loop is not
    // running, so nothing leaves): the span's encoded attributes, its fields, its queue slot and the
    // allocator's overhead, as the growth of resident memory over 20 000 queued spans.
    Benchmark(
        "Queued span memory",
        configuration: .init(metrics: [.custom("bytes per queued span", useScalingFactor: false)], warmupIterations: 0, maxIterations: 1)
    ) { benchmark in
        let count = 20_000
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = count
        let processor = BatchSpanProcessor(exporter: DiscardingExporter(), configuration: configuration)
        let before = residentBytes()
        await withTracer(StackTracer(processor: processor)) {
            await SeedSpan.record(count)
        }
        let after = residentBytes()
        benchmark.measurement(.custom("bytes per queued span", useScalingFactor: false), (after - before) / count)
        withExtendedLifetime(processor) {}
    }

    let sink = ScriptedHTTPServer([.json("{}")], cycle: true, recordRequests: false)
    let batch = ExportBatch()
    Benchmark(
        "Export of a 512-span batch",
        configuration: .init(metrics: [.wallClock, .throughput]),
        closure: { _ in
            do { try await batch.exporter.withLock { $0 }?.export(batch.spans.withLock { $0 }) } catch { fatalError("\(error)") }
        },
        setup: { try await batch.prepare(sink: sink) },
        teardown: { try await sink.stop() }
    )

    let model = ScriptedHTTPServer(
        [.json(AgentReplies.toolCall), .json(AgentReplies.toolCall), .json(AgentReplies.answer)], cycle: true, recordRequests: false)
    let agent = AgentBench()
    let agentRuns = Benchmark.Configuration(metrics: [.wallClock], maxDuration: .seconds(8))
    Benchmark(
        "Agent run traced",
        configuration: agentRuns,
        closure: { _ in
            await withTracer(agent.pipeline.tracer) { await agent.run() }
        },
        setup: {
            try await agent.prepare(model: model)
            agent.pipeline.start()
        },
        teardown: { try await agent.pipeline.stop() }
    )
    Benchmark(
        "Agent run untraced",
        configuration: agentRuns,
        closure: { _ in
            await withTracer(NoOpTracer()) { await agent.run() }
        },
        setup: { try await agent.prepare(model: model) }
    )

    // Memory flat over a long run: BENCH_SOAK_SPANS seed spans (10 000 000 by default), one iteration.
    let soakSpans = ProcessInfo.processInfo.environment["BENCH_SOAK_SPANS"].flatMap(Int.init) ?? 10_000_000
    let growth = BenchmarkMetric.custom("RSS growth after the first tenth (KB)", useScalingFactor: false)
    let end = BenchmarkMetric.custom("RSS at the end (KB)", useScalingFactor: false)
    let dropped = BenchmarkMetric.custom("spans dropped", useScalingFactor: false)
    Benchmark(
        "Memory over a long run",
        configuration: .init(metrics: [growth, end, dropped], warmupIterations: 0, maxDuration: .seconds(3600), maxIterations: 1)
    ) { benchmark in
        do {
            let result = try await soak(spans: soakSpans)
            benchmark.measurement(growth, result.growthKB)
            benchmark.measurement(end, result.endKB)
            benchmark.measurement(dropped, result.dropped)
        } catch {
            fatalError("soak failed: \(error)")
        }
    }
}
