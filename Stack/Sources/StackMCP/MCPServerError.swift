import Foundation

/// Why an MCP server or one of its tool calls failed, and what to do about it.
///
/// Like swift-nio's errors it is a struct: ``code`` says what kind of failure it was, ``server`` which
/// server (the command as given), ``underlying`` the error beneath when there is one. The description
/// is what the model reads as the tool's result and what the TOOL span records, so it names the server
/// and the remedy, never the server's environment or any secret.
public struct MCPServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case failedToStart, exited, unreachable, timedOut, toolError, protocolError, malformedResult, invalidArguments
        }
        private let base: Base

        /// The command could not be started, or did not complete the MCP handshake.
        public static let failedToStart = Code(base: .failedToStart)
        /// The server process ended (crashed or quit) while it was needed.
        public static let exited = Code(base: .exited)
        /// The server's URL could not be reached (connection refused, unknown host, TLS failure).
        public static let unreachable = Code(base: .unreachable)
        /// No answer within `STACK_MCP_TIMEOUT`.
        public static let timedOut = Code(base: .timedOut)
        /// The tool ran and reported an error (`isError: true`).
        public static let toolError = Code(base: .toolError)
        /// The server answered a JSON-RPC error.
        public static let protocolError = Code(base: .protocolError)
        /// The server's answer was not an MCP result.
        public static let malformedResult = Code(base: .malformedResult)
        /// The arguments were not a JSON object.
        public static let invalidArguments = Code(base: .invalidArguments)

        /// The code's name, such as `timedOut`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The server's command, as configured, with values that may be secrets replaced by `…`
    /// (``redacting(_:)``).
    public var server: String
    /// What happened and what to do, in words.
    public var message: String
    /// The error beneath, when there is one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error about `server`.
    public init(_ code: Code, server: String, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.server = Self.redacting(server)
        self.message = message
        self.underlying = underlying
    }

    /// The server, what happened and what to do, as the model and the span read it.
    public var description: String {
        "MCP server '\(server)': \(message)"
    }

    /// `command` fit for errors and logs: the values of variable assignments (`API_KEY=…`) and of options
    /// whose name mentions a key, token, secret or password (`--api-key …`, `--token=…`) become `…`; in a
    /// URL, so do its user and password and such query parameters (`https://…@host/mcp?token=…`).
    public static func redacting(_ command: String) -> String {
        func sensitive(_ name: Substring) -> Bool {
            let lower = name.lowercased()
            return ["key", "token", "secret", "password", "auth"].contains { lower.contains($0) }
        }
        var words: [String] = []
        var hideNext = false
        for word in command.split(separator: " ", omittingEmptySubsequences: false) {
            if hideNext {
                words.append("…")
                hideNext = false
            } else if word.hasPrefix("http://") || word.hasPrefix("https://"), var url = URLComponents(string: String(word)) {
                let hadCredentials = url.user != nil || url.password != nil
                let query = url.percentEncodedQuery.map { query in
                    query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
                        let name = pair.prefix { $0 != "=" }
                        return sensitive(name) && name.count < pair.count ? name + "=…" : String(pair)
                    }.joined(separator: "&")
                }
                url.user = nil
                url.password = nil
                url.percentEncodedQuery = nil
                url.fragment = nil
                var shown = url.string ?? "…"
                if hadCredentials, let separator = shown.range(of: "://") { shown.insert(contentsOf: "…@", at: separator.upperBound) }
                if let query { shown += "?" + query }
                words.append(shown)
            } else if let equals = word.firstIndex(of: "="),
                word.hasPrefix("-") ? sensitive(word[..<equals]) : word[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            {
                words.append(word[...equals] + "…")
            } else {
                if word.hasPrefix("-"), sensitive(word) { hideNext = true }
                words.append(String(word))
            }
        }
        return words.joined(separator: " ")
    }
}
