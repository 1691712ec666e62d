import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PhoenixClient
import StackService
import StackTestSupport
import Testing

@Suite("Feedback: validation, delivery to Phoenix, and the durable queue")
struct FeedbackTests {
    static let traceID = "0af7651916cd43dd8448eb211c80319c"

    static let rootSpanWithSession = ScriptedHTTPServer.Reply.json(
        #"{"data":[{"id":"b","name":"POST /v1/agent/runs","context":{"trace_id":"\#(traceID)","span_id":"aaaaaaaaaaaaaaaa"},"span_kind":"SERVER","parent_id":null,"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:03Z","status_code":"OK","status_message":"","attributes":{"session.id":"session-9"},"events":[]}],"next_cursor":null}"#
    )
    static let rootSpan = ScriptedHTTPServer.Reply.json(
        #"{"data":[{"id":"b","name":"POST /v1/agent/runs","context":{"trace_id":"\#(traceID)","span_id":"aaaaaaaaaaaaaaaa"},"span_kind":"SERVER","parent_id":null,"start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T00:00:03Z","status_code":"OK","status_message":"","attributes":{},"events":[]}],"next_cursor":null}"#
    )
    static let traceNotFound = ScriptedHTTPServer.Reply.json(#"{"detail":"Traces with IDs \#(traceID) do not exist."}"#, status: 404)

    @Test("Feedback on a trace Phoenix holds becomes a trace annotation and a session annotation for the session its spans name")
    func deliveredToTraceAndSession() async throws {
        let phoenix = ScriptedHTTPServer([
            .json(#"{"data":[{"id":"VHJhY2VBbm5vdGF0aW9uOjE="}]}"#),
            Self.rootSpanWithSession,
            .json(#"{"data":[{"id":"U2Vzc2lvbkFubm90YXRpb246MQ=="}]}"#),
        ])
        // The scripted server answers under /v1; Phoenix's base URL is its root.
        let phoenixURL = try await phoenix.start().deletingLastPathComponent()
        let harness = try await ServiceHarness(modelReplies: [], phoenix: phoenixURL)
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized,
                body: ByteBuffer(
                    string:
                        #"{"trace_id":"\#(Self.traceID)","feedback_token":"\#(ServiceHarness.token(Self.traceID))","label":"thumbs_down","score":0,"explanation":"wrong database"}"#
                )
            ) { response in
                #expect(response.status == .ok)
                let answer = response.decoded(FeedbackAnswer.self)
                #expect(answer?.status == "delivered")
                #expect(answer?.annotationID == "VHJhY2VBbm5vdGF0aW9uOjE=")
                #expect(answer?.sessionID == "session-9")
            }
        }
        let requests = phoenix.requests
        #expect(
            requests.map { $0.path.split(separator: "?").first.map(String.init) ?? "" } == [
                "/v1/trace_annotations", "/v1/projects/service-tests/spans", "/v1/session_annotations",
            ])
        #expect(requests.first?.path.contains("sync=true") == true)
        let trace = try #require((requests.first?.json?["data"] as? [[String: Any]])?.first)
        #expect(trace["trace_id"] as? String == Self.traceID)
        #expect(trace["annotator_kind"] as? String == "HUMAN")
        #expect((trace["result"] as? [String: Any])?["label"] as? String == "thumbs_down")
        #expect((trace["metadata"] as? [String: Any])?["user_id"] as? String == "user-7")
        let session = try #require((requests.last?.json?["data"] as? [[String: Any]])?.first)
        #expect(session["session_id"] as? String == "session-9")
        // One identifier for both, so a repeated delivery updates instead of duplicating.
        #expect(session["identifier"] as? String == trace["identifier"] as? String)
        #expect(try harness.queue.count() == 0)
    }

