import Foundation
import HTTPTypes
import Hummingbird

extension StackAPI {
    /// `GET /`, the page's script and style, and `POST /v1/browser-spans`.
    func addPageRoutes(to router: Router<StackRequestContext>) {
        router.post("/v1/browser-spans") { request, context in
            try await acceptBrowserSpans(request, context: context)
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

    /// `POST /v1/browser-spans`: validates a ``BrowserSpanReport`` completely (bounded size, the
    /// answer token covering its trace, once), then records its spans; nothing of a refused report
    /// is recorded. 202 with the count of spans recorded.
    func acceptBrowserSpans(_ request: Request, context: StackRequestContext) async throws -> Response {
        guard let page else {
            throw APIError(.notFound, type: "page_disabled", message: "browser spans come from the chat page, which is turned off on this server (STACK_PAGE)")
        }
        var limited = context
        limited.maxUploadSize = min(context.maxUploadSize, BrowserSpanReport.maxBodyBytes)
        let report = try await request.decodeJSON(BrowserSpanReport.self, context: limited)
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
