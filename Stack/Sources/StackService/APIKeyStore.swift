import Foundation

/// API keys and the user each one belongs to. Keys come from a file or the environment and never
/// reach a span, a log line or an error message: errors name the line or entry, not the key.
///
/// The format, in `STACK_API_KEYS_FILE` (one per line, `#` comments) or `STACK_API_KEYS`
/// (comma-separated): `key=user-id`.
public struct APIKeyStore: Sendable {
    private let users: [String: String]

    /// The key-to-user map, for merging stores.
    var entries: [String: String] { users }

    /// A store of keys, each mapped to the user id it authenticates.
    public init(_ keysToUsers: [String: String]) {
        self.users = keysToUsers
    }

    /// Whether any key is configured.
    public var isEmpty: Bool { users.isEmpty }

    /// The user a key belongs to, or `nil` for an unknown key.
    public func user(forKey key: some StringProtocol) -> String? {
        users[String(key)]
    }

    /// Parses `key=user` entries separated by newlines or commas.
    ///
    /// - Parameter source: where the text came from, for error messages.
    public static func parse(_ text: String, source: String) throws(ServiceConfigurationError) -> APIKeyStore {
        var users: [String: String] = [:]
        let entries = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "," }
        for (number, rawEntry) in entries.enumerated() {
            let entry = rawEntry.trimmingCharacters(in: .whitespacesAndNewlines)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .invalidAPIKeyEntry(source: source, entry: number + 1)
            }
            users[parts[0]] = parts[1]
        }
        return APIKeyStore(users)
    }
}
