import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import Prometheus
import StackAgent
import StackLLM
import StackService
import StackTestSupport
import Tracing

/// One API over a scripted model, a scripted (or absent) Phoenix and an in-memory span recorder.
///
/// Harnesses share the keys and the feedback secret, so two of them are two replicas of one service,
/// each with its own queue and its own memory of the traces it answered.
struct ServiceHarness {
    static let apiKey = "sk-test-4f9a2b"
    /// A second user's key.
    static let otherKey = "sk-other-77c1d0"
    /// An admin's key.
    static let adminKey = "sk-admin-e30b5a"
    static let keys = APIKeyStore(users: [
        apiKey: APIUser(id: "user-7"),
        otherKey: APIUser(id: "user-8"),
        adminKey: APIUser(id: "ops", role: .admin),
    ])
    /// The feedback secret every harness uses (never to appear in a span or an answer).
    static let secretText = "fbk-secret-5d41402abc4b2a76b9719d911017c592"
    static let signer: FeedbackTokenSigner = {
        do {
            return FeedbackTokenSigner(secret: try FeedbackSecret(secretText, source: "tests"))
        } catch {
            fatalError("the test secret is too short: \(error)")
        }
    }()

    /// swift-metrics can be bootstrapped once per process; every test shares this registry.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    let model: ScriptedHTTPServer
    let recorder = InMemorySpanRecorder()
    let queue: FeedbackQueue
    let api: StackAPI

    /// - Parameter phoenix: Phoenix's base URL; by default a closed port, so Phoenix is down.
    /// - Parameter page: the chat page's configuration; `nil` turns the page off.
    /// - Parameter search: the page's passage search; `nil` means no index.
    init(
        modelReplies: [ScriptedHTTPServer.Reply],
        phoenix: URL? = nil,
        maxBodyBytes: Int = 1 << 20,
        page: PageConfiguration? = nil,
        search: (@Sendable (String, Int) async throws -> [RetrievalDocument])? = nil,
        modelAPIKey: String? = nil,
        modelURLCredentials: String? = nil
    ) async throws {
        model = ScriptedHTTPServer(modelReplies)
        var modelURL = try await model.start()
        if let modelURLCredentials, let port = modelURL.port {
            modelURL = URL(string: "http://\(modelURLCredentials)@127.0.0.1:\(port)/v1")!
        }
        var configuration = LLMClientConfiguration(
            baseURL: modelURL, apiKey: modelAPIKey, model: "scripted", maxRetries: 0,
            prices: ModelPriceTable(["scripted": ModelPrice(promptPerMillion: 1, completionPerMillion: 2)])
        )
        configuration.redactedSecrets = Self.keys.keysToRedact
        let client = LLMClient(configuration: configuration)
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
            feedbackTokens: Self.signer,
            metrics: Self.metrics,
            maxBodyBytes: maxBodyBytes,
            page: page.map {
                ChatPage(
                    configuration: $0, signer: Self.signer,
                    assets: PageAssets(
                        html: #"<meta name="stack-page-token" content="{{page_token}}"><a href="{{phoenix_url}}">{{user_id}}</a>"#, script: "js",
                        style: "css"),
                    phoenixURL: URL(string: "http://phoenix.test:6006"),
                    search: search
                )
            }
        )
    }

    /// Runs `body` against the router in process, with spans going to ``recorder``.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: api.router(keys: Self.keys))
        return try await withTracer(StackTracer(processor: recorder)) {
            try await app.test(.router, body)
        }
    }

    static var authorized: HTTPFields { authorized(apiKey) }

    /// JSON request headers with `key`.
    static func authorized(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)", .contentType: "application/json"] }

    /// The feedback token `user` gets with an answer in `traceID`.
    static func token(_ traceID: String, user: String = "user-7") -> String { signer.token(traceID: traceID, userID: user) }

    static func textReply(_ text: String) -> ScriptedHTTPServer.Reply {
        .json(
            #"{"model":"scripted","choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"\#(text)"}}],"usage":{"prompt_tokens":40,"completion_tokens":6,"total_tokens":46}}"#
        )
    }
}

extension TestResponse {
    /// The body decoded as the API's `T`, or `nil` when it is not one.
    func decoded<T: Decodable>(_ type: T.Type) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
    var errorMessage: String? { decoded(ErrorAnswer.self)?.error.message }
    var errorType: String? { decoded(ErrorAnswer.self)?.error.type }
    var traceID: String? { headers[HTTPField.Name("X-Trace-Id")!] }
    var feedbackToken: String? { headers[HTTPField.Name("X-Feedback-Token")!] }
}

extension String {
    var isTraceID: Bool { count == 32 && allSatisfy(\.isHexDigit) }
}
