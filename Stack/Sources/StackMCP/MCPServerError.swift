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
            case failedToStart, exited, timedOut, toolError, protocolError, malformedResult, invalidArguments
        }
        private let base: Base

        /// The command could not be started, or did not complete the MCP handshake.
        public static let failedToStart = Code(base: .failedToStart)
        /// The server process ended (crashed or quit) while it was needed.
        public static let exited = Code(base: .exited)
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

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The server's command, as configured.
    public var server: String
    /// What happened and what to do, in words.
    public var message: String
    /// The error beneath, when there is one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error about `server`.
    public init(_ code: Code, server: String, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.server = server
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "MCP server '\(server)': \(message)"
    }
}
