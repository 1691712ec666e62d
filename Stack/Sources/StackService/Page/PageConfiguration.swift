import Foundation
import _OpenInferenceConfiguration

/// Whether `stack serve` serves the chat page at `/`, and on what terms.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_PAGE` | ``mode``: `auto`, `on` or `off` | `auto`: on when listening on a loopback address |
/// | `STACK_PAGE_USER` | ``userID``: the user the page's questions are attributed to | `page` |
/// | `STACK_PAGE_TOKEN_TTL` | ``tokenLifetime``: seconds a page or answer token is accepted | 3600 |
/// | `STACK_PAGE_RATE` | ``requestsPerMinute``: per page token, and 4× that per client address | 30 |
///
/// The page asks without an API key: whoever can load it can ask questions as ``userID``, at the
/// rate above. That is why `auto` turns it on only on `127.0.0.1`, `::1` or `localhost`; on any
/// other address it needs `STACK_PAGE=on`, and `STACK_PAGE=off` turns it off everywhere.
public struct PageConfiguration: Sendable, Hashable {
    /// When the page is served.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Served when the service listens on a loopback address only.
        case auto
        /// Always served.
        case on
        /// Never served: `/` is refused like any request without an API key, page tokens get 404.
        case off
    }

    /// `STACK_PAGE`.
    public var mode: Mode
    /// `STACK_PAGE_USER`: recorded as `user.id` on the page's traces and feedback.
    public var userID: String
    /// `STACK_PAGE_TOKEN_TTL`: how long a page load may ask, and an answer take feedback.
    public var tokenLifetime: Duration
    /// `STACK_PAGE_RATE`: requests per minute a page token may make (its client address, 4× that).
    public var requestsPerMinute: Int

    /// A configuration with the defaults in the table above.
    public init(mode: Mode = .auto, userID: String = "page", tokenLifetime: Duration = .seconds(3600), requestsPerMinute: Int = 30) {
        self.mode = mode
        self.userID = userID
        self.tokenLifetime = tokenLifetime
        self.requestsPerMinute = requestsPerMinute
    }

    /// Whether the page is served when listening on `host`.
    public func isEnabled(host: String) -> Bool {
        switch mode {
        case .on: return true
        case .off: return false
        case .auto: return ["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) || host.hasPrefix("127.")
        }
    }

    /// Reads the variables in the table above.
    static func read(_ reader: ConfigurationReader) throws(ServiceConfigurationError) -> PageConfiguration {
        var page = PageConfiguration()
        if let raw = reader.string("STACK_PAGE") {
            guard let mode = Mode(rawValue: raw.lowercased()) else {
                throw .invalidValue(variable: "STACK_PAGE", value: raw, expected: "auto, on or off")
            }
            page.mode = mode
        }
        if let user = reader.string("STACK_PAGE_USER") {
            guard !user.isEmpty, user.count <= 128, !user.contains(":") else {
                throw .invalidValue(variable: "STACK_PAGE_USER", value: user, expected: "a user id of 1 to 128 characters without ':'")
            }
            page.userID = user
        }
        do {
            if let seconds = try reader.int("STACK_PAGE_TOKEN_TTL", in: 60...86_400, expected: "seconds from 60 to 86400") {
                page.tokenLifetime = .seconds(seconds)
            }
            if let rate = try reader.positiveInt("STACK_PAGE_RATE", example: 30) { page.requestsPerMinute = rate }
        } catch {
            throw .invalidValue(variable: error.variable, value: error.value, expected: error.expected)
        }
        return page
    }
}
