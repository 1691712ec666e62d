import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PhoenixClient
import StackAgent
import StackLLM
import StackService
import StackTelemetry
import Testing
import Tracing

/// Runs `stack serve`'s API as a live HTTP server against the real model server and Phoenix.
@Suite(
    "Service against the real model and Phoenix",
    .enabled(if: LiveServers.isRequired || (LiveServers.model != nil && LiveServers.phoenix != nil))
)
struct ServiceAgainstPhoenixTests {
    @Test("X-Trace-Id is the trace Phoenix stores, its root span has user.id and session.id, and feedback becomes its annotation")
    func traceAttributionAndFeedback() async throws {
        let modelURL = try #require(LiveServers.model, "STACK_MODEL_URL is not set; run `make test`")
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let project = "stack-service-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-service-it")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)
        let phoenix = PhoenixClient(baseURL: phoenixURL)

        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: modelURL, model: "smollm2", timeout: .seconds(120)))
        let desk = FeedbackDesk(phoenix: phoenix, projectName: project, queue: try FeedbackQueue(path: ":memory:"))
        let api = StackAPI(
            agent: Agent(model: client, tools: ToolRegistry([NowTool()]), maxIterations: 1, temperature: 0, maxTokens: 48),
            client: client,
            feedback: desk,
            metrics: nil
        )
        let app = Application(
            router: api.router(keys: APIKeyStore(["sk-live-test": "user-live"])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        let headers: HTTPFields = [
            .authorization: "Bearer sk-live-test",
            .contentType: "application/json",
            HTTPField.Name("X-Session-Id")!: "session-live",
        ]
        let traceID = try await withTracer(telemetry.tracer) {
            try await app.test(.live) { client in
                try await client.execute(
                    uri: "/v1/agent/runs",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: #"{"goal":"Name one database."}"#)
                ) { response in
                    #expect(response.status == .ok)
                    return response.headers[HTTPField.Name("X-Trace-Id")!]
                }
            }
        }
        let trace = try #require(traceID)
        await telemetry.forceFlush()

        let spans = try await phoenix.waitForTrace(project: project, traceID: trace, count: 3)
        #expect(spans.allSatisfy { $0.context.traceID == trace })
        let root = try #require(try await phoenix.rootSpan(project: project, traceID: trace))
        #expect(root.name == "POST /v1/agent/runs")
        #expect(root.string("user.id") == "user-live")
        #expect(root.string("session.id") == "session-live")
        #expect(spans.contains { $0.spanKind == "AGENT" && $0.string("user.id") == "user-live" })

        let receipt = try await desk.submit(Feedback(traceID: trace, label: "thumbs_down", score: 0, explanation: "too vague", userID: "user-live"))
        guard case .delivered(let spanID, _) = receipt else {
            Issue.record("expected delivery, got \(receipt)")
            return
        }
        #expect(spanID == root.context.spanID)
        let annotations = try await phoenix.spanAnnotations(project: project, spanIDs: [root.context.spanID])
        let annotation = try #require(annotations.first { $0.name == "user_feedback" })
        #expect(annotation.result.label == "thumbs_down")
        #expect(annotation.result.score == 0)
        #expect(annotation.result.explanation == "too vague")
        await telemetry.shutdown()
    }
}
