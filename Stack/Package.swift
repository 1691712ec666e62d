// swift-tools-version: 6.2
import PackageDescription

/// The OpenInference library of the root package.
let openInference: Target.Dependency = .product(name: "OpenInference", package: "OpenInference")
// The root package's products the application consumes as any adopter would (their traits are enabled below).
let telemetry: Target.Dependency = .product(name: "OpenInferenceTelemetry", package: "OpenInference")
let phoenixClient: Target.Dependency = .product(name: "PhoenixClient", package: "OpenInference")
let openInferenceMCP: Target.Dependency = .product(name: "OpenInferenceMCP", package: "OpenInference")
// Support modules of those products, underscored: not for adopters.
let http: Target.Dependency = .product(name: "_OpenInferenceHTTP", package: "OpenInference")
let urlSessionSeam: Target.Dependency = .product(name: "OpenInferenceURLSession", package: "OpenInference")
let openAPISeam: Target.Dependency = .product(name: "OpenInferenceOpenAPI", package: "OpenInference")
let asyncHTTPClientSeam: Target.Dependency = .product(name: "OpenInferenceAsyncHTTPClient", package: "OpenInference")
let configuration: Target.Dependency = .product(name: "_OpenInferenceConfiguration", package: "OpenInference")

// The application: the components, `stack serve`, the CLI and the soak tools (the benchmarks are the
// Benchmarks package), consuming the span pipeline, the Phoenix client and MCP propagation as products
// of the root package, as an adopter would. The OpenInference library is the repository's root package, one folder up
// (see docs/architecture.md).
let package = Package(
    name: "Stack",
    platforms: [.macOS(.v15)],
    products: [
        // Layer 3: an OpenAI-compatible LLM client whose calls are LLM and EMBEDDING spans.
        .library(name: "StackLLM", targets: ["StackLLM"]),
        // Layer 3: tools with derived schemas and the tool-using agent loop.
        .library(name: "StackAgent", targets: ["StackAgent"]),
        // Layer 3: evaluators (code and LLM judges), traced as EVALUATOR spans, and the regression gate.
        .library(name: "StackEvaluation", targets: ["StackEvaluation"]),
        // Layer 3: hybrid retrieval (SQLite FTS5 BM25 + embeddings, RRF, rerank).
        .library(name: "StackRetrieval", targets: ["StackRetrieval"]),
        // Layer 3: MCP servers as the agent's tool source, and tools served over MCP, in one trace.
        .library(name: "StackMCP", targets: ["StackMCP"]),
        // Layer 4: the HTTP service (`stack serve`): agent runs, chat pass-through, feedback, metrics.
        .library(name: "StackService", targets: ["StackService"]),
        // Layer 4: the `stack` command-line tool.
        .executable(name: "stack", targets: ["StackCLI"]),
        // Test doubles (a scripted HTTP server, a manual clock), for tests and the benchmark package.
        .library(name: "StackTestSupport", targets: ["StackTestSupport"]),
    ],
    dependencies: [
        // The library and its adoptable products, with the traits that switch the products on.
        .package(name: "OpenInference", path: "..", traits: ["Telemetry", "Phoenix", "MCP", "OpenAPI", "AsyncHTTPClient"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "StackLLM",
            dependencies: [
                openInference, http, configuration,
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "StackAgent",
            dependencies: [openInference, "StackLLM", .product(name: "Metrics", package: "swift-metrics")]
        ),
        // Layer 3: MCP servers as a tool source, and the stack's tools served over MCP, one trace across processes.
        .target(
            name: "StackMCP",
            dependencies: [
                openInference, openInferenceMCP, "StackAgent", configuration, http,
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // `stack mcp --http`: the SDK's HTTP transport behind one Hummingbird route.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "StackEvaluation",
            dependencies: [openInference, "StackLLM", phoenixClient]
        ),
        .target(
            name: "StackRetrieval",
            dependencies: [
                openInference,
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "StackService",
            dependencies: [
                configuration, http,
                openInference, telemetry, "StackLLM", "StackAgent", phoenixClient, "StackEvaluation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The connection guard of `stack serve` sits in Hummingbird's NIO pipeline.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            // The chat page served at `/` (HTML, CSS, JavaScript; no build step, no external assets) and
            // the OpenAPI document served at `/openapi.json`.
            resources: [.copy("Resources/page"), .copy("Resources/openapi")]
        ),
        .executableTarget(
            name: "StackCLI",
            dependencies: [
                configuration, http,
                openInference, telemetry, "StackLLM", "StackAgent", "StackRetrieval", phoenixClient, "StackService", "StackMCP",
                "StackEvaluation", urlSessionSeam, openAPISeam, asyncHTTPClientSeam,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "StackBench",
            dependencies: [
                "StackTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/StackBench"
        ),
        .executableTarget(
            name: "StackChecks",
            dependencies: [openInference, phoenixClient, "StackService"],
            path: "Tools/StackChecks"
        ),
        .executableTarget(
            name: "ConformanceCalls",
            dependencies: [openInference, telemetry, "StackLLM"],
            path: "Examples/ConformanceCalls"
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: [openInference, telemetry],
            path: "Examples/QuickStart"
        ),
        .testTarget(
            name: "StackTelemetryTests",
            dependencies: [
                telemetry, openInference, "StackTestSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StackTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/StackTestSupport"
        ),
        .testTarget(
            name: "StackConfigurationTests",
            dependencies: [configuration, openInference]
        ),
        .testTarget(
            name: "StackSeamTests",
            dependencies: [
                openInference, openAPISeam, asyncHTTPClientSeam, "StackTestSupport",
                .product(name: "OpenInferenceTesting", package: "OpenInference"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StackHTTPTests",
            dependencies: [http]
        ),
        .testTarget(
            name: "StackLLMTests",
            dependencies: ["StackLLM", telemetry, openInference, "StackTestSupport"]
        ),
        .testTarget(
            name: "StackAgentTests",
            dependencies: ["StackAgent", "StackLLM", telemetry, openInference, "StackTestSupport"]
        ),
        .testTarget(
            name: "StackEvaluationTests",
            dependencies: [
                "StackEvaluation", "StackLLM", phoenixClient, openInference,
                .product(name: "OpenInferenceTesting", package: "OpenInference"),
            ]
        ),
        .testTarget(
            name: "StackRetrievalTests",
            dependencies: ["StackRetrieval", telemetry, openInference]
        ),
        .testTarget(
            name: "StackIntegrationTests",
            dependencies: [
                "StackAgent", "StackLLM", "StackRetrieval", telemetry, openInference, phoenixClient, "StackService",
                openAPISeam, asyncHTTPClientSeam,
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "StackServiceTests",
            dependencies: [
                "StackService", "StackAgent", "StackLLM", telemetry, openInference, phoenixClient, "StackTestSupport",
                "StackEvaluation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "StackFuzzTests",
            dependencies: [
                "StackService", "StackAgent", "StackLLM", telemetry, openInference, phoenixClient, "StackTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "StackMCPTests",
            dependencies: [
                "StackMCP", "StackAgent", "StackLLM", telemetry, openInference, openInferenceMCP, "StackTestSupport",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "StackMCPIntegrationTests",
            dependencies: [
                "StackMCP", "StackAgent", telemetry, openInference, phoenixClient, "StackTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "PhoenixClientTests",
            dependencies: [
                phoenixClient, openInference, "StackTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PhoenixIntegrationTests",
            dependencies: [telemetry, openInference, phoenixClient]
        ),
    ]
)
