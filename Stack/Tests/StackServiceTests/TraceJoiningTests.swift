import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PhoenixClient
import Testing

@testable import StackService

@Suite("Joining a trace moves nothing: sessions of feedback, page traces")
struct TraceJoiningTests {
    /// A span as Phoenix's REST API lists it.
    static func span(id: String, parent: String?, user: String, session: String) throws -> PhoenixSpan {
        let parentJSON = parent.map { #""\#($0)""# } ?? "null"
        let json = #"""
            {"id":"g-\#(id)","name":"POST /v1/chat/completions","context":{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"\#(id)"},
             "span_kind":"CHAIN","parent_id":\#(parentJSON),"start_time":"2026-12-03T10:00:00Z","end_time":"2026-12-03T10:00:01Z",
             "status_code":"OK","status_message":"","attributes":{"user.id":"\#(user)","session.id":"\#(session)"},"events":[]}
            """#
        return try JSONDecoder().decode(PhoenixSpan.self, from: Data(json.utf8))
    }

    @Test("Feedback's session comes from the requester's own spans or the root, never from a span someone joined the trace with")
    func sessionOfFeedback() throws {
        let alice = try Self.span(id: "00f067aa0ba902b7", parent: nil, user: "alice", session: "alice-session")
        // Bob sent `traceparent` naming alice's trace and `X-Session-Id: carol-session`; Phoenix may list him first.
        let bob = try Self.span(id: "53995c3f42cd8ad8", parent: "00f067aa0ba902b7", user: "bob", session: "carol-session")
        #expect(FeedbackDesk.session(of: [bob, alice], for: "alice") == "alice-session")
        #expect(FeedbackDesk.session(of: [bob, alice], for: "ops") == "alice-session")
        #expect(FeedbackDesk.session(of: [bob, alice], for: nil) == "alice-session")
        #expect(FeedbackDesk.session(of: [bob, alice], for: "bob") == "carol-session")
        #expect(FeedbackDesk.session(of: [bob], for: "alice") == nil)
    }

    @Test("A page-token request naming someone else's trace in traceparent starts a fresh trace; its own page's trace continues")
    func pageRequestsDoNotJoin() async throws {
        let harness = try await ServiceHarness(
            modelReplies: Array(repeating: ServiceHarness.textReply("ok"), count: 2), page: PageConfiguration(userID: "visitor")
        )
        let alicesTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await harness.test { client in
            let token = try await ChatPageTests.pageToken(client)
            let joined = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: ChatPageTests.pageHeaders(token, traceID: alicesTrace),
                body: ByteBuffer(string: ChatPageTests.chatBody)
            )
            #expect(joined.status == .ok)
            #expect(joined.traceID != alicesTrace)
            let own = ChatPageTests.prefix(token) + "00000000000000aa"
            let continued = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: ChatPageTests.pageHeaders(token, traceID: own),
                body: ByteBuffer(string: ChatPageTests.chatBody)
            )
            #expect(continued.traceID == own)
        }
        #expect(!harness.recorder.spans.contains { $0.context.traceIDHex == alicesTrace })
    }
}
