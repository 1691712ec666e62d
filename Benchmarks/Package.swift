// swift-tools-version: 6.3
import PackageDescription

// The tracing benchmarks, on ordo-one/benchmark: `make bench` runs them (with Python's SDK on the same span)
// through `swift package benchmark`. A package of its own, like swift-nio's, so that neither the library's
// adopters nor `make test` build the benchmark harness. See docs/performance.md.
let package = Package(
    name: "StackBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Only the malloc interposer: the runtime interposer it would add on Linux is not needed here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The traits Stack/ enables: SwiftPM 6.3 resolves a trait-gated dependency (swift-mustache for
        // Phoenix) only when the root enables the trait too, so the two lists must agree.
        .package(name: "OpenInference", path: "..", traits: ["Telemetry", "Phoenix", "MCP", "OpenAPI", "AsyncHTTPClient"]),
        .package(name: "Stack", path: "../Stack"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The work the benchmarks measure (the seed span, the batch pipeline, the agent run), shared by the
        // timed benchmarks and the instruction counts.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                .product(name: "OpenInference", package: "OpenInference"),
                .product(name: "OpenInferenceTelemetry", package: "OpenInference"),
                .product(name: "StackLLM", package: "Stack"),
                .product(name: "StackAgent", package: "Stack"),
                .product(name: "StackTestSupport", package: "Stack"),
            ],
            path: "Sources/BenchmarkWorkloads"
        ),
        .executableTarget(
            name: "TracingBenchmarks",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OpenInference", package: "OpenInference"),
                .product(name: "OpenInferenceTelemetry", package: "OpenInference"),
                .product(name: "StackLLM", package: "Stack"),
                .product(name: "StackAgent", package: "Stack"),
                .product(name: "StackTestSupport", package: "Stack"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Benchmarks/TracingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `InstructionCounts MODE COUNT`: the same work a fixed number of times, for callgrind
        // (scripts/bench.sh). Outside Benchmarks/, so that `swift package benchmark` does not take it
        // for a benchmark.
        .executableTarget(
            name: "InstructionCounts",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "OpenInference", package: "OpenInference"),
                .product(name: "OpenInferenceTelemetry", package: "OpenInference"),
                .product(name: "StackTestSupport", package: "Stack"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/InstructionCounts"
        ),
        // `AgentRounds ROUNDS RUNS`: the agent tracing overhead by time, from interleaved rounds of traced
        // and untraced runs (scripts/bench.sh).
        .executableTarget(
            name: "AgentRounds",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "StackTestSupport", package: "Stack"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/AgentRounds"
        ),
        // `WireRounds ROUNDS CALLS`: the wire recorder's cost per call and its delay of a stream's first
        // chunk, from interleaved rounds of plain and recorded AsyncHTTPClient calls (scripts/bench.sh).
        .executableTarget(
            name: "WireRounds",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "OpenInference", package: "OpenInference"),
                .product(name: "OpenInferenceAsyncHTTPClient", package: "OpenInference"),
                .product(name: "StackTestSupport", package: "Stack"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/WireRounds"
        ),
    ]
)
