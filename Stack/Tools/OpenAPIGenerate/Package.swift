// swift-tools-version: 6.2
import PackageDescription

// Only `make generate` builds this package: it runs swift-openapi-generator over the saved copy of
// Phoenix's OpenAPI document (Stack/OpenAPI) and writes Sources/PhoenixAPI. The Stack package itself
// depends on the committed output, so an ordinary build never compiles the generator.
let package = Package(
    name: "OpenAPIGenerate",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")
    ]
)
