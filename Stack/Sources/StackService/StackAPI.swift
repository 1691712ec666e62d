import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import Prometheus
import StackAgent
import StackLLM
import Tracing
import _OpenInferenceHTTP

/// The HTTP API of `stack serve`: its routes and what they need.
///
/// | Route | What it does |
/// |---|---|
/// | `POST /v1/agent/runs` | runs the agent on `{goal, session_id?}`; answers `{answer, stop_reason, iterations, trace_id, session_id}` |
/// | `POST /v1/chat/completions` | OpenAI-compatible pass-through to the model server, traced; `stream: true` answers server-sent events |
/// | `POST /v1/feedback` | `{trace_id, feedback_token?, label?, score?, explanation?, name?}` becomes an annotation on the trace in Phoenix (and on its session, when its spans name one); only the user the trace answered (proved by its `X-Feedback-Token`) or an admin key may send it |
/// | `POST /v1/passages` | `{query, limit?}` answers the retrieval index's passages for the chat page, `{passages, index}` |
/// | `POST /v1/browser-spans` | the chat page's timing of an answer (``BrowserSpanReport``) becomes spans of its trace |
/// | `GET /`, `/page/app.js`, `/page/app.css` | the chat page (``ChatPage``), no key needed, when it is on |
/// | `GET /healthz` | `{"status": "ok"}`, no key needed |
/// | `GET /metrics` | Prometheus text format, no key needed |
/// | `GET /openapi.json` | this API's OpenAPI 3.1 document (``OpenAPIDocument``), no key needed |
///
/// ```swift
/// let api = StackAPI(agent: agent, client: client, feedback: desk, feedbackTokens: FeedbackTokenSigner(secret: secret), metrics: registry)
/// let app = Application(router: api.router(keys: keys), configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// try await app.runService()
/// ```
public struct StackAPI: Sendable {
    /// Runs `POST /v1/agent/runs`.
    public var agent: Agent
    /// Serves `POST /v1/chat/completions`.
    public var client: LLMClient
    /// Takes `POST /v1/feedback`.
    public var feedback: FeedbackDesk
    /// Issues the `X-Feedback-Token` of each answer and checks the token feedback brings.
    public var feedbackTokens: FeedbackTokenSigner
    /// Rendered at `/metrics`; `nil` answers 404 there.
    public var metrics: PrometheusCollectorRegistry?
    /// Larger request bodies are refused with 413.
    public var maxBodyBytes: Int
    /// The chat page at `/`; `nil` when it is off.
    public var page: ChatPage?
    /// The `Host` and `Origin` values answered (``HostCheckMiddleware``); the loopback names unless set,
    /// as `stack serve` does, for the address it listens on.
    public var allowedHosts = AllowedHosts(listeningOn: "127.0.0.1", port: 0)

    /// Where the agent's system prompt comes from when it is kept in Phoenix (`STACK_PROMPT`); `nil` keeps
    /// the agent's own prompt.
    public var prompts: PromptSource?
    /// Where the API logs what it cannot show a client (a prompt from Phoenix that cannot be used).
    public var logger: Logger
    /// Evaluates a sampled share of the answered agent runs and chat completions in the background
    /// (`STACK_ONLINE_EVAL_RATIO`); `nil` evaluates none.
    public var onlineEvaluator: OnlineEvaluator?
    /// Served at `GET /openapi.json`; the bundled document unless set, `nil` answers 503 there.
    public var openAPI: OpenAPIDocument? = OpenAPIDocument.bundled()

    /// The request header naming the session a request belongs to.
    public static let sessionHeader = HTTPField.Name("X-Session-Id")!

