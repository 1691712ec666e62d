import Foundation

/// API keys and the user each one belongs to. Keys come from a file or the environment and never
/// reach a span, a log line or an error message: errors name the line or entry, not the key.
///
/// The format, in `STACK_API_KEYS_FILE` (one per line, `#` comments) or `STACK_API_KEYS`
/// (comma-separated): `key=user-id`, or `key=user-id:role` for a key with a role (`admin` is the
/// only one: it may annotate any user's traces). A user id cannot contain `:`.
public struct APIKeyStore: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let users: [String: APIUser]

    /// The key-to-user map, for merging stores.
    var entries: [String: APIUser] { users }

    /// A store of keys, each mapped to the user it authenticates.
    public init(users keysToUsers: [String: APIUser]) {
        self.users = keysToUsers
    }

    /// A store of keys, each mapped to the id of the user it authenticates (no roles).
    public init(_ keysToUserIDs: [String: String]) {
        self.users = keysToUserIDs.mapValues { APIUser(id: $0) }
    }

    /// The keys themselves, only for taking them out of text from elsewhere (``SecretRedactor``-style).
    package var keysToRedact: [String] { Array(users.keys) }

    /// Whether any key is configured.
    public var isEmpty: Bool { users.isEmpty }

    /// How many keys, never the keys: printing or dumping a configuration must not leak them.
    public var description: String { "APIKeyStore(\(users.count) keys, redacted)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// No children, so `dump` and string interpolation of a containing value show no key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The id of the user a key belongs to, or `nil` for an unknown key.
    public func user(forKey key: some StringProtocol) -> String? {
        users[String(key)]?.id
    }

    /// The user (id and role) a key belongs to, or `nil` for an unknown key.
    public func holder(ofKey key: some StringProtocol) -> APIUser? {
        users[String(key)]
    }

    /// Parses `key=user-id[:role]` entries separated by newlines or commas.
    ///
    /// - Parameter source: where the text came from, for error messages.
    /// - Throws: ``ServiceConfigurationError/invalidAPIKeyEntry(source:entry:)`` for an entry that
    ///   is not `key=user-id[:role]`, ``ServiceConfigurationError/unknownAPIKeyRole(source:entry:)``
    ///   for a role other than `admin`.
    public static func parse(_ text: String, source: String) throws(ServiceConfigurationError) -> APIKeyStore {
        var users: [String: APIUser] = [:]
        let entries = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "," }
        for (number, rawEntry) in entries.enumerated() {
            let entry = rawEntry.trimmingCharacters(in: .whitespacesAndNewlines)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .invalidAPIKeyEntry(source: source, entry: number + 1)
            }
            let holder = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !holder[0].isEmpty else { throw .invalidAPIKeyEntry(source: source, entry: number + 1) }
            var role: APIUser.Role?
            if holder.count == 2 {
                guard let known = APIUser.Role(rawValue: holder[1]) else {
                    throw .unknownAPIKeyRole(source: source, entry: number + 1)
                }
                role = known
            }
            users[parts[0]] = APIUser(id: holder[0], role: role)
        }
        return APIKeyStore(users: users)
    }
}
