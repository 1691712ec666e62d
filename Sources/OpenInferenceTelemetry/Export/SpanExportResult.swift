#if Telemetry
/// What became of a batch that ``SpanExporter/export(_:)`` took without failing.
///
/// A failure is thrown; this says whether the spans reached the collector now or were kept (in
/// ``ExportSpool``) to be delivered later, which is not a loss.
public struct SpanExportResult: Sendable, Hashable, CustomStringConvertible {
    private let keptReason: String?

    private init(keptReason: String?) { self.keptReason = keptReason }

    /// The spans reached their destination.
    public static let delivered = Self(keptReason: nil)

    /// The destination could not take the spans now, for `reason`; they were written somewhere durable
    /// and will be delivered once it answers.
    public static func keptForLater(reason: String) -> Self { Self(keptReason: reason) }

    /// Whether the spans were kept for later instead of delivered.
    public var wasKeptForLater: Bool { keptReason != nil }

    /// Why the spans were kept for later, when they were.
    public var reason: String? { keptReason }

    public var description: String {
        keptReason.map { "kept for later (\($0))" } ?? "delivered"
    }
}
#endif  // Telemetry
