import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import StackAgent
import StackLLM
import StackService
import StackTelemetry

/// `stack serve`: the traced agent as an HTTP service (see ``StackAPI`` for the routes).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the traced agent over HTTP (agent runs, chat completions, feedback, /metrics).",
        discussion: """
            API keys come from STACK_API_KEYS (key=user-id[:admin],…) or STACK_API_KEYS_FILE; requests \
            without one get 401. Feedback tokens are keyed by STACK_FEEDBACK_SECRET or \
            STACK_FEEDBACK_SECRET_FILE (required; e.g. `openssl rand -hex 32`). STACK_PORT, STACK_HOST, \
            STACK_MAX_BODY_BYTES and STACK_FEEDBACK_QUEUE are described in the README.
            """
    )

    @Option(help: "The port to listen on (default STACK_PORT or 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "The address to listen on (default STACK_HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Model calls before the agent must answer.")
    var maxIterations = 3

    @Option(help: "The retrieval index (SQLite file); without one the agent has no search tool.")
    var index: String = CommandEnvironment.current.defaultIndexPath

    func run() async throws {
        CommandEnvironment.current.announce()
        var configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.fromEnvironment(CommandEnvironment.current.variables)
        } catch {
            throw ValidationError(error.description)
        }
        if let port { configuration.port = port }
        if let host { configuration.host = host }

        let telemetryConfiguration = TelemetryConfiguration.fromEnvironment(CommandEnvironment.current.variables, serviceName: "stack-serve")
        // Logging first, so telemetry's own warnings are logs like any other: they carry the active
        // span's trace_id and span_id and go to OTLP too when a logs endpoint is configured.
        let logBuffer = telemetryConfiguration.logsEndpoint.map { _ in OTLPLogBuffer(capacity: telemetryConfiguration.logQueueSize) }
        LoggingSystem.bootstrap(
            { label, provider in
                let console = StreamLogHandler.standardOutput(label: label, metadataProvider: provider)
                guard let logBuffer else { return console }
                return MultiplexLogHandler([console, OTLPLogHandler(label: label, buffer: logBuffer, metadataProvider: provider)])
            },
            metadataProvider: .traceContext
        )
        let telemetry = try Telemetry.bootstrap(telemetryConfiguration, logger: Logger(label: "stack.telemetry"), logBuffer: logBuffer)
        // Metrics are scraped at /metrics and pushed over OTLP when configured.
        let registry = PrometheusCollectorRegistry()
        let prometheus = PrometheusMetricsFactory(registry: registry)
        if let otlp = telemetry.metricsFactory {
            MetricsSystem.bootstrap(MultiplexMetricsHandler(factories: [prometheus, otlp]))
        } else {
            MetricsSystem.bootstrap(prometheus)
        }

        let client = try CommandEnvironment.current.llmClient()
        let agent = try await AgentOptions.makeAgent(index: index, client: client, maxIterations: maxIterations)
        let desk = FeedbackDesk(
            phoenix: try CommandEnvironment.current.phoenix(),
            projectName: telemetryConfiguration.projectName,
            queue: try FeedbackQueue(path: configuration.feedbackQueuePath),
            logger: Logger(label: "stack.feedback")
        )
        let api = StackAPI(
            agent: agent,
            client: client,
            feedback: desk,
            feedbackTokens: FeedbackTokenSigner(secret: configuration.feedbackSecret),
            metrics: registry,
            maxBodyBytes: configuration.maxBodyBytes,
            prompts: try CommandEnvironment.current.promptSource(logger: Logger(label: "stack.prompts")),
            logger: Logger(label: "stack.api")
        )
        let logger = Logger(label: "stack.serve")
        let app = Application(
            router: api.router(keys: configuration.apiKeys),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "stack"),
            services: [FeedbackDeliveryService(desk: desk)],
            onServerRunning: { channel in
                logger.info("stack serve is listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            },
            logger: logger
        )
        // Shut down in reverse: the server drains first, then telemetry flushes the last spans.
        let group = ServiceGroup(
            configuration: .init(services: [telemetry, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
