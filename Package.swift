// swift-tools-version: 6.2
import PackageDescription

// The root package is the adoptable library: OpenInference conventions and span helpers, and a
// test-support product, on apple/swift-distributed-tracing alone. The application (span pipeline,
// components, `stack serve`, the CLI, benchmarks) is the package in `Stack/`, which depends on this one
// by path; see docs/architecture.md for why the two are separate packages.
let package = Package(
    name: "OpenInference",
    // `Synchronization.Mutex` sets the floor.
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        // Layer 1: OpenInference semantic conventions and span helpers.
        .library(name: "OpenInference", targets: ["OpenInference"]),
        // Every URLSession call to a known model API recorded as an OpenInference span (a URLProtocol).
        // A product of its own so that adopting OpenInference alone does not link FoundationNetworking
        // (and with it libcurl) on Linux.
        .library(name: "OpenInferenceURLSession", targets: ["OpenInferenceURLSession"]),
        // Trace assertions for an adopter's own tests, on swift-distributed-tracing's InMemoryTracing.
        .library(name: "OpenInferenceTesting", targets: ["OpenInferenceTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3")
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
            name: "OpenInferenceTesting",
            dependencies: [
                "OpenInference",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
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
