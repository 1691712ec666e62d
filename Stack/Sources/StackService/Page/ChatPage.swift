import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OpenInference

/// The chat page at `/` and what it needs: its files, the page and answer tokens it holds instead
/// of an API key, and the rate limits on them.
///
/// Every load of `/` gets a fresh page token (``SignedToken/Purpose/page``) whose subject is a
/// random 16-hex-character trace-id prefix: the page starts each question with a `traceparent`
/// whose trace id begins with it, and only such traces (or fresh ones the server starts) earn an
/// answer token, so a page token cannot be used to join, annotate or add spans to anyone else's
/// trace.
public final class ChatPage: Sendable {
    /// The request header carrying the page token.
    public static let tokenHeader = HTTPField.Name("X-Page-Token")!

    /// Who the page asks as, for how long, how often.
    public let configuration: PageConfiguration
    /// The files served; `nil` answers 503 at `/` with what to do.
    public let assets: PageAssets?
    /// Where each answer's "view trace" link points (Phoenix's base URL).
    public let phoenixURL: URL?
    /// Finds passages for a question (the retrieval index of `stack serve`); `nil` without an index.
    public let search: (@Sendable (_ query: String, _ limit: Int) async throws -> [RetrievalDocument])?
    let signer: FeedbackTokenSigner
    let limiter = PageRateLimiter()
    let spent = SpentTokens()

    /// - Parameters:
    ///   - configuration: who the page asks as and its limits.
    ///   - signer: signs and checks page and answer tokens (the feedback secret).
    ///   - assets: the files; by default those in the resource bundle.
    ///   - phoenixURL: Phoenix's base URL for trace links; `nil` shows the trace id only.
    ///   - search: finds passages for a question (recording its RETRIEVER span); `nil` when there is no index.
    public init(
        configuration: PageConfiguration,
        signer: FeedbackTokenSigner,
        assets: PageAssets? = PageAssets.bundled(),
        phoenixURL: URL?,
        search: (@Sendable (_ query: String, _ limit: Int) async throws -> [RetrievalDocument])? = nil
    ) {
        self.configuration = configuration
        self.signer = signer
        self.assets = assets
        self.phoenixURL = phoenixURL
        self.search = search
    }

    /// Paths a page token may call: asking, feedback and timing reports.
    static let tokenPaths: Set<String> = ["/v1/passages", "/v1/chat/completions", "/v1/feedback", "/v1/browser-spans"]

    /// Paths served without any token.
    static let openPaths: Set<String> = ["/", "/page/app.js", "/page/app.css"]

    /// A fresh page token, valid for the configured lifetime from `now`.
    func issuePageToken(now: Date = Date()) -> (token: String, prefix: String) {
        var generator = SystemRandomNumberGenerator()
        var prefix = String(generator.next(upperBound: UInt64.max), radix: 16)
        prefix = String(repeating: "0", count: 16 - prefix.count) + prefix
        if prefix == String(repeating: "0", count: 16) { prefix = "0000000000000001" }
        let expires = now.addingTimeInterval(Double(configuration.tokenLifetime.components.seconds))
        return (signer.sign(SignedToken(purpose: .page, subject: prefix, userID: configuration.userID, expires: expires)), prefix)
    }

    /// The answer token for `traceID` held by `userID`.
    func issueAnswerToken(traceID: String, userID: String, now: Date = Date()) -> String {
        let expires = now.addingTimeInterval(Double(configuration.tokenLifetime.components.seconds))
        return signer.sign(SignedToken(purpose: .answer, subject: traceID, userID: userID, expires: expires))
    }

    /// Checks an answer token for `traceID`, and that this replica has not accepted it for `use` yet.
    func spendAnswerToken(_ text: String, traceID: String, userID: String, use: String, now: Date = Date()) throws(APIError) -> SignedToken {
        let token: SignedToken
        do {
            token = try signer.verify(text, purpose: .answer, userID: userID, now: now)
        } catch {
            throw Self.refusal(error)
        }
        guard token.subject == traceID.lowercased() else { throw Self.refusal(SignedTokenError(.wrongSubject, purpose: .answer)) }
        guard spent.spend("\(use)\n\(text)", expires: token.expires, now: now) else {
            throw Self.refusal(SignedTokenError(.replayed, purpose: .answer))
        }
        return token
    }

    /// The API error for a refused token: 401 when expired, 409 when replayed, else 403.
    static func refusal(_ error: SignedTokenError) -> APIError {
        switch error.code {
        case .expired: return APIError(.unauthorized, type: "token_expired", message: error.description)
        case .replayed: return APIError(.conflict, type: "token_replayed", message: error.description)
        default: return APIError(.forbidden, type: "invalid_token", message: error.description)
        }
    }

    /// `/` with a fresh page token and the Phoenix link filled in; no caching, a strict content policy.
    func indexResponse(now: Date = Date()) throws(APIError) -> Response {
        guard let assets else {
            throw APIError(
                .serviceUnavailable,
                type: "page_unavailable",
                message: "the chat page's files (\(PageAssets.bundleName)) are not beside the stack binary; "
                    + "run it from its build folder or copy the folder with it, or set STACK_PAGE=off"
            )
        }
        let html = assets.html
            .replacingOccurrences(of: "{{page_token}}", with: issuePageToken(now: now).token)
            .replacingOccurrences(of: "{{phoenix_url}}", with: Self.escapeHTML(phoenixURL?.absoluteString ?? ""))
            .replacingOccurrences(of: "{{user_id}}", with: Self.escapeHTML(configuration.userID))
        var response = Self.file(html, type: "text/html; charset=utf-8")
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A static file answer with the page's security headers.
    static func file(_ text: String, type: String) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

extension ChatPage {
    /// The id of feedback given with an answer token: the same on every replica, so a replay
    /// elsewhere updates the annotation instead of adding one.
    static func feedbackID(token: String, name: String) -> String {
        Feedback.derivedID(token: token, name: name, prefix: "page-")
    }
}
