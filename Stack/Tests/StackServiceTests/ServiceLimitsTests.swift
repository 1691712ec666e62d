import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInferenceTelemetry
import StackService
import StackTestSupport
import Testing
import Tracing

@Suite("Bounds and small gaps: labels, sizes, HEAD, pass-through fields, the queue file, cut answers")
struct ServiceLimitsTests {
    static let traceID = "0af7651916cd43dd8448eb211c80319c"

    static func feedback(_ fields: String) -> ByteBuffer {
        ByteBuffer(string: #"{"trace_id":"\#(traceID)","feedback_token":"\#(ServiceHarness.token(traceID))",\#(fields)}"#)
    }

    @Test("Models a client picks are counted as 'other' in metrics; configured and priced ones by name")
    func boundedModelLabels() async throws {
        let harness = try await ServiceHarness(modelReplies: Array(repeating: ServiceHarness.textReply("ok"), count: 3))
        let text = try await harness.test { client in
            for model in ["scripted", "client-pick-1a2b", "client-pick-3c4d"] {
                let body = #"{"model":"\#(model)","messages":[{"role":"user","content":"hi"}]}"#
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)
                ) {
                    #expect($0.status == .ok)
                }
            }
            return try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        #expect(!text.contains("client-pick"))
        #expect(text.contains(#"gen_ai_request_model="other""#) || text.contains(#"gen_ai.request.model="other""#))
        #expect(text.contains(#"llm_tokens_total{model="scripted",kind="prompt"}"#))
    }

    @Test(
        "Oversized feedback fields are refused with 400 naming the field and the bound",
        arguments: [
            (#""label":"\#(String(repeating: "l", count: 101))""#, "'label'"),
            (#""score":0,"explanation":"\#(String(repeating: "e", count: 4001))""#, "'explanation'"),
            (#""label":"""#, "'label'"),
        ]
    )
    func feedbackCaps(fields: String, named: String) async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: Self.feedback(fields)) {
                #expect($0.status == .badRequest)
                #expect($0.errorMessage?.contains(named) == true)
            }
        }
        #expect(try harness.queue.count() == 0)
    }

    @Test("A v1 feedback token replayed makes one annotation: its id comes from the token")
    func replayedTokenKeepsOneID() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            for _ in 0..<4 {
                try await client.execute(uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: Self.feedback(#""score":1"#)) {
                    #expect($0.status == .accepted)
                }
            }
        }
        let pending = try harness.queue.pending()
        #expect(pending.count == 1)
        #expect(pending.first?.id.hasPrefix("fbk-") == true)
    }

    @Test("HEAD is answered like GET, without a body")
    func headLikeGet() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            let get = try await client.execute(uri: "/healthz", method: .get)
            try await client.execute(uri: "/healthz", method: .head) { head in
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[.contentType] == get.headers[.contentType])
                #expect(head.traceID?.isTraceID == true)
            }
        }
    }

    @Test("Only the OpenAI API's chat fields reach the model server; n above 1 is refused")
    func chatFieldsFiltered() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("ok")])
        try await harness.test { client in
            let body = #"{"messages":[{"role":"user","content":"hi"}],"api_key":"sk-smuggled-1234","top_p":0.5,"seed":3,"private_knob":true,"n":1}"#
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                #expect($0.status == .ok)
            }
            let many = #"{"messages":[{"role":"user","content":"hi"}],"n":3}"#
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: many)) {
                #expect($0.status == .badRequest)
                #expect($0.errorMessage?.contains("'n'") == true)
            }
        }
        let sent = try #require(harness.model.requests.first?.json)
        #expect(sent["api_key"] == nil)
        #expect(sent["private_knob"] == nil)
        #expect(sent["n"] == nil)
        #expect(sent["top_p"] as? Double == 0.5)
        #expect(sent["seed"] as? Int == 3)
        #expect(harness.model.requests.count == 1)
        let root = try #require(harness.recorder.spans.first { $0.name == "POST /v1/chat/completions" })
        #expect(root.attributes.get("stack.chat.dropped_fields") == .stringArray(["api_key", "private_knob"]))
    }

    @Test("The feedback queue file is readable by its owner only, also when an older run left it open to others")
    func queueFileMode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("queue-mode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fresh = directory.appendingPathComponent("fresh.sqlite").path
        _ = try FeedbackQueue(path: fresh)
        let old = directory.appendingPathComponent("old.sqlite").path
        _ = FileManager.default.createFile(atPath: old, contents: nil, attributes: [.posixPermissions: 0o644])
        _ = try FeedbackQueue(path: old)
        for path in [fresh, old] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path)")
        }
    }

    @Test("An answer whose body could not be written to the end ends its request span with ERROR, not UNSET")
    func cutAnswerSpan() async throws {
        let recorder = InMemorySpanRecorder()
        let router = Router(context: StackRequestContext.self)
        router.add(middleware: RequestSpanMiddleware())
        router.get("/cut") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: first\n\n"))
                    throw CancellationError()
                })
        }
        try await withTracer(StackTracer(processor: recorder)) {
            try await Application(router: router).test(.router) { client in
                _ = try? await client.execute(uri: "/cut", method: .get)
            }
        }
        let span = try #require(recorder.spans.first { $0.name == "GET /cut" })
        #expect(span.status?.code == .error)
        #expect(span.attributes.get("stack.response.incomplete") == .bool(true))
    }
}