    /// The API over these components.
    public init(
        agent: Agent,
        client: LLMClient,
        feedback: FeedbackDesk,
        feedbackTokens: FeedbackTokenSigner,
        metrics: PrometheusCollectorRegistry?,
        maxBodyBytes: Int = 1 << 20,
        page: ChatPage? = nil,
        prompts: PromptSource? = nil,
        logger: Logger = Logger(label: "stack.api")
    ) {
        self.agent = agent
        self.client = client
        self.feedback = feedback
        self.feedbackTokens = feedbackTokens
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.page = page
        self.prompts = prompts
        self.logger = logger
    }

    /// The router with every route, behind the telemetry, API-key and feedback-token middleware.
    public func router(keys: APIKeyStore) -> Router<StackRequestContext> {
        // HEAD is answered like GET, without a body, on every GET route.
        let router = Router(context: StackRequestContext.self, options: .autoGenerateHeadEndpoints)
        // Outermost first: the span is current for everything inside it, and errors are answers before
        // they reach metrics, the access log and the span.
        // A page token's request continues only its own page's trace (the token's trace-id prefix);
        // any other `traceparent` it names is ignored, so it cannot join (or feed) anyone else's trace.
        router.add(
            middleware: RequestSpanMiddleware { [page] request, traceID in
                guard let text = request.headers[ChatPage.tokenHeader], APIKeyMiddleware<StackRequestContext>.presentedKey(request.headers) == nil
                else {
                    return true
                }
                guard let page, let token = try? page.signer.verify(text, purpose: .page, userID: page.configuration.userID) else { return false }
                return traceID.hasPrefix(token.subject)
            })
        router.add(middleware: ResponseHeadersMiddleware())
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorResponseMiddleware())
        router.add(middleware: HostCheckMiddleware(allowed: allowedHosts))
        router.add(middleware: UploadLimitMiddleware(maxUploadSize: maxBodyBytes))
        router.add(middleware: PageAccessMiddleware(page: page))
        let openPaths: Set<String> = ["/healthz", "/metrics", OpenAPIDocument.path]
        router.add(middleware: APIKeyMiddleware(keys: keys, openPaths: page == nil ? openPaths : openPaths.union(ChatPage.openPaths)))
        router.add(middleware: FeedbackTokenMiddleware(signer: feedbackTokens, page: page))
        router.get("/healthz") { _, _ in
            Self.json(["status": "ok"])
        }
        router.get("/metrics") { _, _ in
            guard let metrics else { throw APIError(.notFound, type: "not_found", message: "metrics are not enabled") }
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.get(RouterPath(OpenAPIDocument.path)) { [openAPI] _, _ in
            try OpenAPIDocument.response(openAPI)
        }
        router.post("/v1/agent/runs") { request, context in
            try await runAgent(request, context: context)
        }
        router.post("/v1/chat/completions") { request, context in
            try await chatCompletions(request, context: context)
        }
        router.post("/v1/feedback") { request, context in
            try await acceptFeedback(request, context: context)
        }
        addPageRoutes(to: router)
        // Last, so that it wraps only the answer for requests no route matched.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path.description, $0.method) }))
        return router
    }

    // MARK: - POST /v1/agent/runs

    struct AgentRunBody: Decodable {
        var goal: String
        var session_id: String?
    }

    func runAgent(_ request: Request, context: StackRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(AgentRunBody.self, context: context)
        let goal = body.goal.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !goal.isEmpty else { throw APIError.badRequest("field 'goal' is empty; say what the agent should do") }
        let session = try Self.sessionID(header: request.headers[Self.sessionHeader], body: body.session_id)
        if let session { context.requestSpan?.attributes[SemanticConventions.Context.sessionID] = session }
        context.requestSpan?.attributes[SemanticConventions.Input.value] = goal
        let traceID = TraceParent.current?.traceID

        let result: AgentResult
        let (agent, template) = await agent.prompted(by: prompts, logger: logger)
        do {
            result = try await withOpenInferenceContext(sessionID: session, userID: context.userID, promptTemplate: template) {
                try await agent.run(goal: goal)
            }
        } catch let error as LLMClientError {
            throw Self.upstreamError(error)
        }
        context.requestSpan?.attributes[SemanticConventions.Output.value] = result.answer
        offerForEvaluation(input: goal, output: result.answer)
        return Self.json(
            encoding: AgentRunAnswer(
                answer: result.answer, stopReason: result.stopReason.rawValue, iterations: result.iterations,
                traceID: traceID, sessionID: session
            )
        )
    }

