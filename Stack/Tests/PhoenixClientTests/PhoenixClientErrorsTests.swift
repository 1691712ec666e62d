import Foundation
import PhoenixClient
import StackTestSupport
import Testing

@Suite("Phoenix client: authentication, retries and errors that say what to do")
struct PhoenixClientErrorsTests {
    /// A client for a scripted server (`start()` answers `…/v1`; the client wants the root).
    static func client(_ server: ScriptedHTTPServer, apiKey: String? = nil) async throws -> PhoenixClient {
        let url = try await server.start().deletingLastPathComponent()
        return PhoenixClient(baseURL: url, apiKey: apiKey, requestTimeout: .seconds(5))
    }

    @Test(
        "Each reason has its own code; the status and path are there to read where the reason has them",
        arguments: [
            (
                PhoenixClientError.unreachable(baseURL: "http://phoenix", reason: "refused"), PhoenixClientError.Code.unreachable, nil as Int?,
                nil as String?
            ),
            (.httpStatus(404, path: "/v1/projects/x", body: ""), .httpStatus, 404, "/v1/projects/x"),
            (.unexpectedResponse(path: "/v1/spans", reason: "not JSON"), .unexpectedResponse, nil, "/v1/spans"),
            (.timedOut(waitingFor: "2 spans", seen: 1), .timedOut, nil, nil),
            (.unsupportedRoute("POST /v1/prompts", serverVersion: "4.2.0"), .unsupportedRoute, nil, "POST /v1/prompts"),
        ]
    )
    func codes(error: PhoenixClientError, code: PhoenixClientError.Code, status: Int?, path: String?) {
        #expect(error.code == code)
        #expect(error.status == status)
        #expect(error.path == path)
    }

    @Test("An older Phoenix that answers a route with its web page is named with both versions")
    func unsupportedRouteNamesVersions() async throws {
        let html = ScriptedHTTPServer.Reply(
            headers: [("Content-Type", "text/html; charset=utf-8"), ("x-phoenix-server-version", "4.2.0")],
            chunks: ["<!doctype html><html></html>"]
        )
        let server = ScriptedHTTPServer([html])
        let phoenix = try await Self.client(server)
        defer { Task { try? await server.stop() } }
        let error = await #expect(throws: PhoenixClientError.self) { try await phoenix.prompt(named: "agent") }
        #expect(error == .unsupportedRoute("GET /v1/prompts/agent/latest", serverVersion: "4.2.0"))
        let text = String(describing: error.map { $0 as PhoenixClientError })
        #expect(text.contains("4.2.0") && text.contains("20."))
    }

    @Test("A route the server does not know (405) is an unsupported route, not a bad request")
    func methodNotAllowedIsUnsupported() async throws {
        let server = ScriptedHTTPServer([.init(status: 405, headers: [("Content-Type", "text/plain")], chunks: ["Method Not Allowed"])])
        let phoenix = try await Self.client(server)
        defer { Task { try? await server.stop() } }
        await #expect(throws: PhoenixClientError.unsupportedRoute("POST /v1/prompts", serverVersion: nil)) {
            try await phoenix.pushPrompt(name: "agent", template: "Be brief.")
        }
    }

    @Test("The API key goes out as a bearer token and never into an error")
    func bearerTokenNotInErrors() async throws {
        let server = ScriptedHTTPServer([.init(status: 401, headers: [("Content-Type", "text/plain")], chunks: ["Invalid token"])])
        let phoenix = try await Self.client(server, apiKey: "sk-secret-123")
        defer { Task { try? await server.stop() } }
        let error = await #expect(throws: PhoenixClientError.self) { try await phoenix.projectID(named: "default") }
        #expect(server.requests.first?.headers["authorization"] == "Bearer sk-secret-123")
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("401") && text.contains("PHOENIX_API_KEY"))
        #expect(!text.contains("sk-secret-123"))
    }

    @Test("A transient 503 is retried once and the second answer is used")
    func retriesTransientStatus() async throws {
        let server = ScriptedHTTPServer([
            .init(status: 503, headers: [("Content-Type", "text/plain")], chunks: ["restarting"]),
            .json(#"{"data":{"id":"UHJvamVjdDox","name":"default","description":null}}"#),
        ])
        let phoenix = try await Self.client(server)
        defer { Task { try? await server.stop() } }
        #expect(try await phoenix.projectID(named: "default") == "UHJvamVjdDox")
        #expect(server.requests.count == 2)
    }

    @Test("An answer that is not the documented JSON is an unexpected response, not a crash")
    func malformedAnswer() async throws {
        let server = ScriptedHTTPServer([.json(#"{"data":{"name":"default"}}"#)])
        let phoenix = try await Self.client(server)
        defer { Task { try? await server.stop() } }
        await #expect {
            try await phoenix.projectID(named: "default")
        } throws: { error in
            (error as? PhoenixClientError)?.code == .unexpectedResponse
        }
    }
}
