import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackLLM
import StackService
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
            feedbackTokens: FeedbackTokenSigner(secret: try FeedbackSecret(String(repeating: "integration-secret-", count: 3), source: "test")),
            metrics: nil
        )
        // A live server on a free port and a real HTTP client with a timeout that allows for the
        // shared model server being busy with other suites (HummingbirdTesting's live client gives up
        // after 20 s).
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: api.router(keys: APIKeyStore(["sk-live-test": "user-live"])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }
        )
        let traceID: String? = try await withTracer(telemetry.tracer) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                defer { group.cancelAll() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/agent/runs")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer sk-live-test")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-Session-Id", value: "session-live")
                request.body = .bytes(ByteBuffer(string: #"{"goal":"Name one database."}"#))
                // The caller is not traced, so the server's span is the root of the trace.
                var configuration = HTTPClient.Configuration()
                configuration.tracing.tracer = nil
                let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
                let answer: Result<HTTPClientResponse, any Error>
                do {
                    let response = try await client.execute(request, timeout: .seconds(240))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    answer = .success(response)
                } catch {
                    answer = .failure(error)
                }
                try await client.shutdown()
                let response = try answer.get()
                #expect(response.status == .ok)
                return response.headers.first(name: "X-Trace-Id")
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
        guard case .delivered(_, let sessionID) = receipt else {
            Issue.record("expected delivery, got \(receipt)")
            return
        }
        // The session the trace's spans name is annotated too.
        #expect(sessionID == "session-live")
        let annotations = try await phoenix.traceAnnotations(project: project, traceIDs: [trace])
        let annotation = try #require(annotations.first { $0.name == "user_feedback" })
        #expect(annotation.annotatorKind == .human)
        #expect(annotation.metadata["user_id"] == .string("user-live"))
        #expect(annotation.result.label == "thumbs_down")
        #expect(annotation.result.score == 0)
        #expect(annotation.result.explanation == "too vague")
        await telemetry.shutdown()
    }

    @Test("Feedback accepted before Phoenix has the trace is delivered once the spans arrive: one trace annotation, one session annotation")
    func feedbackBeforeIngestion() async throws {
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let project = "stack-feedback-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-feedback-it")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        // The spans stay queued until the flush below, as they would on their way from another replica.
        configuration.batch.scheduleDelay = .seconds(600)
        let telemetry = try Telemetry(configuration: configuration)
        let phoenix = PhoenixClient(baseURL: phoenixURL)
        let desk = FeedbackDesk(phoenix: phoenix, projectName: project, queue: try FeedbackQueue(path: ":memory:"))

        let span = telemetry.tracer.startSpan("POST /v1/agent/runs", context: .topLevel)
        // Phoenix ties a session id to the first project it appears in: one of this run's own.
        let session = "session-\(project)"
        span.attributes["session.id"] = session
        let traceID = try #require(span.context.spanContext?.traceIDHex)
        span.end()

        let feedback = Feedback(traceID: traceID, label: "thumbs_up", score: 1, userID: "user-early")
        let receipt = try await desk.submit(feedback)
        guard case .queued = receipt else {
            Issue.record("expected queued before the spans reach Phoenix, got \(receipt)")
            return
        }
        await telemetry.forceFlush()
        var delivered = 0
        for _ in 0..<120 where delivered == 0 {
            delivered = await desk.deliverPending()
            if delivered == 0 { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(delivered == 1)
        // Phoenix's own sync=false copy and the confirmed one share the feedback id: one annotation.
        let annotations = try await phoenix.traceAnnotations(project: project, traceIDs: [traceID])
        #expect(annotations.count == 1)
        #expect(annotations.first?.identifier == feedback.id)
        #expect(annotations.first?.result.label == "thumbs_up")
        // The session the span names carries the same annotation (read with Phoenix's REST API directly:
        // Stack itself never lists session annotations).
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(phoenixURL.absoluteString)/v1/projects/\(project)/session_annotations?session_ids=\(session)"),
            timeout: .seconds(30)
        )
        let body = try await response.body.collect(upTo: 1 << 20)
        let sessions = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        let data = sessions?["data"] as? [[String: Any]] ?? []
        #expect(data.count == 1)
        #expect(data.first?["identifier"] as? String == feedback.id)
        await telemetry.shutdown()
    }

    @Test("Feedback's session is the sender's, read from Phoenix: a span someone joined the trace with, naming another session, does not move it")
    func joinedSpanDoesNotMoveFeedback() async throws {
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let project = "stack-join-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-join-it")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)
        let phoenix = PhoenixClient(baseURL: phoenixURL)
        let desk = FeedbackDesk(phoenix: phoenix, projectName: project, queue: try FeedbackQueue(path: ":memory:"))

        // Alice's request, then Bob's, which named her trace in traceparent and a session of his choice.
        let alice = telemetry.tracer.startSpan("POST /v1/agent/runs", context: .topLevel)
        alice.attributes["user.id"] = "alice"
        alice.attributes["session.id"] = "alice-\(project)"
        let bob = telemetry.tracer.startSpan("POST /v1/chat/completions", context: alice.context)
        bob.attributes["user.id"] = "bob"
        bob.attributes["session.id"] = "carol-\(project)"
        let traceID = try #require(alice.context.spanContext?.traceIDHex)
        alice.end()
        await telemetry.forceFlush()
        _ = try await phoenix.waitForTrace(project: project, traceID: traceID, count: 1)
        bob.end()
        await telemetry.forceFlush()
        _ = try await phoenix.waitForTrace(project: project, traceID: traceID, count: 2)

        let feedback = Feedback(traceID: traceID, label: "thumbs_down", userID: "alice")
        var delivered = 0
        if case .delivered(_, let sessionID) = try await desk.submit(feedback) {
            #expect(sessionID == "alice-\(project)")
            delivered = 1
        }
        // Phoenix may list the spans a moment before it annotates their trace: the queue retries.
        for _ in 0..<120 where delivered == 0 {
            delivered = await desk.deliverPending()
            if delivered == 0 { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(delivered == 1)
        // Read back with Phoenix's REST API: Alice's session has the annotation, Bob's chosen one none
        // (Phoenix may not even know it: it gives a trace the session of the first span it stored).
        for (session, expected) in [("alice-\(project)", 1), ("carol-\(project)", 0)] {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "\(phoenixURL.absoluteString)/v1/projects/\(project)/session_annotations?session_ids=\(session)"),
                timeout: .seconds(30)
            )
            let body = try await response.body.collect(upTo: 1 << 20)
            let sessions = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
            #expect((sessions?["data"] as? [[String: Any]] ?? []).count == expected, "session \(session): \(String(buffer: body))")
        }
        await telemetry.shutdown()
    }
}