    @Test("With Phoenix down, feedback is accepted as queued and kept until delivered")
    func queuedWhilePhoenixIsDown() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized,
                body: ByteBuffer(string: #"{"trace_id":"\#(Self.traceID)","feedback_token":"\#(ServiceHarness.token(Self.traceID))","score":1}"#)
            ) { response in
                #expect(response.status == .accepted)
                #expect(response.decoded(FeedbackAnswer.self)?.status == "queued")
                #expect(response.decoded(FeedbackAnswer.self)?.reason?.contains("Phoenix is unavailable") == true)
            }
        }
        let pending = try harness.queue.pending()
        #expect(pending.map(\.traceID) == [Self.traceID])
        #expect(pending.first?.score == 1)
        #expect(pending.first?.userID == "user-7")
    }

    @Test("Feedback queued while Phoenix fails is delivered from the queue once Phoenix answers")
    func retriedFromQueue() async throws {
        // Two 503s: the Phoenix client's one retry meets the same outage.
        let phoenix = ScriptedHTTPServer([
            .json(#"{"detail":"restarting"}"#, status: 503),
            .json(#"{"detail":"restarting"}"#, status: 503),
            .json(#"{"data":[{"id":"VHJhY2VBbm5vdGF0aW9uOjI="}]}"#),
            Self.rootSpan,
        ])
        let url = try await phoenix.start().deletingLastPathComponent()
        let queue = try FeedbackQueue(path: ":memory:")
        let desk = FeedbackDesk(phoenix: PhoenixClient(baseURL: url), projectName: "p", queue: queue)
        let receipt = try await desk.submit(Feedback(id: "feedback-1", traceID: Self.traceID, label: "thumbs_up"))
        guard case .queued = receipt else {
            Issue.record("expected queued, got \(receipt)")
            return
        }
        #expect(try queue.count() == 1)
        #expect(await desk.deliverPending() == 1)
        #expect(try queue.count() == 0)
        let annotation = try #require(phoenix.requests.dropLast().last?.json?["data"] as? [[String: Any]])
        // The feedback id is the annotation's identifier, so a repeated delivery updates, not duplicates.
        #expect(annotation.first?["identifier"] as? String == "feedback-1")
        #expect(annotation.first?["trace_id"] as? String == Self.traceID)
        // No session on the trace's spans: no session annotation.
        #expect(phoenix.requests.count == 4)
    }

    @Test("Feedback on a trace Phoenix does not hold yet is queued by any replica and handed to Phoenix to attach when the spans arrive")
    func queuedBeforeIngestion() async throws {
        let phoenix = ScriptedHTTPServer([Self.traceNotFound, .json(#"{"data":[]}"#)])
        // A replica that never answered this trace: an admin's feedback needs no token, and no memory of the trace.
        let harness = try await ServiceHarness(modelReplies: [], phoenix: try await phoenix.start().deletingLastPathComponent())
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized(ServiceHarness.adminKey),
                body: ByteBuffer(string: #"{"trace_id":"\#(Self.traceID)","label":"good"}"#)
            ) { response in
                #expect(response.status == .accepted)
                #expect(response.decoded(FeedbackAnswer.self)?.reason?.contains("not reached Phoenix yet") == true)
            }
        }
        let paths = phoenix.requests.map(\.path)
        #expect(paths.count == 2)
        #expect(paths.first?.contains("sync=true") == true)
        #expect(paths.last?.hasPrefix("/v1/trace_annotations") == true)
        #expect(paths.last?.contains("sync=false") == true)
        let pending = try harness.queue.pending()
        #expect(pending.map(\.traceID) == [Self.traceID])
        // Phoenix's copy and ours share the identifier, so whichever lands first is updated, not doubled.
        let posted = try #require((phoenix.requests.last?.json?["data"] as? [[String: Any]])?.first)
        #expect(posted["identifier"] as? String == pending.first?.id)
    }

    @Test("Feedback whose trace never reaches Phoenix expires visibly after the wait: removed and counted, not kept forever")
    func expiresVisibly() async throws {
        let phoenix = ScriptedHTTPServer([Self.traceNotFound], cycle: true)
        let url = try await phoenix.start().deletingLastPathComponent()
        let queue = try FeedbackQueue(path: ":memory:")
        let desk = FeedbackDesk(phoenix: PhoenixClient(baseURL: url), projectName: "p", queue: queue, maxWait: .seconds(3600))
        let old = Feedback(id: "old", traceID: Self.traceID, label: "thumbs_up", acceptedAt: Date().addingTimeInterval(-7200))
        let fresh = Feedback(id: "fresh", traceID: Self.traceID, label: "thumbs_up")
        for feedback in [old, fresh] {
            let receipt = try await desk.submit(feedback)
            guard case .queued = receipt else {
                Issue.record("expected queued, got \(receipt)")
                return
            }
        }
        #expect(await desk.deliverPending() == 0)
        #expect(desk.expiredFeedback == 1)
        #expect(try queue.pending().map(\.id) == ["fresh"])
    }

    @Test(
        "Invalid feedback gets 400 saying what to send",
        arguments: [
            (#"{"trace_id":"abc","label":"x"}"#, "32 hex"),
            (#"{"trace_id":"0af7651916cd43dd8448eb211c80319c"}"#, "'label'"),
            (#"{"label":"x"}"#, "missing field 'trace_id'"),
            (#"{"trace_id":"0af7651916cd43dd8448eb211c80319c","score":"high"}"#, "'score' should be a number"),
        ]
    )
    func invalidFeedback(body: String, message: String) async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                #expect($0.status == .badRequest)
                #expect($0.errorMessage?.contains(message) == true, "\($0.errorMessage ?? "none")")
            }
        }
        #expect(try harness.queue.count() == 0)
    }

    @Test("API keys parse from key=user entries, and a bad entry is reported without the key")
    func apiKeyParsing() throws {
        let store = try APIKeyStore.parse("# team keys\nsk-a = alice\n\nsk-b=bob", source: "keys.txt")
        #expect(store.user(forKey: "sk-a") == "alice")
        #expect(store.user(forKey: "sk-b") == "bob")
        #expect(store.user(forKey: "sk-c") == nil)
        let roles = try APIKeyStore.parse("sk-a=alice,sk-o=ops:admin", source: "STACK_API_KEYS")
        #expect(roles.holder(ofKey: "sk-a") == APIUser(id: "alice"))
        #expect(roles.holder(ofKey: "sk-o") == APIUser(id: "ops", role: .admin))
        #expect(throws: ServiceConfigurationError.unknownAPIKeyRole(source: "keys.txt", entry: 1)) {
            try APIKeyStore.parse("sk-r=root:superuser", source: "keys.txt")
        }
        #expect(throws: ServiceConfigurationError.invalidAPIKeyEntry(source: "keys.txt", entry: 2)) {
            try APIKeyStore.parse("sk-a=alice\nsk-secret-without-user", source: "keys.txt")
        }
        do {
            _ = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS": "sk-secret-only"])
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("sk-secret-only"))
        }
        #expect(throws: ServiceConfigurationError.noAPIKeys) { try ServiceConfiguration.fromEnvironment([:]) }
    }
}
