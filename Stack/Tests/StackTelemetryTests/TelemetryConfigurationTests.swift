import Logging
import OpenInferenceTelemetry
import ServiceLifecycle
import Testing

@Suite("Configuration from the environment")
struct TelemetryConfigurationTests {
    @Test("Defaults send to a local Phoenix, project default, everything sampled")
    func defaults() throws {
        let config = TelemetryConfiguration.fromEnvironment([:], serviceName: "svc")
        #expect(config.endpoint == "http://localhost:6006/v1/traces")
        #expect(config.projectName == "default")
        #expect(config.serviceName == "svc")
        #expect(config.exporters == [.otlp])
        #expect(config.isEnabled)
        #expect(config.diagnostics.isEmpty)
    }

    @Test("PHOENIX_COLLECTOR_ENDPOINT wins, and gets /v1/traces when it names only the server")
    func phoenixEndpoint() {
        let base = TelemetryConfiguration.fromEnvironment([
            "PHOENIX_COLLECTOR_ENDPOINT": "http://phoenix:6006/",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://other:4318/v1/traces",
        ])
        #expect(base.endpoint == "http://phoenix:6006/v1/traces")
        let full = TelemetryConfiguration.fromEnvironment(["PHOENIX_COLLECTOR_ENDPOINT": "http://phoenix:6006/v1/traces"])
        #expect(full.endpoint == "http://phoenix:6006/v1/traces")
        let otel = TelemetryConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"])
        #expect(otel.endpoint == "http://collector:4318/v1/traces")
    }

    @Test("Project, API key and client headers are read; the key becomes a bearer token")
    func projectAndHeaders() {
        let config = TelemetryConfiguration.fromEnvironment([
            "PHOENIX_PROJECT_NAME": "agents",
            "PHOENIX_API_KEY": "px-key",
            "PHOENIX_CLIENT_HEADERS": "x-team=search%20infra,x-env=prod",
        ])
        #expect(config.projectName == "agents")
        let headers = Dictionary(uniqueKeysWithValues: config.headers.map { ($0.name, $0.value) })
        #expect(headers["authorization"] == "Bearer px-key")
        #expect(headers["x-team"] == "search infra")
        #expect(headers["x-env"] == "prod")
    }

    @Test("Sampler variables choose the head sampler; bad values are reported without secrets")
    func samplerAndDiagnostics() {
        let config = TelemetryConfiguration.fromEnvironment([
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": "0.01",
            "OTEL_BSP_MAX_QUEUE_SIZE": "lots",
            "OTEL_EXPORTER_OTLP_HEADERS": "sk-very-secret",
            "OTEL_TRACES_EXPORTER": "console,zipkin",
        ])
        let sampler = config.sampler as? ParentBasedSampler
        #expect((sampler?.root as? TraceIDRatioSampler)?.ratio == 0.01)
        #expect(config.exporters == [.console])
        #expect(config.batch.maxQueueSize == 2048)
        #expect(config.diagnostics.count == 3)
        #expect(config.diagnostics.contains { $0.contains("OTEL_BSP_MAX_QUEUE_SIZE=lots is not valid: use a positive whole number") })
        #expect(!config.diagnostics.joined().contains("sk-very-secret"))
    }

    @Test("An invalid endpoint is refused with a message that names the variable and a fix")
    func invalidEndpoint() {
        let config = TelemetryConfiguration.fromEnvironment(["PHOENIX_COLLECTOR_ENDPOINT": "localhost:6006"])
        #expect {
            _ = try Telemetry(configuration: config)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("PHOENIX_COLLECTOR_ENDPOINT") && message.contains("http://localhost:6006/v1/traces")
        }
    }

    @Test("OTEL_SDK_DISABLED records nothing")
    func disabled() throws {
        let config = TelemetryConfiguration.fromEnvironment(["OTEL_SDK_DISABLED": "true"])
        let telemetry = try Telemetry(configuration: config)
        #expect(telemetry.batchProcessors.isEmpty)
        let span = telemetry.tracer.startSpan("x")
        #expect(!span.isRecording)
        span.end()
    }

    @Test("With OTEL_SDK_DISABLED the telemetry service runs until graceful shutdown, so its group does not fail")
    func disabledServiceRunsUntilShutdown() async throws {
        let telemetry = try Telemetry(configuration: .fromEnvironment(["OTEL_SDK_DISABLED": "true"]))
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: telemetry), .init(service: ShutdownAfterAWhile(), successTerminationBehavior: .gracefullyShutdownGroup)],
                logger: Logger(label: "test"))
        )
        // A telemetry service that returned at once would end the group with serviceFinishedUnexpectedly.
        try await group.run()
    }
}

/// Ends a little after it starts; its group then shuts down gracefully.
private struct ShutdownAfterAWhile: Service {
    func run() async throws {
        try await Task.sleep(for: .milliseconds(200))
    }
}
