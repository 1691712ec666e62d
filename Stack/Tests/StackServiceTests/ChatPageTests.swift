import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInference
import OpenInferenceTelemetry
import StackService
import StackTestSupport
import Synchronization
import Testing

@Suite("The chat page: asking with a page token, answer tokens for feedback, and browser timing spans")
struct ChatPageTests {
    static let pageTokenHeader = HTTPField.Name("X-Page-Token")!
    static let traceparent = HTTPField.Name("traceparent")!
    static let chatBody = #"{"messages":[{"role":"user","content":"Which database?"}]}"#

    /// The page token `GET /` put in the page, read from its meta tag.
    static func pageToken(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.execute(uri: "/", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
        let html = String(buffer: response.body)
        let start = try #require(html.range(of: #"content=""#)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func pageHeaders(_ token: String, traceID: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[pageTokenHeader] = token
        if let traceID { headers[traceparent] = "00-\(traceID)-00f067aa0ba902b7-01" }
        return headers
    }

    /// The trace-id prefix a page token was issued for.
    static func prefix(_ token: String) -> String { String(token.split(separator: ".")[3]) }

    /// Asks once through the page and returns the answer's trace id and answer token.
    static func ask(_ client: any TestClientProtocol, token: String) async throws -> (traceID: String, answerToken: String) {
        let traceID = prefix(token) + String(format: "%016llx", UInt64.random(in: 1...UInt64.max))
        let response = try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: pageHeaders(token, traceID: traceID), body: ByteBuffer(string: chatBody)
        )
        #expect(response.status == .ok)
        #expect(response.traceID == traceID)
        return (traceID, try #require(response.feedbackToken))
    }

    static func replies(_ count: Int) -> [ScriptedHTTPServer.Reply] { Array(repeating: ServiceHarness.textReply("Use SQLite."), count: count) }

    @Test("The page asks without an API key, as the page user, and gets an answer token for its own trace")
    func asksWithPageToken() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(2), page: PageConfiguration(userID: "visitor"))
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            #expect(token.hasPrefix("v2.page."))
            let (traceID, answerToken) = try await Self.ask(client, token: token)
            #expect(answerToken.hasPrefix("v2.answer."))
            let answer = try ServiceHarness.signer.verify(answerToken, purpose: .answer, userID: "visitor")
            #expect(answer.subject == traceID)
            // Someone else's trace: the request is answered in a fresh trace of its own, never in that one.
            let foreign = try await client.execute(
                uri: "/v1/chat/completions", method: .post,
                headers: Self.pageHeaders(token, traceID: "4bf92f3577b34da6a3ce929d0e0e4736"), body: ByteBuffer(string: Self.chatBody)
            )
            #expect(foreign.status == .ok)
            let fresh = try #require(foreign.traceID)
            #expect(fresh != "4bf92f3577b34da6a3ce929d0e0e4736")
            if let issued = foreign.feedbackToken {
                #expect(try ServiceHarness.signer.verify(issued, purpose: .answer, userID: "visitor").subject == fresh)
            }
        }
        let server = try #require(harness.recorder.spans.first { $0.kind == .server && $0.name.contains("chat") })
        #expect(server.attributes.get("user.id") == .string("visitor"))
        var texts: [String] = []
        for span in harness.recorder.spans { span.attributes.forEach { key, value in texts.append("\(key)=\(value)") } }
        #expect(!texts.isEmpty)
        #expect(!texts.contains { $0.contains("v2.page") || $0.contains("v2.answer") || $0.contains(ServiceHarness.secretText) })
    }

    @Test("Page tokens are refused where they do not belong, when forged or expired, and when the page is off")
    func refusals() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(1), page: PageConfiguration())
        let expired = ServiceHarness.signer.sign(
            SignedToken(purpose: .page, subject: "00000000000000aa", userID: "page", expires: Date().addingTimeInterval(-5))
        )
        let otherUser = ServiceHarness.signer.sign(
            SignedToken(purpose: .page, subject: "00000000000000aa", userID: "user-7", expires: Date().addingTimeInterval(60))
        )
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let body = ByteBuffer(string: #"{"goal":"hi"}"#)
            let agent = try await client.execute(uri: "/v1/agent/runs", method: .post, headers: Self.pageHeaders(token), body: body)
            #expect(agent.status == .forbidden)
            #expect(agent.errorMessage?.contains("use an API key") == true)
            for (bad, status, type) in [
                (expired, HTTPResponse.Status.unauthorized, "token_expired"), (otherUser, .forbidden, "invalid_token"),
                ("v2.page.x", .forbidden, "invalid_token"),
            ] {
                let response = try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Self.pageHeaders(bad), body: ByteBuffer(string: Self.chatBody)
                )
                #expect(response.status == status)
                #expect(response.errorType == type)
            }
            let anonymous = try await client.execute(uri: "/v1/chat/completions", method: .post, body: ByteBuffer(string: Self.chatBody))
            #expect(anonymous.status == .unauthorized)
        }
        let off = try await ServiceHarness(modelReplies: [])
        try await off.test { client in
            #expect(try await client.execute(uri: "/", method: .get).status == .unauthorized)
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: Self.pageHeaders(otherUser), body: ByteBuffer(string: Self.chatBody)
            )
            #expect(response.status == .notFound)
            #expect(response.errorType == "page_disabled")
        }
    }

    @Test("A page token over its rate gets 429 with Retry-After, without reaching the model")
    func rateLimited() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(2), page: PageConfiguration(requestsPerMinute: 2))
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            _ = try await Self.ask(client, token: token)
            _ = try await Self.ask(client, token: token)
            let third = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: Self.pageHeaders(token), body: ByteBuffer(string: Self.chatBody)
            )
            #expect(third.status == .tooManyRequests)
            #expect(third.errorType == "rate_limited")
            #expect(Int(third.headers[.retryAfter] ?? "") != nil)
            // A fresh page load has its own allowance.
            let fresh = try await Self.pageToken(client)
            #expect(fresh != token)
        }
        #expect(harness.model.requests.count == 2)
    }

    @Test("Passages come from the index for the page's question, in its trace; without an index the list is empty and says so")
    func passages() async throws {
        let asked = Mutex<[String]>([])
        let harness = try await ServiceHarness(modelReplies: [], page: PageConfiguration()) { query, limit in
            asked.withLock { $0.append("\(query)|\(limit)") }
            return [
                RetrievalDocument(
                    id: "c1", content: "SQLite stores a database in one file.", score: 0.9, metadata: ["source": "sqlite.md", "title": "SQLite"]),
                RetrievalDocument(id: "c2", content: "", score: 0.1),
            ]
        }
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let traceID = Self.prefix(token) + "00000000000000ab"
            let response = try await client.execute(
                uri: "/v1/passages", method: .post, headers: Self.pageHeaders(token, traceID: traceID),
                body: ByteBuffer(string: #"{"query":"  Which database?  ","limit":2}"#)
            )
            #expect(response.status == .ok)
            #expect(response.traceID == traceID)
            let body = String(buffer: response.body)
            #expect(
                body
                    == #"{"index":true,"passages":[{"id":"c1","score":0.9,"source":"sqlite.md","text":"SQLite stores a database in one file.","title":"SQLite"}]}"#
            )
            for bad in [#"{"query":" "}"#, #"{"query":"q","limit":9}"#, #"{"limit":2}"#] {
                let refused = try await client.execute(
                    uri: "/v1/passages", method: .post, headers: Self.pageHeaders(token), body: ByteBuffer(string: bad))
                #expect(refused.status == .badRequest)
            }
        }
        #expect(asked.withLock { $0 } == ["Which database?|2"])
        let noIndex = try await ServiceHarness(modelReplies: [], page: PageConfiguration())
        try await noIndex.test { client in
            let token = try await Self.pageToken(client)
            let response = try await client.execute(
                uri: "/v1/passages", method: .post, headers: Self.pageHeaders(token), body: ByteBuffer(string: #"{"query":"q"}"#))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"index":false,"passages":[]}"#)
        }
    }

    static func feedback(_ traceID: String, token: String, label: String = "thumbs_down") -> ByteBuffer {
        ByteBuffer(string: #"{"trace_id":"\#(traceID)","feedback_token":"\#(token)","label":"\#(label)","score":0,"explanation":"too vague"}"#)
    }

    @Test("Feedback with the answer token is accepted once; a replay gets 409, another trace's or a forged token 403, an expired one 401")
    func feedbackWithAnswerTokens() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(2), page: PageConfiguration())
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let first = try await Self.ask(client, token: token)
            let headers = Self.pageHeaders(token)
            let accepted = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(first.traceID, token: first.answerToken))
            // Phoenix is down in the harness: the feedback waits in the queue.
            #expect(accepted.status == .accepted)
            let replay = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(first.traceID, token: first.answerToken, label: "thumbs_up")
            )
            #expect(replay.status == .conflict)
            #expect(replay.errorType == "token_replayed")
            let second = try await Self.ask(client, token: token)
            let crossed = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(first.traceID, token: second.answerToken))
            #expect(crossed.status == .forbidden)
            // Change the mac's last character to a different one (A→B, anything else→A).
            var forged = second.answerToken
            let last = forged.removeLast()
            forged.append(last == "A" ? "B" : "A")
            #expect(forged != second.answerToken)
            let refused = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(second.traceID, token: forged))
            #expect(refused.status == .forbidden)
            #expect(refused.errorType == "invalid_token")
            let stale = ServiceHarness.signer.sign(
                SignedToken(purpose: .answer, subject: second.traceID, userID: "page", expires: Date().addingTimeInterval(-1)))
            let expired = try await client.execute(
                uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(second.traceID, token: stale))
            #expect(expired.status == .unauthorized)
            #expect(expired.errorType == "token_expired")
        }
        let queued = try harness.queue.pending()
        #expect(queued.count == 1)
        #expect(queued.first?.label == "thumbs_down")
        #expect(queued.first?.userID == "page")
        #expect(queued.first?.id.hasPrefix("page-") == true)
    }

    static func spansBody(_ traceID: String, token: String, spans: String) -> ByteBuffer {
        ByteBuffer(string: #"{"trace_id":"\#(traceID)","token":"\#(token)","spans":\#(spans)}"#)
    }

    static func span(name: String = "browser.question", parent: String = "00f067aa0ba902b7", start: Double, end: Double, extra: String = "") -> String
    {
        #"{"name":"\#(name)","parent_span_id":"\#(parent)","start_time_ms":\#(start),"end_time_ms":\#(end)\#(extra)}"#
    }

    @Test("A timing report becomes spans in the answer's trace, under the browser's span, with the browser's times")
    func browserSpansAreRecorded() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(1), page: PageConfiguration())
        let start = (Date().timeIntervalSince1970 - 5) * 1000
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let answer = try await Self.ask(client, token: token)
            harness.recorder.reset()
            let spans =
                "["
                + Self.span(start: start, end: start + 2100.5, extra: #","attributes":{"browser.time_to_first_token_ms":840,"browser.status":"ok"}"#)
                + "," + Self.span(name: "browser.first_token", start: start, end: start + 840, extra: #","error":"render failed""#) + "]"
            let response = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(answer.traceID, token: answer.answerToken, spans: spans)
            )
            #expect(response.status == .accepted)
            let again = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(answer.traceID, token: answer.answerToken, spans: spans)
            )
            #expect(again.status == .conflict)
            let question = try #require(harness.recorder.spans.first { $0.name == "browser.question" })
            #expect(question.context.traceIDHex == answer.traceID)
            #expect(question.parentSpanID?.description == "00f067aa0ba902b7")
            // Browser times are milliseconds in a double: kept to the microsecond.
            #expect(question.startNanoseconds / 1_000 == UInt64((start * 1_000).rounded()))
            #expect((2_100_499_000...2_100_501_000).contains(question.durationNanoseconds))
            #expect(question.attributes.get("browser.time_to_first_token_ms") == .int64(840))
            #expect(question.attributes.get("user.id") == .string("page"))
            let first = try #require(harness.recorder.spans.first { $0.name == "browser.first_token" })
            #expect(first.status?.code == .error)
        }
    }

    static let now = Date().timeIntervalSince1970 * 1000

    @Test(
        "A report with anything wrong is refused with 400 and records nothing",
        arguments: [
            ("[]", "spans"),
            ("[" + Array(repeating: span(start: now - 10, end: now), count: 9).joined(separator: ",") + "]", "spans"),
            ("[" + span(name: "question", start: now - 10, end: now) + "]", "name"),
            ("[" + span(name: "browser.Question", start: now - 10, end: now) + "]", "name"),
            ("[" + span(name: "browser." + String(repeating: "x", count: 60), start: now - 10, end: now) + "]", "name"),
            ("[" + span(parent: "0000000000000000", start: now - 10, end: now) + "]", "parent_span_id"),
            ("[" + span(parent: "xyz", start: now - 10, end: now) + "]", "parent_span_id"),
            ("[" + span(start: now, end: now - 10) + "]", "start_time_ms"),
            ("[" + span(start: now - 3 * 3_600_000, end: now - 3 * 3_600_000 + 10) + "]", "last hour"),
            ("[" + span(start: now, end: now + 3_600_000) + "]", "15 minutes"),
            ("[" + span(start: now + 3_600_000, end: now + 3_600_001) + "]", "future"),
            ("[" + span(start: now - 10, end: now, extra: #","attributes":{"http.secret":"x"}"#) + "]", "http.secret"),
            ("[" + span(start: now - 10, end: now, extra: #","attributes":{"browser.a":{"b":1}}"#) + "]", "browser.a"),
            ("[" + span(start: now - 10, end: now, extra: #","error":"\#(String(repeating: "e", count: 600))""#) + "]", "error"),
        ]
    )
    func invalidReports(spans: String, mentions: String) async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(1), page: PageConfiguration())
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let answer = try await Self.ask(client, token: token)
            harness.recorder.reset()
            let response = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(answer.traceID, token: answer.answerToken, spans: spans)
            )
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.contains(mentions) == true, "\(response.errorMessage ?? "no message")")
            // The token is not spent by a refused report: a correct one still goes through.
            let good = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(answer.traceID, token: answer.answerToken, spans: "[" + Self.span(start: Self.now - 10, end: Self.now) + "]")
            )
            #expect(good.status == .accepted)
        }
        #expect(harness.recorder.spans.filter { $0.name.hasPrefix("browser.") }.count == 1)
    }

    @Test("Spans for a trace the token does not cover, or bodies over 16 KiB, are refused and never recorded")
    func reportsOutsideTheToken() async throws {
        let harness = try await ServiceHarness(modelReplies: Self.replies(2), page: PageConfiguration())
        try await harness.test { client in
            let token = try await Self.pageToken(client)
            let first = try await Self.ask(client, token: token)
            let second = try await Self.ask(client, token: token)
            let spans = "[" + Self.span(start: Self.now - 10, end: Self.now) + "]"
            let crossed = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(first.traceID, token: second.answerToken, spans: spans)
            )
            #expect(crossed.status == .forbidden)
            let pageTokenAsAnswer = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(first.traceID, token: token, spans: spans)
            )
            #expect(pageTokenAsAnswer.status == .forbidden)
            let huge = Self.span(
                start: Self.now - 10, end: Self.now, extra: #","attributes":{"browser.a":"\#(String(repeating: "a", count: 20_000))"}"#)
            let tooLarge = try await client.execute(
                uri: "/v1/browser-spans", method: .post, headers: Self.pageHeaders(token),
                body: Self.spansBody(first.traceID, token: first.answerToken, spans: "[\(huge)]")
            )
            #expect(tooLarge.status == .contentTooLarge)
            // The report's bound is fixed: the answer names it, not a setting that would not raise it.
            #expect(tooLarge.errorMessage?.contains("\(BrowserSpanReport.maxBodyBytes) bytes") == true)
            #expect(tooLarge.errorMessage?.contains("STACK_MAX_BODY_BYTES") == false)
        }
        #expect(!harness.recorder.spans.contains { $0.name.hasPrefix("browser.") })
    }
}

