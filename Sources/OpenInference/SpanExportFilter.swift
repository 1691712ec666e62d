import Synchronization

/// Decides which spans the OpenInference helpers export: the counterpart of Langfuse's `shouldExportSpan`.
///
/// It is asked once per span, before the span starts, with the span's name, kind and the code that starts
/// it. A span it declines is not started on the tracer at all: the helper's body still runs, with a span
/// that records nothing, and spans started inside it become children of the declined span's parent, so the
/// exported trace has no orphans.
///
/// ```swift
/// var config = TraceConfig.global
/// config.exportFilter = SpanExportFilter { span in span.kind != .embedding && span.module != "Caching" }
/// TraceConfig.global = config
/// ```
///
/// Without a filter in any configuration the helpers pay one atomic read per span for this.
public struct SpanExportFilter: Sendable, Hashable {
    private let identity: Identity
    private let decide: @Sendable (SpanExportCandidate) -> Bool

    /// A filter that exports the spans `shouldExport` says yes to.
    public init(_ shouldExport: @escaping @Sendable (SpanExportCandidate) -> Bool) {
        self.identity = Identity()
        self.decide = shouldExport
        Self.inUse.store(true, ordering: .relaxed)
    }

    /// Whether `candidate` is exported.
    public func shouldExport(_ candidate: SpanExportCandidate) -> Bool {
        decide(candidate)
    }

    /// Set once any filter exists, so spans started before that (and every span of a program without one)
    /// skip reading the configuration for it.
    static let inUse = Atomic(false)

    /// Filters are equal when they are copies of one made by the same ``init(_:)`` call.
    public static func == (lhs: SpanExportFilter, rhs: SpanExportFilter) -> Bool { lhs.identity === rhs.identity }

    /// Hashes the identity that `==` compares.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    private final class Identity: Sendable {}
}
