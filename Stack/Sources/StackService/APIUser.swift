/// Who an API key authenticates: a user id and, for some keys, a role.
///
/// Written `key=user-id` or `key=user-id:role` in `STACK_API_KEYS` and `STACK_API_KEYS_FILE`.
public struct APIUser: Sendable, Hashable {
    /// What a key may do beyond acting as its user.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// May annotate any trace through `POST /v1/feedback`, without a feedback token.
        case admin
    }

    /// The user id, recorded as `user.id` on the request's spans.
    public var id: String
    /// The key's role; `nil` for an ordinary user.
    public var role: Role?

    /// A user with an optional role.
    public init(id: String, role: Role? = nil) {
        self.id = id
        self.role = role
    }

    /// Whether the key may act on every user's traces.
    public var isAdmin: Bool { role == .admin }
}
