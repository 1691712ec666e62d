import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StackService
import Testing

@Suite("Host and Origin checks against DNS rebinding")
struct HostCheckTests {
    /// `Host`, as a field: the router tests run no HTTP/1 codec that would make it the authority.
    static let host = HTTPField.Name("Host")!
    static let routes: [(path: String, method: HTTPRequest.Method, body: String?)] = [
        ("/", .get, nil),
        ("/healthz", .get, nil),
        ("/v1/passages", .post, #"{"query":"sqlite"}"#),
        ("/v1/chat/completions", .post, #"{"messages":[{"role":"user","content":"hi"}]}"#),
        ("/v1/agent/runs", .post, #"{"goal":"hi"}"#),
    ]

    @Test("A foreign Host gets 421 with a JSON error and trace id on every route, page token and model untouched", arguments: routes.indices)
    func foreignHost(route: Int) async throws {
        let (path, method, body) = Self.routes[route]
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("hi")], page: PageConfiguration()) { _, _ in [] }
        let headers = {
            var headers = ServiceHarness.authorized
            headers[Self.host] = "attacker.example:8080"
            return headers
        }()
        try await harness.test { client in
            try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
                #expect(response.status == .misdirectedRequest)
                #expect(response.errorType == "misdirected_request")
                #expect(response.traceID?.isTraceID == true)
                #expect(!String(buffer: response.body).contains("stack-page-token"))
            }
        }
        #expect(harness.model.requests.isEmpty)
    }

    @Test("A foreign Origin gets 403; the server's own names in Host and Origin are answered")
    func origins() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("hi")])
        try await harness.test { client in
            var foreign = ServiceHarness.authorized
            foreign[Self.host] = "127.0.0.1:8080"
            foreign[.origin] = "http://attacker.example"
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: foreign, body: ByteBuffer(string: #"{"goal":"hi"}"#)) {
                #expect($0.status == .forbidden)
                #expect($0.errorMessage?.contains("origin") == true)
            }
            var own = ServiceHarness.authorized
            own[Self.host] = "localhost:8080"
            own[.origin] = "http://localhost:8080"
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: own, body: ByteBuffer(string: #"{"goal":"hi"}"#)) {
                #expect($0.status == .ok)
            }
        }
        #expect(harness.model.requests.count == 1)
    }
}
