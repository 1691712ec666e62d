// swift-tools-version: 6.2
import PackageDescription

// A benchmark-only package: the seed LLM span recorded with the OpenInference helpers on swift-otel's
// tracer, beside the same attributes set directly on swift-otel's span (docs/performance.md,
// `make bench`). Neither the adoptable OpenInference library (the repository root) nor the `Stack/`
// application depends on it, so adopters never resolve swift-otel and `make test` never builds it.
let package = Package(
    name: "SwiftOTelBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The OpenInference library: the repository root, three folders up.
        .package(name: "OpenInference", path: "../../.."),
        // swift-otel 1.6.0 needs one exporter trait to compile; OTLP/HTTP is the lighter one.
        .package(url: "https://github.com/swift-otel/swift-otel", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "SwiftOTelBench",
            dependencies: [
                .product(name: "OpenInference", package: "OpenInference"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ]
)
