import Tracing

/// A W3C Trace Context `traceparent` value: the trace id, the parent span id and the sampled flag.
///
/// ``current`` reads the active span's identity through whatever tracer the task uses, by asking it to
/// inject its context the way it would into an outgoing request. That works under any tracer that
/// propagates W3C trace context (this project's, swift-otel's, …), so an `X-Trace-Id` header or a log
/// line can name the trace without knowing which tracer is installed.
///
/// ```swift
/// if let traceID = TraceParent.current?.traceID {
///     response.headers[.init("X-Trace-Id")!] = traceID
/// }
/// ```
public struct TraceParent: Sendable, Hashable {
    /// The trace id: 32 lowercase hexadecimal characters.
    public let traceID: String
    /// The parent span id: 16 lowercase hexadecimal characters.
    public let spanID: String
    /// Whether the caller sampled (recorded) the trace.
    public let sampled: Bool

    /// A value naming the span `spanID` of the trace `traceID` (32 and 16 hexadecimal characters); `nil`
    /// when either is not valid.
    public init?(traceID: String, spanID: String, sampled: Bool = true) {
        self.init(header: "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")")
    }

    /// Parses a `traceparent` header value (`00-<trace id>-<span id>-<flags>`); `nil` when it is not
    /// a valid version-00 value or its ids are all zeros.
    public init?(header: String) {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16,
            parts[3].count == 2, parts[0...3].allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
            let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        let traceID = parts[1].lowercased()
        let spanID = parts[2].lowercased()
        guard traceID != String(repeating: "0", count: 32), spanID != String(repeating: "0", count: 16) else { return nil }
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = flags & 1 == 1
    }

    /// The header value, `00-<trace id>-<span id>-<flags>`.
    public var header: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// The trace context of the span active in this task, as the active instrument injects it; `nil` when
    /// no span is active or the instrument does not propagate W3C trace context.
    public static var current: TraceParent? {
        InstrumentationContext.current.flatMap(of)
    }

    /// The trace context of the span `context` belongs to, as the active instrument injects it; `nil` when
    /// the instrument does not propagate W3C trace context.
    public static func of(_ context: InstrumentationContext) -> TraceParent? {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"].flatMap(TraceParent.init(header:))
    }
}

/// Reads values to extract from a dictionary of header names and values.
struct TraceParentExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}

/// Writes injected values into a dictionary of header names and values.
private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}
