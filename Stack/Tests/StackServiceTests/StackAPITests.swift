import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenInference
import OpenInferenceTelemetry
import StackLLM
import StackService
import StackTestSupport
import Testing
import Tracing

@Suite("HTTP API: routes, errors, trace ids and attribution")
struct StackAPITests {
    @Test("An agent run answers with its trace id, and the request span carries user.id and session.id above the AGENT span")
    func agentRunIsTracedAndAttributed() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("Use SQLite.")])
        var sessionHeaders = ServiceHarness.authorized
        sessionHeaders[HTTPField.Name("X-Session-Id")!] = "session-42"
        let headers = sessionHeaders
        let response = try await harness.test { client in
            try await client.execute(
                uri: "/v1/agent/runs",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"goal":"Which database?"}"#)
            )
        }
        let (status, body, traceID) = (response.status, response.decoded(AgentRunAnswer.self), response.traceID)
        #expect(status == .ok)
        #expect(body?.answer == "Use SQLite.")
        #expect(body?.stopReason == "final_answer")
        #expect(body?.iterations == 1)
        #expect(body?.sessionID == "session-42")
        let header = try #require(traceID)
        #expect(header.isTraceID)
        #expect(body?.traceID == header)

        let spans = harness.recorder.spans
        let root = try #require(spans.first { $0.parentSpanID == nil })
        #expect(root.name == "POST /v1/agent/runs")
        #expect(root.context.traceIDHex == header)
        #expect(root.attributes.get("user.id") == .string("user-7"))
        #expect(root.attributes.get("session.id") == .string("session-42"))
        #expect(root.attributes.get("http.response.status_code") == .int64(200))
        let agent = try #require(spans.first { $0.attributes.get("openinference.span.kind") == .string("AGENT") })
        #expect(agent.parentSpanID == root.context.traceContext.spanID)
        #expect(agent.attributes.get("user.id") == .string("user-7"))
        #expect(agent.attributes.get("session.id") == .string("session-42"))
        let llm = try #require(spans.first { $0.attributes.get("openinference.span.kind") == .string("LLM") })
        #expect(llm.attributes.get("llm.cost.total") != nil)
        // The API key never reaches a span.
        for span in spans {
            span.attributes.forEach { _, value in #expect(!"\(value)".contains(ServiceHarness.apiKey)) }
        }
    }

    @Test("An incoming traceparent continues the caller's trace, and the model server receives it")
    func traceparentIsHonouredAndPropagated() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("ok")])
        let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        var parentHeaders = ServiceHarness.authorized
        parentHeaders[HTTPField.Name("traceparent")!] = "00-\(callerTrace)-00f067aa0ba902b7-01"
        let headers = parentHeaders
        let traceID = try await harness.test { client in
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"goal":"hi"}"#)) {
                $0.traceID
            }
        }
        #expect(traceID == callerTrace)
        let root = try #require(harness.recorder.spans.first { $0.name == "POST /v1/agent/runs" })
        #expect(root.parentSpanID?.description == "00f067aa0ba902b7")
        let outgoing = try #require(harness.model.requests.first?.headers["traceparent"])
        #expect(outgoing.contains(callerTrace))
    }

    @Test("Requests without a valid key get 401 with a JSON error and a trace id; health needs no key")
    func authentication() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: "/v1/agent/runs", method: .post, body: ByteBuffer(string: #"{"goal":"hi"}"#)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.errorMessage?.contains("Authorization: Bearer") == true)
                #expect(response.traceID?.isTraceID == true)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(
                uri: "/v1/agent/runs",
                method: .post,
                headers: [.authorization: "Bearer sk-wrong-key"],
                body: ByteBuffer(string: #"{"goal":"hi"}"#)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains("sk-wrong-key"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.traceID?.isTraceID == true)
            }
        }
        #expect(harness.model.requests.isEmpty)
    }

    @Test("Unknown routes get a JSON 404 that still carries X-Trace-Id")
    func notFoundCarriesTraceID() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: ServiceHarness.authorized) { response in
                #expect(response.status == .notFound)
                #expect(response.traceID?.isTraceID == true)
                #expect(response.errorMessage != nil)
            }
        }
    }

    @Test(
        "Malformed bodies get 400 naming the problem and oversized ones 413; the model is never called",
        arguments: [
            ("{not json", 400, "not valid JSON"),
            (#"{"session_id":"s"}"#, 400, "missing field 'goal'"),
            (#"{"goal":42}"#, 400, "'goal' should be a string"),
            (#"{"goal":"   "}"#, 400, "'goal' is empty"),
            ("", 400, "empty"),
            (#"{"goal":"\#(String(repeating: "x", count: 5000))"}"#, 413, "larger than 1024 bytes"),
        ]
    )
    func invalidAgentRunBodies(body: String, status: Int, message: String) async throws {
        let harness = try await ServiceHarness(modelReplies: [], maxBodyBytes: 1024)
        try await harness.test { client in
            try await client.execute(uri: "/v1/agent/runs", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                response in
                #expect(Int(response.status.code) == status)
                #expect(response.errorMessage?.contains(message) == true, "\(response.errorMessage ?? "no message")")
                #expect(response.traceID?.isTraceID == true)
            }
        }
        #expect(harness.model.requests.isEmpty)
    }

    @Test("A model server failure is a 502 with a JSON error and an ERROR request span")
    func upstreamFailure() async throws {
        let harness = try await ServiceHarness(modelReplies: [.json(#"{"error":{"message":"overloaded"}}"#, status: 503)])
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/agent/runs", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: #"{"goal":"hi"}"#)
            ) {
                response in
                #expect(response.status == .badGateway)
                #expect(response.errorMessage?.contains("503") == true)
                #expect(response.traceID?.isTraceID == true)
            }
        }
        let root = try #require(harness.recorder.spans.first { $0.name == "POST /v1/agent/runs" })
        #expect(root.status?.code == .error)
    }

    @Test("Chat completions pass through in OpenAI's shape, as one LLM span under the request")
    func chatCompletionsPassThrough() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("Hello there")])
        let body = #"{"model":"scripted","messages":[{"role":"user","content":"Say hello"}],"temperature":0.1,"max_tokens":20,"seed":7}"#
        let response = try await harness.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body))
        }
        #expect(response.status == .ok)
        let completion = try #require(response.decoded(OpenAIWire.ChatCompletion.self))
        #expect(completion.object == "chat.completion")
        #expect(completion.choices?.first?.message?.content == .text("Hello there"))
        #expect(completion.usage?.totalTokens == 46)
        let forwarded = try JSONDecoder().decode(
            OpenAIWire.ChatCompletionRequest.self, from: Data(try #require(harness.model.requests.first?.body).utf8)
        )
        #expect(forwarded.extra["seed"] == 7)
        #expect(forwarded.maxTokens == 20)
        let llm = try #require(harness.recorder.spans.first { $0.attributes.get("openinference.span.kind") == .string("LLM") })
        #expect(llm.attributes.get("llm.input_messages.0.message.content") == .string("Say hello"))
        #expect(llm.attributes.get("user.id") == .string("user-7"))
        let root = try #require(harness.recorder.spans.first { $0.name == "POST /v1/chat/completions" })
        #expect(llm.parentSpanID == root.context.traceContext.spanID)
    }

    @Test("A streamed chat completion arrives as server-sent events ending in [DONE], with the LLM span under the request")
    func chatCompletionsStream() async throws {
        let harness = try await ServiceHarness(modelReplies: [
            .events([
                #"{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#,
                #"{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}"#,
                #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#,
            ])
        ])
        let body = #"{"messages":[{"role":"user","content":"hi"}],"stream":true}"#
        let text = try await harness.test { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)) {
                #expect($0.headers[.contentType] == "text/event-stream")
                return String(buffer: $0.body)
            }
        }
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.last == "data: [DONE]")
        #expect(text.contains(#""content":"Hel""#))
        #expect(text.contains(#""content":"lo""#))
        #expect(text.contains(#""total_tokens":7"#))
        let llm = try #require(harness.recorder.spans.first { $0.attributes.get("openinference.span.kind") == .string("LLM") })
        #expect(llm.attributes.get("llm.output_messages.0.message.content") == .string("Hello"))
        #expect(llm.attributes.get("output.mime_type") == .string("application/json"))
        let root = try #require(harness.recorder.spans.first { $0.name == "POST /v1/chat/completions" })
        #expect(llm.parentSpanID == root.context.traceContext.spanID)
        #expect(llm.context.traceIDHex == root.context.traceIDHex)
    }

    @Test("Chat requests that are not OpenAI-shaped get 400 naming the field")
    func invalidChatBodies() async throws {
        let harness = try await ServiceHarness(modelReplies: [])
        try await harness.test { client in
            for (body, message) in [
                (#"{"model":"x"}"#, "missing field 'messages'"),
                (#"{"messages":[{"content":"hi"}]}"#, "messages[0].role"),
                (#"{"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}"#, "'temperature' should be a number"),
                (#"[1,2]"#, "JSON object"),
            ] {
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: body)
                ) {
                    #expect($0.status == .badRequest)
                    #expect($0.errorMessage?.contains(message) == true, "\($0.errorMessage ?? "none") for \(body)")
                }
            }
        }
        #expect(harness.model.requests.isEmpty)
    }

    @Test("/metrics serves request latency, errors and tokens by model in Prometheus text")
    func metricsEndpoint() async throws {
        let harness = try await ServiceHarness(modelReplies: [ServiceHarness.textReply("ok")])
        let text = try await harness.test { client in
            try await client.execute(
                uri: "/v1/agent/runs", method: .post, headers: ServiceHarness.authorized, body: ByteBuffer(string: #"{"goal":"hi"}"#))
            try await client.execute(uri: "/v1/agent/runs", method: .post, body: ByteBuffer(string: #"{"goal":"hi"}"#))
            return try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        #expect(text.contains("http_server_request_duration_seconds"))
        #expect(text.contains(#"route="/v1/agent/runs""#))
        #expect(text.contains("http_server_errors_total"))
        #expect(text.contains(#"llm_tokens_total{model="scripted",kind="prompt"}"#))
        #expect(text.contains("llm_cost_usd_total"))
    }
}
