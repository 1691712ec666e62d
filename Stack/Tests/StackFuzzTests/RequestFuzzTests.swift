import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInferenceTelemetry
import PhoenixClient
import PropertyBased
import StackAgent
import StackLLM
import StackService
import StackTestSupport
import Testing
import Tracing

@Suite("Fuzzing: the server's request decoding")
struct RequestFuzzTests {
    static let traceID = "0af7651916cd43dd8448eb211c80319c"

    /// The bodies mutated; the feedback one carries a valid token, so mutations reach past the check.
    static func seeds(signer: FeedbackTokenSigner) -> [(path: String, body: String)] {
        [
            ("/v1/agent/runs", #"{"goal":"Compare Postgres and SQLite.","session_id":"s-1"}"#),
            ("/v1/chat/completions", #"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"stream":false}"#),
            (
                "/v1/feedback",
                #"{"trace_id":"\#(traceID)","feedback_token":"\#(signer.token(traceID: traceID, userID: "fuzzer"))","label":"good","score":1}"#
            ),
        ]
    }

    /// Mutated and random bodies to every JSON route get an answer that is not a server error,
    /// always with a trace id, and the server keeps serving.
    @Test("Mutated and random request bodies never cause a 500 or a crash")
    func mutatedBodies() async throws {
        let model = ScriptedHTTPServer(
            [.json(#"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]}"#)],
            cycle: true
        )
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: try await model.start(), model: "scripted", maxRetries: 0))
        let signer = FeedbackTokenSigner(secret: try FeedbackSecret(String(repeating: "fuzz-secret-", count: 3), source: "test"))
        let api = StackAPI(
            agent: Agent(model: client, maxIterations: 1),
            client: client,
            feedback: FeedbackDesk(
                phoenix: PhoenixClient(baseURL: URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(1)),
                projectName: "fuzz",
                queue: try FeedbackQueue(path: ":memory:")
            ),
            feedbackTokens: signer,
            metrics: nil,
            maxBodyBytes: 4096
        )
        let app = Application(router: api.router(keys: APIKeyStore(["k": "fuzzer"])))
        let headers: HTTPFields = [.authorization: "Bearer k"]
        // Spans are recorded (and dropped) so every answer has a trace id to check.
        try await withTracer(StackTracer(processor: MultiSpanProcessor([]))) {
            try await app.test(.router) { client in
                // Feedback to a down Phoenix waits on a connection; the other routes take the bulk.
                for (index, seed) in Self.seeds(signer: signer).enumerated() {
                    await propertyCheck(count: index == 2 ? 30 : 150, input: Mutation.operations, Mutation.positions, Mutation.characters) {
                        operations, positions, characters in
                        let body = Mutation.apply(Mutation.edits(operations, positions, characters), to: seed.body)
                        let response = try? await client.execute(uri: seed.path, method: .post, headers: headers, body: ByteBuffer(string: body))
                        #expect(response != nil)
                        if let response {
                            #expect(response.status.code < 500 || response.status == .badGateway, "\(response.status) for \(body)")
                            #expect(response.headers[HTTPField.Name("X-Trace-Id")!] != nil)
                        }
                    }
                }
                await propertyCheck(count: 150, input: Gen<UInt8>.value(in: 0...255).array(of: 0...600)) { bytes in
                    let response = try? await client.execute(
                        uri: "/v1/chat/completions", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
                    #expect(response.map { $0.status.code < 500 } == true)
                }
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }
}
