import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import PhoenixClient
import Prometheus
import StackAgent
import StackLLM
import StackService
import StackTelemetry
import StackTestSupport
import Tracing

/// One API over a scripted model, a scripted (or absent) Phoenix and an in-memory span recorder.
struct ServiceHarness {
    static let apiKey = "sk-test-4f9a2b"
    static let keys = APIKeyStore([apiKey: "user-7"])

    /// swift-metrics can be bootstrapped once per process; every test shares this registry.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    let model: ScriptedOpenAIServer
    let recorder = InMemorySpanRecorder()
    let queue: FeedbackQueue
    let api: StackAPI

    /// - Parameter phoenix: Phoenix's base URL; by default a closed port, so Phoenix is down.
    init(modelReplies: [ScriptedOpenAIServer.Reply], phoenix: URL? = nil, maxBodyBytes: Int = 1 << 20) async throws {
        model = ScriptedOpenAIServer(modelReplies)
        let modelURL = try await model.start()
        let client = LLMClient(
            configuration: LLMClientConfiguration(baseURL: modelURL, model: "scripted", maxRetries: 0, prices: ModelPriceTable(["scripted": ModelPrice(promptPerMillion: 1, completionPerMillion: 2)]))
        )
        queue = try FeedbackQueue(path: ":memory:")
        let desk = FeedbackDesk(
            phoenix: PhoenixClient(baseURL: phoenix ?? URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(2)),
            projectName: "service-tests",
            queue: queue
        )
        api = StackAPI(
            agent: Agent(model: client, tools: ToolRegistry([NowTool()]), maxIterations: 2),
            client: client,
            feedback: desk,
            metrics: Self.metrics,
            maxBodyBytes: maxBodyBytes
        )
    }

    /// Runs `body` against the router in process, with spans going to ``recorder``.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: api.router(keys: Self.keys))
        return try await withTracer(StackTracer(processor: recorder)) {
            try await app.test(.router, body)
        }
    }

    static var authorized: HTTPFields { [.authorization: "Bearer \(apiKey)", .contentType: "application/json"] }

    static func textReply(_ text: String) -> ScriptedOpenAIServer.Reply {
        .json(#"{"model":"scripted","choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"\#(text)"}}],"usage":{"prompt_tokens":40,"completion_tokens":6,"total_tokens":46}}"#)
    }
}

extension TestResponse {
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }
    var errorMessage: String? { (json?["error"] as? [String: Any])?["message"] as? String }
    var traceID: String? { headers[HTTPField.Name("X-Trace-Id")!] }
}

extension String {
    var isTraceID: Bool { count == 32 && allSatisfy(\.isHexDigit) }
}