@Suite("Page configuration and rate limits")
struct PageConfigurationTests {
    static let base = ["STACK_API_KEYS": "k=u", "STACK_FEEDBACK_SECRET": ServiceHarness.secretText]

    @Test("auto serves the page on loopback addresses only; on and off decide alone")
    func modes() {
        #expect(PageConfiguration().isEnabled(host: "127.0.0.1"))
        #expect(PageConfiguration().isEnabled(host: "localhost"))
        #expect(PageConfiguration().isEnabled(host: "::1"))
        #expect(!PageConfiguration().isEnabled(host: "0.0.0.0"))
        #expect(PageConfiguration(mode: .on).isEnabled(host: "0.0.0.0"))
        #expect(!PageConfiguration(mode: .off).isEnabled(host: "127.0.0.1"))
    }

    @Test("STACK_PAGE, STACK_PAGE_USER, STACK_PAGE_TOKEN_TTL and STACK_PAGE_RATE are read, and bad values named")
    func environment() throws {
        let page = try ServiceConfiguration.fromEnvironment(
            Self.base.merging(["STACK_PAGE": "OFF", "STACK_PAGE_USER": "kiosk", "STACK_PAGE_TOKEN_TTL": "600", "STACK_PAGE_RATE": "5"]) { $1 }
        ).page
        #expect(page == PageConfiguration(mode: .off, userID: "kiosk", tokenLifetime: .seconds(600), requestsPerMinute: 5))
        #expect(try ServiceConfiguration.fromEnvironment(Self.base).page == PageConfiguration())
        for (variable, value) in [("STACK_PAGE", "maybe"), ("STACK_PAGE_USER", "a:b"), ("STACK_PAGE_TOKEN_TTL", "5"), ("STACK_PAGE_RATE", "0")] {
            #expect(throws: ServiceConfigurationError.self) {
                try ServiceConfiguration.fromEnvironment(Self.base.merging([variable: value]) { $1 })
            }
        }
    }
}