    /// The session from `X-Session-Id`, else from the body; at most 128 visible characters.
    static func sessionID(header: String?, body: String?) throws(APIError) -> String? {
        guard let raw = header ?? body else { return nil }
        let session = raw.trimmingCharacters(in: .whitespaces)
        guard !session.isEmpty, session.count <= 128, session.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw APIError.badRequest("the session id should be 1 to 128 visible ASCII characters without spaces")
        }
        return session
    }

    /// A model-server failure as the client should see it: which side failed, what to check and the
    /// trace holding the details. Never the server's URL or body (those are on the span, redacted).
    static func upstreamError(_ error: LLMClientError) -> APIError {
        let trace = TraceParent.current.map { "; trace \($0.traceID) holds the details" } ?? ""
        if case .timedOut = error {
            return APIError(.gatewayTimeout, type: "upstream_timeout", message: "the model call timed out: \(error.summary)\(trace)")
        }
        return APIError(.badGateway, type: "upstream_error", message: "the model call failed: \(error.summary)\(trace)")
    }

    // MARK: - POST /v1/chat/completions

    func chatCompletions(_ request: Request, context: StackRequestContext) async throws -> Response {
        var wire = try await request.decodeJSON(OpenAIWire.ChatCompletionRequest.self, context: context)
        if let n = wire.extra["n"], n != .int(1) {
            throw APIError.badRequest("field 'n' should be 1 or absent: this service answers one choice per request")
        }
        wire.extra["n"] = nil
        // Only the OpenAI API's own fields go to the model server; the rest (an `api_key`, a server's
        // private option) are dropped, and named on the request span.
        let dropped = wire.extra.keys.filter { !Self.forwardedChatFields.contains($0) }.sorted()
        if !dropped.isEmpty {
            for key in dropped { wire.extra[key] = nil }
            context.requestSpan?.attributes["stack.chat.dropped_fields"] = dropped
        }
        guard !wire.messages.isEmpty else { throw APIError.badRequest("field 'messages' is empty; send an array of {role, content} objects") }
        if let index = wire.messages.firstIndex(where: { $0.role == nil }) {
            throw APIError.badRequest("missing field 'messages[\(index)].role': every message needs a role such as user or assistant")
        }
        for key in ["max_tokens", "max_completion_tokens"] {
            let value = key == "max_tokens" ? wire.maxTokens : wire.maxCompletionTokens
            if let value, value <= 0 { throw APIError.badRequest("field '\(key)' should be a positive integer") }
        }
        // The client asks for usage on streams itself; everything else goes through as given.
        let chat = ChatRequest(wire)
        let stream = wire.stream ?? false
        let model = chat.model ?? client.configuration.model
        let id = "chatcmpl-\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let created = Int(Date().timeIntervalSince1970)
        // Built by `withOpenInferenceContext` (merged with any outer scope) and kept as a value: the
        // streamed body is written outside this handler's task-locals and sets it again there.
        let session = try Self.sessionID(header: request.headers[Self.sessionHeader], body: nil)
        let attribution = await withOpenInferenceContext(sessionID: session, userID: context.userID) { OpenInferenceContext.current }
        guard stream else {
            let response: ChatResponse
            do {
                response = try await OpenInferenceContext.$current.withValue(attribution) { try await client.chat(chat) }
            } catch let error as LLMClientError {
                throw Self.upstreamError(error)
            }
            offerForEvaluation(chat, answer: response)
            return Self.json(text: OpenAIWire.ChatCompletion(response, id: id, model: model, created: created).jsonText)
        }
        // The body is written after the handler returns, outside its task-locals: carry the trace
        // and the attribution into the writer so the LLM span nests under the request span.
        let trace = InstrumentationContext.current ?? .topLevel
        let events = ResponseBody { writer in
            try await InstrumentationContext.$current.withValue(trace) {
                try await OpenInferenceContext.$current.withValue(attribution) {
                    let answer = try await Self.stream(chat, client: self.client, id: id, model: model, created: created, into: &writer)
                    if let answer { self.offerForEvaluation(chat, answer: answer) }
                }
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: events
        )
    }

    /// The fields of OpenAI's chat completions request forwarded besides those ``OpenAIWire/ChatCompletionRequest``
    /// decodes itself (`model`, `messages`, `temperature`, `max_tokens`, `max_completion_tokens`, `tools`,
    /// `tool_choice`, `stream`, `stream_options`). `n` is refused unless 1.
    static let forwardedChatFields: Set<String> = [
        "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format", "seed",
        "stop", "top_p", "user", "parallel_tool_calls", "reasoning_effort", "metadata", "service_tier", "prediction",
        "verbosity", "modalities", "audio", "store", "functions", "function_call", "web_search_options",
    ]

    /// Streams the answer to `chat` into `writer`; returns it when the model answered.
    private static func stream(
        _ chat: ChatRequest,
        client: LLMClient,
        id: String,
        model: String,
        created: Int,
        into writer: inout any ResponseBodyWriter
    ) async throws -> ChatResponse? {
        func event(_ text: String) -> ByteBuffer { ByteBuffer(string: "data: \(text)\n\n") }
        func chunk(_ delta: OpenAIWire.Message?, finishReason: String?, usage: TokenUsage? = nil) -> ByteBuffer {
            let choices: [OpenAIWire.Choice] = delta == nil && finishReason == nil ? [] : [.init(index: 0, delta: delta, finishReason: finishReason)]
            return event(
                OpenAIWire.ChatCompletion(
                    id: id, object: "chat.completion.chunk", created: created, model: model, choices: choices,
                    usage: usage.map(OpenAIWire.Usage.init)
                ).jsonText
            )
        }
        let pieces = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        // The model call feeds a stream the writer drains, so text reaches the caller as it arrives.
        async let finished: Result<ChatResponse, any Error> = {
            defer { pieces.continuation.finish() }
            do {
                return .success(try await client.chatStream(chat) { text in pieces.continuation.yield(text) })
            } catch {
                return .failure(error)
            }
        }()
        try await writer.write(chunk(OpenAIWire.Message(role: "assistant"), finishReason: nil))
        for await text in pieces.stream {
            try await writer.write(chunk(OpenAIWire.Message(role: nil, content: .text(text)), finishReason: nil))
        }
        let answer: ChatResponse?
        switch await finished {
        case .success(let response):
            answer = response
            let calls = response.message.toolCalls.enumerated().map { index, call in
                OpenAIWire.ToolCall(index: index, id: call.id ?? "call_\(index)", function: .init(name: call.name, arguments: call.arguments))
            }
            try await writer.write(
                chunk(OpenAIWire.Message(role: nil, toolCalls: calls.isEmpty ? nil : calls), finishReason: response.finishReason ?? "stop"))
            if let usage = response.usage {
                try await writer.write(chunk(nil, finishReason: nil, usage: usage))
            }
        case .failure(let error):
            answer = nil
            // Headers are gone already; the error travels as an event, as OpenAI's streams do.
            let apiError =
                (error as? LLMClientError).map(Self.upstreamError)
                ?? APIError(.internalServerError, type: "internal_error", message: "the stream failed")
            let failure: OpenInferenceJSON = [
                "error": [
                    "message": .string(apiError.message), "type": .string(apiError.type),
                    "trace_id": TraceParent.current.map { .string($0.traceID) } ?? .null,
                ]
            ]
            try await writer.write(event(failure.jsonString))
        }
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        try await writer.finish(nil)
        return answer
    }

    // MARK: - POST /v1/feedback

    struct FeedbackBody: Decodable {
        var trace_id: String
        var feedback_token: String?
        var name: String?
        var label: String?
        var score: Double?
        var explanation: String?
    }

    func acceptFeedback(_ request: Request, context: StackRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(FeedbackBody.self, context: context)
        let traceID = body.trace_id.lowercased()
        guard traceID.count == 32, traceID.allSatisfy(\.isHexDigit), traceID != String(repeating: "0", count: 32) else {
            throw APIError.badRequest("field 'trace_id' should be the 32 hex characters of a response's X-Trace-Id")
        }
        guard body.label != nil || body.score != nil else {
            throw APIError.badRequest("send a 'label' (e.g. thumbs_down), a 'score' (e.g. 0 or 1), or both")
        }
        if let score = body.score, !score.isFinite { throw APIError.badRequest("field 'score' should be a finite number") }
        let name = body.name ?? "user_feedback"
        guard !name.isEmpty, name.count <= 100 else { throw APIError.badRequest("field 'name' should be 1 to 100 characters") }
        if let label = body.label, label.isEmpty || label.count > Feedback.maxLabelCharacters {
            throw APIError.badRequest("field 'label' should be 1 to \(Feedback.maxLabelCharacters) characters, e.g. thumbs_down")
        }
        if let explanation = body.explanation, explanation.count > Feedback.maxExplanationCharacters {
            throw APIError.badRequest("field 'explanation' should be at most \(Feedback.maxExplanationCharacters) characters")
        }
        // The token proves this service answered the trace for this user; an admin needs none.
        let token = body.feedback_token ?? request.headers[FeedbackTokenSigner.header]
        var feedbackID = UUID().uuidString.lowercased()
        let proven: Bool
        if let token, let user = context.userID, let page, token.hasPrefix("\(SignedToken.version).") {
            // The page's answer token: short-lived, once per answer on this replica; a replay on
            // another replica updates the same annotation, whose id the token determines.
            _ = try page.spendAnswerToken(token, traceID: traceID, userID: user, use: "feedback")
            feedbackID = ChatPage.feedbackID(token: token, name: name)
            proven = true
        } else if let token, let user = context.userID {
            proven = feedbackTokens.verifies(token, traceID: traceID, userID: user)
            // A replayed token updates the one annotation it made, on any replica, as a page token does.
            if proven { feedbackID = FeedbackTokenSigner.feedbackID(token: token, name: name) }
        } else {
            proven = false
        }
        guard proven || context.userRole == .admin else {
            throw token == nil ? APIError.feedbackTokenMissing : APIError.feedbackTokenRefused
        }
        let receipt = try await feedback.submit(
            Feedback(
                id: feedbackID, traceID: traceID, name: name, label: body.label, score: body.score, explanation: body.explanation,
                userID: context.userID
            )
        )
        switch receipt {
        case .delivered(let annotationID, let sessionID):
            return Self.json(encoding: FeedbackAnswer(status: "delivered", traceID: traceID, annotationID: annotationID, sessionID: sessionID))
        case .queued(let reason):
            return Self.json(encoding: FeedbackAnswer(status: "queued", traceID: traceID, reason: reason), status: .accepted)
        }
    }

    static func json(_ value: OpenInferenceJSON, status: HTTPResponse.Status = .ok) -> Response {
        json(text: value.jsonString, status: status)
    }

    /// A JSON answer whose body is `value`, encoded as the API's bodies are (keys sorted, slashes unescaped).
    static func json(encoding value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let text = (try? OpenAIWire.encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return json(text: text, status: status)
    }

    /// A JSON answer whose body is `text`.
    static func json(text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
