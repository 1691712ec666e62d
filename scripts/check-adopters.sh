#!/usr/bin/env bash
# An adopter of each product, as a scratch package that depends on this repository and enables that
# product's trait alone: it must resolve only what the product needs, and build.
#
#   scripts/check-adopters.sh [DIR]    # DIR holds the scratch packages (default: a temporary folder)
#
# `OpenInference` and `OpenInferenceURLSession` with no trait must resolve swift-distributed-tracing and
# nothing else. A product with its trait must not resolve what only the other products, or the
# application in Stack/, use. Each scratch package builds a line that uses its product's API, so a
# source file missing its `#if TRAIT` shows here rather than in an adopter's build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
# One build folder for all of them: the packages they share (swift-nio, async-http-client, ...) build once.

# What the application alone uses; no product may bring it.
application_only="hummingbird GRDB.swift swift-prometheus swift-argument-parser swift-property-based swift-docc-plugin benchmark"

# check NAME TRAIT PRODUCT IMPORTS CODE ALLOWED|- FORBIDDEN
#   ALLOWED: the exact set of packages it may resolve ("-" for no exact set); FORBIDDEN: packages it must not.
check() {
  local name="$1" trait="$2" product="$3" imports="$4" code="$5" exact="$6" forbidden="$7"
  local dir="$work/$name" traits=""
  [ -n "$trait" ] && traits=", traits: [\"$trait\"]"
  rm -rf "$dir/Sources" "$dir/Package.swift" "$dir/Package.resolved"
  mkdir -p "$dir/Sources/Adopter"
  cat > "$dir/Package.swift" <<SWIFT
// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Adopter",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "OpenInference", path: "$root"$traits)],
    targets: [.target(name: "Adopter", dependencies: [.product(name: "$product", package: "OpenInference")])]
)
SWIFT
  {
    for module in $imports; do printf 'import %s\n' "$module"; done
    printf '\n%s\n' "$code"
  } > "$dir/Sources/Adopter/Adopter.swift"
  (cd "$dir" && swift package resolve >"$dir/resolve.log" 2>&1) || { cat "$dir/resolve.log" >&2; die "$name: swift package resolve failed"; }
  local resolved
  resolved="$(python3 -c 'import json,sys; print(" ".join(sorted(p["identity"] for p in json.load(open(sys.argv[1])).get("pins", []))))' "$dir/Package.resolved" 2>/dev/null || true)"
  if [ "$exact" != "-" ] && [ "$resolved" != "$exact" ]; then
    die "$name resolves [$resolved], expected exactly [$exact]"
  fi
  local package
  for package in $forbidden $application_only; do
    package="$(printf '%s' "$package" | tr '[:upper:]' '[:lower:]')"
    case " $resolved " in *" $package "*) die "$name resolves $package, which $product does not need (all: $resolved)" ;; esac
  done
  local started=$SECONDS
  (cd "$dir" && swift build --scratch-path "$work/.build" >"$dir/build.log" 2>&1) || { tail -40 "$dir/build.log" >&2; die "$name does not build"; }
  if grep -q "warning:" "$dir/build.log"; then
    grep "warning:" "$dir/build.log" | grep -v "found 1 file(s) which are unhandled" >&2 && die "$name builds with warnings" || true
  fi
  log "$name: $(printf '%s' "$resolved" | wc -w | tr -d ' ') packages resolved, built in $((SECONDS - started)) s"
}

check telemetry Telemetry OpenInferenceTelemetry "OpenInferenceTelemetry" \
  'public func configuration() -> TelemetryConfiguration { .fromEnvironment(serviceName: "adopter") }' \
  - "swift-sdk eventsource swift-openapi-runtime swift-openapi-async-http-client swift-mustache"

check phoenix Phoenix PhoenixClient "Foundation PhoenixClient" \
  'public func client(_ url: URL) -> PhoenixClient { PhoenixClient(baseURL: url) }' \
  - "swift-sdk eventsource swift-w3c-trace-context swift-metrics"

check mcp MCP OpenInferenceMCP "OpenInferenceMCP" \
  'public func carriesContext() -> Bool { TraceContextMetadata.injecting() != nil }' \
  - "async-http-client swift-configuration swift-openapi-runtime swift-openapi-async-http-client swift-mustache swift-w3c-trace-context swift-metrics swift-nio-ssl"

check openapi OpenAPI OpenInferenceOpenAPI "OpenAPIRuntime OpenInferenceOpenAPI" \
  'public func middlewares() -> [any ClientMiddleware] { [OpenInferenceClientMiddleware()] }' \
  - "async-http-client swift-nio swift-log swift-sdk eventsource swift-configuration swift-metrics swift-service-lifecycle swift-w3c-trace-context swift-mustache"

# async-http-client 1.37 itself brings swift-configuration (no traits) and swift-service-lifecycle.
check asynchttpclient AsyncHTTPClient OpenInferenceAsyncHTTPClient "AsyncHTTPClient OpenInferenceAsyncHTTPClient" \
  'public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse { try await HTTPClient.shared.executeRecorded(request, timeout: .seconds(30)) }' \
  - "swift-openapi-runtime swift-openapi-async-http-client swift-sdk eventsource swift-metrics swift-w3c-trace-context swift-mustache"

check openinference "" OpenInference "OpenInference" \
  'public func answer() async -> String { await withLLMSpan(model: "m", system: "openai", messages: [.user("hi")]) { _ in "hello" } }' \
  "swift-distributed-tracing" ""

check urlsession "" OpenInferenceURLSession "Foundation OpenInferenceURLSession" \
  '#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public func configured() -> URLSessionConfiguration {
    let configuration = URLSessionConfiguration.default
    configuration.recordOpenInferenceSpans()
    return configuration
}' \
  "swift-distributed-tracing" ""
