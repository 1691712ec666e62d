#if Telemetry
import Synchronization

/// What a ``StackTracer``'s spans share while recording: the attribute value length limit, and how much
/// room to reserve for a span's attributes.
struct SpanRecordingLimits: Sendable {
    /// String attribute values are cut to this many UTF-8 bytes (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`);
    /// `Int.max` when there is no limit.
    var valueLengthLimit: Int
    /// The size recent spans' attributes took.
    let sizeHint: SpanSizeHint
}

/// How many bytes to reserve for a new span's attributes: a decaying maximum of recent spans' sizes, so a
/// span usually fills one buffer, without growing it (each growth copies it and is another allocation).
final class SpanSizeHint: Sendable {
    private let recent = Atomic<Int>(1024)

    /// The bytes to reserve.
    var bytes: Int { recent.load(ordering: .relaxed) }

    /// Notes the size a finished span's attributes took. Racing updates may lose one another; it is a hint.
    func record(_ size: Int) {
        let current = recent.load(ordering: .relaxed)
        let next = max(size + size / 8, current - current / 16, 256)
        if next != current { recent.store(next, ordering: .relaxed) }
    }
}
#endif  // Telemetry
