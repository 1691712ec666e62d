import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import OpenInferenceTelemetry
import Prometheus
import ServiceLifecycle
import StackAgent
import StackLLM
import StackMCP
import StackService
import _OpenInferenceHTTP

/// `stack serve`: the traced agent as an HTTP service (see ``StackAPI`` for the routes).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the traced agent over HTTP (a chat page, agent runs, chat completions, feedback, /metrics).",
        discussion: """
            API keys come from STACK_API_KEYS (key=user-id[:admin],…) or STACK_API_KEYS_FILE; requests \
            without one get 401. Feedback tokens are keyed by STACK_FEEDBACK_SECRET or \
            STACK_FEEDBACK_SECRET_FILE (required; e.g. `openssl rand -hex 32`). STACK_PORT, STACK_HOST, \
            STACK_MAX_BODY_BYTES, STACK_ALLOWED_HOSTS, STACK_HEADER_TIMEOUT, STACK_READ_TIMEOUT, STACK_IDLE_TIMEOUT, STACK_FEEDBACK_QUEUE, the chat page's STACK_PAGE (auto: on for \
            loopback addresses; on; off), STACK_PAGE_USER, STACK_PAGE_TOKEN_TTL and STACK_PAGE_RATE, and \
            online evaluation's STACK_ONLINE_EVAL_RATIO (0 to 1, default 0: off) and its bounds are \
            described in the README.
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
        // A service does not start on a setting it cannot read: masking or export would silently differ.
        let unreadable = CommandEnvironment.current.traceConfigIssues + telemetryConfiguration.diagnostics
        if !unreadable.isEmpty {
            throw ValidationError(
                "stack serve does not start on settings it cannot read; fix or unset each: " + unreadable.joined(separator: " | ")
            )
        }
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

        // A model server's error body is redacted of the service's own keys too, before any span has it.
        var clientConfiguration = try LLMClientConfiguration.fromEnvironment(CommandEnvironment.current.variables)
        clientConfiguration.redactedSecrets = configuration.apiKeys.keysToRedact
        let client = LLMClient(configuration: clientConfiguration)
        let phoenix = try CommandEnvironment.current.phoenix()
        // STACK_MCP_SERVERS: started before the agent (their tools join its registry), closed after the
        // HTTP server has drained.
        let mcpConfiguration = try CommandEnvironment.current.mcpConfiguration()
        let mcp = await MCPServerSet.start(
            mcpConfiguration.servers,
            environment: CommandEnvironment.current.mcpServerEnvironment,
            configuration: mcpConfiguration,
            logger: Logger(label: "stack.mcp")
        )
        let agent: Agent
        do {
            agent = try await AgentOptions.makeAgent(index: index, client: client, maxIterations: maxIterations, mcp: mcp)
        } catch {
            await mcp.close()
            throw error
        }
        let desk = FeedbackDesk(
            phoenix: phoenix,
            projectName: telemetryConfiguration.projectName,
            queue: try FeedbackQueue(path: configuration.feedbackQueuePath),
            maxWait: configuration.feedbackMaxWait,
            logger: Logger(label: "stack.feedback")
        )
        let signer = FeedbackTokenSigner(secret: configuration.feedbackSecret)
        // The chat page at `/`: on for loopback addresses unless STACK_PAGE says otherwise.
        // Its passages come from the same index as the agent's search tool.
        let retrieval = try await Retrieval.open(at: index, client: client)
        let search = retrieval.map { retrieval in { @Sendable (query: String, limit: Int) in try await retrieval.search(query, limit: limit) } }
        let page =
            configuration.page.isEnabled(host: configuration.host)
            ? ChatPage(configuration: configuration.page, signer: signer, phoenixURL: phoenix.baseURL, search: search) : nil
        var api = StackAPI(
            agent: agent,
            client: client,
            feedback: desk,
            feedbackTokens: signer,
            metrics: registry,
            maxBodyBytes: configuration.maxBodyBytes,
            page: page,
            prompts: try CommandEnvironment.current.promptSource(logger: Logger(label: "stack.prompts")),
            logger: Logger(label: "stack.api")
        )
        // STACK_ONLINE_EVAL_RATIO: a sampled share of answers is evaluated in the background, judged by the same model.
        let onlineEvaluator =
            configuration.onlineEvaluation.isEnabled
            ? OnlineEvaluator(
                configuration: configuration.onlineEvaluation, phoenix: phoenix, projectName: telemetryConfiguration.projectName,
                judge: { try await client.chat($0).message.content ?? "" }, logger: Logger(label: "stack.online-eval")
            ) : nil
        api.onlineEvaluator = onlineEvaluator
        // DNS rebinding: only this address's own names (and STACK_ALLOWED_HOSTS) in Host and Origin.
        api.allowedHosts = AllowedHosts(listeningOn: configuration.host, port: configuration.port, extra: configuration.allowedHosts)
        let logger = Logger(label: "stack.serve")
        let pageHost = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let app = Application(
            router: api.router(keys: configuration.apiKeys),
            // Trickled or idle connections are closed, and so is one NIO could not parse (STACK_*_TIMEOUT).
            server: .guardedHTTP1(timeouts: configuration.timeouts),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "stack"),
            services: [FeedbackDeliveryService(desk: desk)],
            onServerRunning: { channel in
                logger.info("stack serve is listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                if page != nil, let port = channel.localAddress?.port {
                    logger.info("chat page: http://\(pageHost):\(port)/ (STACK_PAGE=off turns it off)")
                }
            },
            logger: logger
        )
        // Shut down in reverse: the server drains first, then the online evaluations, then telemetry
        // flushes the last spans.
        let listening = ListenError.naming(
            app, host: configuration.host, port: configuration.port,
            hostSetting: "--host or STACK_HOST", portSetting: "--port or STACK_PORT"
        )
        let services: [any Service] = [telemetry, mcp] + (onlineEvaluator.map { [$0] } ?? []) + [listening]
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            await mcp.close()
            throw error
        }
    }
}
