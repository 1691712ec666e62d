import Tracing

/// A masking function of your own, applied to every attribute the OpenInference helpers record after
/// the trace configuration's own rules (so a value they hide never reaches it) and before the size limit:
/// the counterpart of Langfuse's `mask`. It returns the value to record, or `nil` to leave the attribute out.
///
/// ```swift
/// var config = TraceConfig.global
/// config.attributeMask = AttributeMask { key, value in
///     guard case .string(let text) = value else { return value }
///     return .string(text.replacing(/\b\d{16}\b/, with: "[card]"))
/// }
/// TraceConfig.global = config
/// ```
///
/// It runs on every recorded attribute, so keep it cheap; it must not record on spans.
public struct AttributeMask: Sendable, Hashable {
    private let identity: Identity
    private let transform: @Sendable (_ key: String, _ value: SpanAttribute) -> SpanAttribute?

    /// A mask that records `transform(key, value)` in place of each attribute (`nil`: record nothing).
    public init(_ transform: @escaping @Sendable (_ key: String, _ value: SpanAttribute) -> SpanAttribute?) {
        self.identity = Identity()
        self.transform = transform
    }

    /// What `value` under `key` is recorded as.
    public func apply(_ key: String, _ value: SpanAttribute) -> SpanAttribute? {
        transform(key, value)
    }

    /// Masks are equal when they are copies of one made by the same ``init(_:)`` call.
    public static func == (lhs: AttributeMask, rhs: AttributeMask) -> Bool { lhs.identity === rhs.identity }

    /// Hashes the identity that `==` compares.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    private final class Identity: Sendable {}
}
