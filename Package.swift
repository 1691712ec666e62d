// swift-tools-version: 6.2
import PackageDescription

// The root package is what adopters depend on by URL. `OpenInference` (conventions, span helpers, the
// wire recorder) and `OpenInferenceTesting` are on apple/swift-distributed-tracing alone, and so is
// `OpenInferenceURLSession`. Every other product brings its dependencies only when its package trait is
// enabled, as swift-otel gates its exporters: with the traits off (the default) SwiftPM leaves those
// dependencies out of an adopter's resolution, and the product's module compiles to nothing. The
// application (`stack serve`, the CLI, the agent and retrieval) is the package in `Stack/`, which enables
// the traits and consumes these products as any adopter would; see docs/architecture.md.
let package = Package(
    name: "OpenInference",
    // `Synchronization.Mutex` sets the floor.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        // Layer 1: OpenInference semantic conventions, span helpers and the wire recorder.
        .library(name: "OpenInference", targets: ["OpenInference"]),
        // Every URLSession call to a known model API recorded as an OpenInference span (a URLProtocol).
        // A product of its own so that adopting OpenInference alone does not link FoundationNetworking
        // (and with it libcurl) on Linux.
        .library(name: "OpenInferenceURLSession", targets: ["OpenInferenceURLSession"]),
        // Trace assertions for an adopter's own tests, on swift-distributed-tracing's InMemoryTracing.
        .library(name: "OpenInferenceTesting", targets: ["OpenInferenceTesting"]),
        // Trait `OpenAPI`: a swift-openapi-runtime `ClientMiddleware` recording generated clients' model calls.
        .library(name: "OpenInferenceOpenAPI", targets: ["OpenInferenceOpenAPI"]),
        // Trait `AsyncHTTPClient`: `HTTPClient.executeRecorded`, a recorded way to execute a request.
        .library(name: "OpenInferenceAsyncHTTPClient", targets: ["OpenInferenceAsyncHTTPClient"]),
        // Trait `Telemetry`: the span pipeline (tracer, tail sampling, batching, spool, OTLP/HTTP export of
        // traces, metrics and logs) with a one-call bootstrap to Phoenix or any OTLP backend.
        .library(name: "OpenInferenceTelemetry", targets: ["OpenInferenceTelemetry"]),
        // Trait `Phoenix`: a client for Phoenix's REST API (spans, annotations, prompts, datasets, experiments).
        .library(name: "PhoenixClient", targets: ["PhoenixClient"]),
        // Trait `MCP`: W3C trace context through MCP requests' `_meta`, for modelcontextprotocol/swift-sdk
        // clients and servers, as openinference-instrumentation-mcp carries it.
        .library(name: "OpenInferenceMCP", targets: ["OpenInferenceMCP"]),
        // Support of the products above (environment reading, HTTP retries), underscored: not for adopters,
        // public only so that the application in `Stack/` can share them. Their API may change at any time.
        .library(name: "_OpenInferenceHTTP", targets: ["_OpenInferenceHTTP"]),
        .library(name: "_OpenInferenceConfiguration", targets: ["_OpenInferenceConfiguration"]),
    ],
    traits: [
        .trait(name: "OpenAPI", description: "The OpenInferenceOpenAPI product: the wire recorder as a swift-openapi-runtime middleware."),
        .trait(name: "AsyncHTTPClient", description: "The OpenInferenceAsyncHTTPClient product: the wire recorder for AsyncHTTPClient."),
        .trait(name: "Telemetry", description: "The OpenInferenceTelemetry product: span pipeline and OTLP/HTTP export."),
        .trait(name: "Phoenix", description: "The PhoenixClient product: Phoenix's REST API."),
        .trait(name: "MCP", description: "The OpenInferenceMCP product: trace propagation for modelcontextprotocol/swift-sdk."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // Telemetry, Phoenix and AsyncHTTPClient
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Telemetry
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Phoenix and OpenAPI
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // MCP
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(
            name: "OpenInference",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing")
            ]
        ),
        .target(
            name: "OpenInferenceURLSession",
            dependencies: [
                "OpenInference",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "OpenInferenceOpenAPI",
            dependencies: [
                "OpenInference",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime", condition: .when(traits: ["OpenAPI"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["OpenAPI"])),
            ]
        ),
        .target(
            name: "OpenInferenceAsyncHTTPClient",
            dependencies: [
                "OpenInference",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["AsyncHTTPClient"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["AsyncHTTPClient"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["AsyncHTTPClient"])),
            ]
        ),
        .target(
            name: "OpenInferenceTesting",
            dependencies: [
                "OpenInference",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "_OpenInferenceConfiguration",
            dependencies: [
                "OpenInference",
                .product(name: "Configuration", package: "swift-configuration", condition: .when(traits: ["Telemetry", "Phoenix"])),
            ]
        ),
        .target(
            name: "_OpenInferenceHTTP",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Telemetry", "Phoenix"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Telemetry", "Phoenix"])),
            ]
        ),
        .target(
            name: "OpenInferenceTelemetry",
            dependencies: [
                "OpenInference", "_OpenInferenceHTTP", "_OpenInferenceConfiguration",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context", condition: .when(traits: ["Telemetry"])),
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Telemetry"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Telemetry"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Telemetry"])),
                .product(name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["Telemetry"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Telemetry"])),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["Telemetry"])),
            ]
        ),
        .target(
            // Generated by `make generate` from Stack/OpenAPI (package access only): Phoenix's REST API as Swift.
            name: "PhoenixAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime", condition: .when(traits: ["Phoenix"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Phoenix"])),
            ]
        ),
        .target(
            name: "PhoenixClient",
            dependencies: [
                "OpenInference", "PhoenixAPI", "_OpenInferenceHTTP", "_OpenInferenceConfiguration",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime", condition: .when(traits: ["Phoenix"])),
                .product(
                    name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client", condition: .when(traits: ["Phoenix"])
                ),
                .product(name: "Mustache", package: "swift-mustache", condition: .when(traits: ["Phoenix"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Phoenix"])),
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Phoenix"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Phoenix"])),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["Phoenix"])),
            ]
        ),
        .target(
            name: "OpenInferenceMCP",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "MCP", package: "swift-sdk", condition: .when(traits: ["MCP"])),
            ]
        ),
        .testTarget(
            name: "OpenInferenceTests",
            dependencies: [
                "OpenInference", "OpenInferenceTesting",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            // What the reference Python packages define, saved by scripts/refresh-semconv-keys.sh.
            resources: [.copy("Resources/semconv-keys.txt"), .copy("Resources/masking-cases.json")]
        ),
        .testTarget(
            name: "OpenInferenceURLSessionTests",
            dependencies: [
                "OpenInference", "OpenInferenceURLSession", "OpenInferenceTesting",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)
