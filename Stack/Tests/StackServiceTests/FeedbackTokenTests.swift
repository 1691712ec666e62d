import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInferenceTelemetry
import StackService
import StackTestSupport
import Testing

@Suite("Feedback tokens: only the user a trace answered, or an admin, may annotate it")
struct FeedbackTokenTests {
    static let feedbackTokenHeader = HTTPField.Name("X-Feedback-Token")!

    /// Runs one chat completion as `key` and returns its trace id and feedback token.
    static func answer(_ harness: ServiceHarness, key: String = ServiceHarness.apiKey) async throws -> (traceID: String, token: String) {
        let response = try await harness.test { client in
            try await client.execute(
                uri: "/v1/chat/completions",
                method: .post,
                headers: ServiceHarness.authorized(key),
                body: ByteBuffer(string: #"{"messages":[{"role":"user","content":"Which database?"}]}"#)
            )
        }
        #expect(response.status == .ok)
        return (try #require(response.traceID), try #require(response.feedbackToken))
    }

    static func feedback(_ traceID: String, token: String?) -> ByteBuffer {
        let field = token.map { #","feedback_token":"\#($0)""# } ?? ""
        return ByteBuffer(string: #"{"trace_id":"\#(traceID)"\#(field),"label":"thumbs_down","score":0}"#)
    }

    @Test("An answer carries X-Feedback-Token: v1. and the base64url HMAC of the trace and the key's user")
    func answersCarryTheToken() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("Use SQLite.")])
        let (traceID, token) = try await Self.answer(harness)
        #expect(token == ServiceHarness.token(traceID, user: "user-7"))
        #expect(token.hasPrefix("v1."))
        let mac = token.dropFirst(3)
        #expect(mac.count == 43)
        #expect(mac.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(ServiceHarness.signer.verifies(token, traceID: traceID, userID: "user-7"))
        #expect(!ServiceHarness.signer.verifies(token, traceID: traceID, userID: "user-8"))
    }

    @Test("Errors to a key holder carry a token too; answers without a user, or continuing a caller's trace, carry none")
    func whichAnswersCarryAToken() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("ok")])
        let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await harness.test { client in
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: "{")) {
                #expect($0.status == .badRequest)
                let traceID = try #require($0.traceID)
                #expect($0.feedbackToken == ServiceHarness.token(traceID))
            }
            try await client.execute(uri: "/v1/agent/runs", method: .post, body: ByteBuffer(string: #"{"goal":"hi"}"#)) {
                #expect($0.status == .unauthorized)
                #expect($0.feedbackToken == nil)
            }
            try await client.execute(uri: "/healthz", method: .get) {
                #expect($0.traceID != nil)
                #expect($0.feedbackToken == nil)
            }
            var headers = ServiceHarness.authorized(ServiceHarness.otherKey)
            headers[HTTPField.Name("traceparent")!] = "00-\(callerTrace)-00f067aa0ba902b7-01"
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"goal":"hi"}"#)) {
                #expect($0.status == .ok)
                #expect($0.traceID == callerTrace)
                #expect($0.feedbackToken == nil)
            }
        }
    }

    @Test("The user who got the answer may annotate it, with the token in the body or in the X-Feedback-Token header")
    func ownerIsAccepted() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("a"), ServiceHarness.textReply("b")])
        let first = try await Self.answer(harness)
        let second = try await Self.answer(harness)
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: Self.feedback(first.traceID, token: first.token)
            ) {
                #expect($0.status == .accepted)
                #expect($0.decoded(FeedbackAnswer.self)?.status == "queued")
            }
            var headers = ServiceHarness.authorized
            headers[Self.feedbackTokenHeader] = second.token
            try await client.execute(uri: "/v1/feedback", method: .post, headers: headers, body: Self.feedback(second.traceID, token: nil)) {
                #expect($0.status == .accepted)
            }
        }
        let pending = try harness.queue.pending()
        #expect(Set(pending.map(\.traceID)) == [first.traceID, second.traceID])
        #expect(pending.allSatisfy { $0.userID == "user-7" })
    }

    @Test("Another user gets 403 on someone else's trace, with or without the owner's token, and is not told whose it is")
    func otherUserIsRefused() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("a"), ServiceHarness.textReply("b")])
        let alice = try await Self.answer(harness)
        let bob = try await Self.answer(harness, key: ServiceHarness.otherKey)
        let other = ServiceHarness.authorized(ServiceHarness.otherKey)
        try await harness.test { client in
            for token in [nil, alice.token, bob.token] {
                try await client.execute(uri: "/v1/feedback", method: .post, headers: other, body: Self.feedback(alice.traceID, token: token)) {
                    let body = String(buffer: $0.body)
                    #expect($0.status == .forbidden)
                    #expect($0.errorType == "forbidden")
                    #expect($0.errorMessage?.contains("X-Feedback-Token") == true, "\(body)")
                    #expect(!body.contains("user-7"))
                    #expect(!body.contains(alice.token))
                }
            }
            // Bob's own token still works for his own answer.
            try await client.execute(uri: "/v1/feedback", method: .post, headers: other, body: Self.feedback(bob.traceID, token: bob.token)) {
                #expect($0.status == .accepted)
            }
        }
        #expect(try harness.queue.pending().map(\.traceID) == [bob.traceID])
        let refusals = harness.recorder.spans.filter {
            $0.name == "POST /v1/feedback" && $0.attributes.get("http.response.status_code") == .int64(403)
        }
        #expect(refusals.count == 3)
    }

    @Test("An admin key annotates any trace without a token")
    func adminNeedsNoToken() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("a")])
        let alice = try await Self.answer(harness)
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized(ServiceHarness.adminKey),
                body: Self.feedback(alice.traceID, token: nil)
            ) {
                #expect($0.status == .accepted)
            }
        }
        #expect(try harness.queue.pending().map(\.userID) == ["ops"])
    }

    @Test(
        "A forged, altered, truncated or other-version token gets 403 and nothing is stored",
        arguments: ["forged", "altered-middle", "altered-last", "truncated", "v2", "other-trace", "empty"]
    )
    func forgedOrAlteredTokens(kind: String) async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("a")])
        let (traceID, token) = try await Self.answer(harness)
        func replacing(_ offset: Int, in token: String) -> String {
            var characters = Array(token)
            characters[offset] = characters[offset] == "A" ? "B" : "A"
            return String(characters)
        }
        let presented =
            switch kind {
            case "forged": "v1." + String(repeating: "Q", count: 43)
            case "altered-middle": replacing(20, in: token)
            case "altered-last": replacing(token.count - 1, in: token)
            case "truncated": String(token.dropLast())
            case "v2": "v2." + token.dropFirst(3)
            case "other-trace": ServiceHarness.token("0af7651916cd43dd8448eb211c80319c")
            default: ""
            }
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: Self.feedback(traceID, token: presented)
            ) {
                #expect($0.status == .forbidden)
                #expect($0.errorType == "forbidden")
                #expect($0.errorMessage?.contains("does not match") == true)
            }
        }
        #expect(try harness.queue.count() == 0)
    }

    @Test("Feedback on another replica's answer is queued before Phoenix has the trace, for its owner and an admin, never for another user")
    func anotherReplicasAnswer() async throws {
        // Phoenix is up and holds nothing yet: the spans are still on their way. It answers the
        // confirmed annotation with 404 and takes the one to attach on arrival.
        let phoenix = ScriptedHTTPServer(
            [.json(#"{"detail":"Traces do not exist."}"#, status: 404), .json(#"{"data":[]}"#)],
            cycle: true
        )
        let phoenixURL = try await phoenix.start().deletingLastPathComponent()
        let replicaA = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("a")], phoenix: phoenixURL)
        let replicaB = try await ServiceHarness(modelReplies: [], phoenix: phoenixURL)
        let (traceID, token) = try await Self.answer(replicaA)
        try await replicaB.test { client in
            try await client.execute(
                uri: "/v1/feedback", method: .post, headers: ServiceHarness.authorized, body: Self.feedback(traceID, token: token)
            ) {
                #expect($0.status == .accepted)
                #expect($0.decoded(FeedbackAnswer.self)?.status == "queued")
                #expect($0.decoded(FeedbackAnswer.self)?.reason?.contains("not reached Phoenix yet") == true)
            }
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized(ServiceHarness.otherKey),
                body: Self.feedback(traceID, token: token)
            ) {
                #expect($0.status == .forbidden)
            }
            // An admin needs no proof; no replica keeps a memory of the traces it answered.
            try await client.execute(
                uri: "/v1/feedback",
                method: .post,
                headers: ServiceHarness.authorized(ServiceHarness.adminKey),
                body: Self.feedback(traceID, token: nil)
            ) {
                #expect($0.status == .accepted)
            }
        }
        #expect(try replicaB.queue.pending().map(\.traceID) == [traceID, traceID])
        #expect(try replicaA.queue.count() == 0)
    }

    @Test("The feedback secret never reaches a span, an answer or a printed configuration")
    func secretNeverLeaks() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("ok")])
        let (traceID, token) = try await Self.answer(harness)
        let bodies = try await harness.test { client in
            var bodies: [String] = []
            for (key, presented) in [(ServiceHarness.apiKey, token), (ServiceHarness.otherKey, token), (ServiceHarness.apiKey, "v1.nope")] {
                try await client.execute(
                    uri: "/v1/feedback",
                    method: .post,
                    headers: ServiceHarness.authorized(key),
                    body: Self.feedback(traceID, token: presented)
                ) { bodies.append(String(buffer: $0.body) + "\($0.headers)") }
            }
            return bodies
        }
        #expect(bodies.count == 3)
        for body in bodies { #expect(!body.contains(ServiceHarness.secretText)) }
        let spans = harness.recorder.spans
        #expect(spans.count > 3)
        for span in spans {
            #expect(!span.name.contains(ServiceHarness.secretText))
            span.attributes.forEach { _, value in #expect(!"\(value)".contains(ServiceHarness.secretText)) }
        }
        let configuration = try ServiceConfiguration.fromEnvironment([
            "STACK_API_KEYS": "ka=alice", "STACK_FEEDBACK_SECRET": ServiceHarness.secretText,
        ])
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(ServiceHarness.secretText))
        #expect(!"\(configuration) \(String(reflecting: configuration.feedbackSecret))".contains(ServiceHarness.secretText))
        let short = "too-short-but-secret"
        do {
            _ = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS": "ka=alice", "STACK_FEEDBACK_SECRET": short])
            Issue.record("a short secret was accepted")
        } catch {
            #expect(error == .feedbackSecretTooShort(source: "STACK_FEEDBACK_SECRET"))
            #expect(!error.description.contains(short))
        }
    }

    @Test("Without a feedback secret stack serve's configuration fails, naming both variables and how to make one")
    func missingSecretIsAClearError() throws {
        do {
            _ = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS": "ka=alice"])
            Issue.record("configuration without a secret was accepted")
        } catch {
            #expect(error == .noFeedbackSecret)
            #expect(error.description.contains("STACK_FEEDBACK_SECRET "))
            #expect(error.description.contains("STACK_FEEDBACK_SECRET_FILE"))
            #expect(error.description.contains("openssl rand -hex 32"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stack-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("secret")
        try "  \(ServiceHarness.secretText)\n".write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS": "ka=alice", "STACK_FEEDBACK_SECRET_FILE": file.path])
        // The file's secret, trimmed, is the one the tokens are keyed by.
        let signer = FeedbackTokenSigner(secret: fromFile.feedbackSecret)
        #expect(signer.token(traceID: FeedbackTests.traceID, userID: "alice") == ServiceHarness.token(FeedbackTests.traceID, user: "alice"))
        #expect(throws: ServiceConfigurationError.twoFeedbackSecrets) {
            try ServiceConfiguration.fromEnvironment([
                "STACK_API_KEYS": "ka=alice", "STACK_FEEDBACK_SECRET": ServiceHarness.secretText, "STACK_FEEDBACK_SECRET_FILE": file.path,
            ])
        }
        let missing = folder.appendingPathComponent("absent").path
        do {
            _ = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS": "ka=alice", "STACK_FEEDBACK_SECRET_FILE": missing])
            Issue.record("a missing secret file was accepted")
        } catch {
            guard case .unreadableFeedbackSecretFile(let path, _) = error else {
                Issue.record("expected unreadableFeedbackSecretFile, got \(error)")
                return
            }
            #expect(path == missing)
        }
    }

    @Test(
        "Key entries take an optional role (key=user:admin) in STACK_API_KEYS and the key file; an unknown role is an error naming the entry, not the key"
    )
    func keyRoles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stack-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("keys")
        try "# team keys\nka=alice\nkops = ops : admin\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ServiceConfiguration.fromEnvironment([
            "STACK_API_KEYS": "kb=bob,kroot=root:admin", "STACK_API_KEYS_FILE": file.path, "STACK_FEEDBACK_SECRET": ServiceHarness.secretText,
        ])
        let keys = configuration.apiKeys
        #expect(keys.holder(ofKey: "ka") == APIUser(id: "alice"))
        #expect(keys.holder(ofKey: "kb") == APIUser(id: "bob"))
        #expect(keys.holder(ofKey: "kops") == APIUser(id: "ops", role: .admin))
        #expect(keys.holder(ofKey: "kroot")?.isAdmin == true)
        #expect(keys.user(forKey: "kops") == "ops")
        #expect(keys.holder(ofKey: "kx") == nil)

        try "ka=alice\n# ops\nsk-hidden-9 = ops:superuser\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ServiceConfiguration.fromEnvironment(["STACK_API_KEYS_FILE": file.path, "STACK_FEEDBACK_SECRET": ServiceHarness.secretText])
            Issue.record("an unknown role was accepted")
        } catch {
            #expect(error == .unknownAPIKeyRole(source: file.path, entry: 3))
            #expect(error.description.contains("admin"))
            #expect(!error.description.contains("sk-hidden-9"))
        }
        #expect(throws: ServiceConfigurationError.invalidAPIKeyEntry(source: "STACK_API_KEYS", entry: 2)) {
            try APIKeyStore.parse("ka=alice,kb=:admin", source: "STACK_API_KEYS")
        }
        #expect(throws: ServiceConfigurationError.unknownAPIKeyRole(source: "STACK_API_KEYS", entry: 1)) {
            try APIKeyStore.parse("ka=alice:", source: "STACK_API_KEYS")
        }
    }
}
