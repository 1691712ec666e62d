import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("A served path asked with another method: 405 with Allow, not 404")
struct MethodNotAllowedTests {
    @Test(
        "The answer is 405 in the API's error shape, and Allow names the methods the path takes",
        arguments: [
            ("/v1/chat/completions", HTTPRequest.Method.get, "POST"),
            ("/v1/feedback", .delete, "POST"),
            ("/healthz", .post, "GET, HEAD"),
            ("/openapi.json", .put, "GET, HEAD"),
        ]
    )
    func methodNotAllowed(path: String, method: HTTPRequest.Method, allow: String) async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: path, method: method, headers: ServiceHarness.authorized) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == allow)
                #expect(response.errorMessage?.contains("does not take \(method.rawValue)") == true)
                #expect(response.traceID?.count == 32)
            }
        }
    }

    @Test("A path no route serves stays 404, and the served methods still answer")
    func unknownPathAndServedMethods() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: "/v1/nothing", method: .get, headers: ServiceHarness.authorized) {
                #expect($0.status == .notFound)
                #expect($0.headers[.allow] == nil)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/healthz", method: .head) { #expect($0.status == .ok) }
        }
    }
}
