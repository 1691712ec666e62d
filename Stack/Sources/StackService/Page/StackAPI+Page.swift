import Foundation
import HTTPTypes
import Hummingbird
import OpenInference
import StackLLM

extension StackAPI {
    /// `GET /`, the page's script and style, and `POST /v1/browser-spans`.
    func addPageRoutes(to router: Router<StackRequestContext>) {
        router.post("/v1/browser-spans") { request, context in
            try await acceptBrowserSpans(request, context: context)
        }
        router.post("/v1/passages") { request, context in
            try await findPassages(request, context: context)
        }
        guard let page else { return }
        router.get("/") { _, _ in
            try page.indexResponse()
        }
        router.get("/page/app.js") { _, _ in
            guard let assets = page.assets else { throw APIError(.notFound, type: "not_found", message: "the chat page's files are missing") }
            return ChatPage.file(assets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/page/app.css") { _, _ in
            guard let assets = page.assets else { throw APIError(.notFound, type: "not_found", message: "the chat page's files are missing") }
            return ChatPage.file(assets.style, type: "text/css; charset=utf-8")
        }
    }

    struct PassagesBody: Decodable {
        var query: String
        var limit: Int?
    }

    struct PassagesAnswer: Encodable {
        var passages: [PagePassage]
        var index: Bool
    }

    /// `POST /v1/passages`: `{query, limit?}` (limit 1 to 8, default 3) answers `{passages, index}`
    /// from the retrieval index, a RETRIEVER span in the request's trace; `index` is `false` (and the
    /// list empty) when the server has none.
    func findPassages(_ request: Request, context: StackRequestContext) async throws -> Response {
        guard let page else {
            throw APIError(
                .notFound, type: "page_disabled", message: "passages are served to the chat page, which is turned off on this server (STACK_PAGE)")
        }
        let body = try await request.decodeJSON(PassagesBody.self, context: context)
        let query = body.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty, query.count <= 4000 else { throw APIError.badRequest("field 'query' should be 1 to 4000 characters") }
        let limit = body.limit ?? 3
        guard (1...8).contains(limit) else { throw APIError.badRequest("field 'limit' should be from 1 to 8") }
        context.requestSpan?.attributes[SemanticConventions.Input.value] = query
        guard let search = page.search else { return Self.json(encoding: PassagesAnswer(passages: [], index: false)) }
        let documents: [RetrievalDocument]
        do {
            documents = try await withOpenInferenceContext(userID: context.userID) { try await search(query, limit) }
        } catch let error as LLMClientError {
            throw Self.upstreamError(error)
        }
        return Self.json(encoding: PassagesAnswer(passages: documents.compactMap(PagePassage.init), index: true))
    }

    /// `POST /v1/browser-spans`: validates a ``BrowserSpanReport`` completely (bounded size, the
    /// answer token covering its trace, once), then records its spans; nothing of a refused report
    /// is recorded. 202 with the count of spans recorded.
    func acceptBrowserSpans(_ request: Request, context: StackRequestContext) async throws -> Response {
        guard let page else {
            throw APIError(
                .notFound, type: "page_disabled", message: "browser spans come from the chat page, which is turned off on this server (STACK_PAGE)")
        }
        let report = try await request.decodeJSON(BrowserSpanReport.self, context: context, fixedLimit: BrowserSpanReport.maxBodyBytes)
        try report.validate()
        guard let user = context.userID else { throw APIError.unauthorized }
        // Page requests are limited by PageAccessMiddleware; API-key users here, per user.
        if context.pageTracePrefix == nil, let wait = page.limiter.admit("spans \(user)", limit: page.configuration.requestsPerMinute) {
            context.responseHeaders.set(.retryAfter, "\(wait)")
            throw APIError(.tooManyRequests, type: "rate_limited", message: "too many browser span reports; wait \(wait) seconds")
        }
        _ = try page.spendAnswerToken(report.token, traceID: report.traceID, userID: user, use: "browser-spans")
        report.record(userID: user)
        return Self.json(["status": "accepted", "spans": .int(report.spans.count)], status: .accepted)
    }
}
