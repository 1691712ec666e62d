#if Telemetry || Phoenix
/// The `Host` and `Origin` values a server listening on an address accepts: the guard against DNS
/// rebinding shared by `stack serve` and `stack mcp --http`.
///
/// - A loopback address (`127.0.0.1`, `localhost`, `::1`) accepts the loopback names on any port (or none).
/// - Another address accepts itself on the bound port (any port when that is 0, chosen at bind time)
///   and the loopback names.
/// - A wildcard address (`0.0.0.0`, `::`, `*`) cannot know the names it is reached by, so it checks
///   nothing unless names are given (`STACK_ALLOWED_HOSTS` for `stack serve`): serving every interface
///   is a deliberate exposure, to put behind a proxy that authenticates.
///
/// Extra names (`extra`) are accepted on top of these: `name` with any port or none, or `name:port` exactly.
/// A request without `Host` (HTTP/1.0) or without `Origin` (not a browser) is judged by the other alone.
///
/// ```swift
/// let allowed = AllowedHosts(listeningOn: "127.0.0.1", port: 8080)
/// allowed.allows(host: "localhost:8080")           // true
/// allowed.allows(host: "attacker.example:8080")    // false
/// allowed.allows(origin: "http://127.0.0.1:8080")  // true
/// ```
public struct AllowedHosts: Sendable, Hashable {
    /// The accepted `Host` values; a pattern ending in `:*` takes any numeric port.
    public let hostPatterns: [String]
    /// Whether anything is checked (not for a wildcard address without extra names).
    public let isChecking: Bool

    /// The names that are this machine's loopback, as a `Host` names them.
    public static let loopbackNames = ["127.0.0.1", "localhost", "[::1]"]
    /// The addresses that listen on every interface.
    public static let wildcardAddresses: Set<String> = ["0.0.0.0", "::", "*"]

    /// The rule for a server listening on `host`:`port`, plus `extra` names.
    public init(listeningOn host: String, port: Int, extra: [String] = []) {
        // A loopback name without a port is port 80's; DNS rebinding needs a name of the attacker's.
        let loopback = Self.loopbackNames.flatMap { [$0, "\($0):*"] }
        // `name` alone: on any port, and without one (the scheme's default, as a proxy names it).
        let extras = extra.flatMap { $0.contains(":") && !$0.hasSuffix("]") ? [$0.lowercased()] : [$0.lowercased(), "\($0.lowercased()):*"] }
        if ["127.0.0.1", "localhost", "::1"].contains(host) {
            hostPatterns = loopback + extras
            isChecking = true
        } else if Self.wildcardAddresses.contains(host) {
            hostPatterns = extras
            isChecking = !extras.isEmpty
        } else {
            let named = host.contains(":") ? "[\(host)]" : host
            hostPatterns = ["\(named):\(port == 0 ? "*" : String(port))"] + loopback + extras
            isChecking = true
        }
    }

    /// The accepted `Origin` values: each host pattern over `http` and `https`.
    public var originPatterns: [String] {
        hostPatterns.flatMap { ["http://\($0)", "https://\($0)"] }
    }

    /// Whether a request naming `host` in `Host` (or its HTTP/2 authority) may be answered.
    public func allows(host: String) -> Bool {
        !isChecking || hostPatterns.contains { Self.matches(host.lowercased(), pattern: $0) }
    }

    /// Whether a request a browser sent from `origin` may be answered (`null` never is, when checking).
    public func allows(origin: String) -> Bool {
        !isChecking || originPatterns.contains { Self.matches(origin.lowercased(), pattern: $0) }
    }

    /// Whether `value` is `pattern`, or, for a pattern ending in `:*`, its prefix with a numeric port
    /// (the rule of the MCP SDK's `OriginValidator`, which `stack mcp --http` hands these patterns).
    public static func matches(_ value: String, pattern: String) -> Bool {
        guard pattern.hasSuffix(":*") else { return value == pattern }
        let prefix = pattern.dropLast(2) + ":"
        guard value.hasPrefix(prefix) else { return false }
        let port = value.dropFirst(prefix.count)
        return !port.isEmpty && port.allSatisfy(\.isNumber)
    }
}
#endif  // Telemetry || Phoenix
