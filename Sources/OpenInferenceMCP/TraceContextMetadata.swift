#if MCP
import MCP
import Tracing

/// Carries the W3C trace context in an MCP request's `_meta`, as openinference-instrumentation-mcp does.
///
/// The Python instrumentation injects the global text-map propagator's fields (`traceparent`, and
/// `tracestate`/`baggage` when present) as string members of `params._meta`, and the server extracts
/// them from there before running the handler. Here the active swift-distributed-tracing `Instrument`
/// does both, so whichever W3C-propagating tracer the process uses (ours, swift-otel's) decides the
/// fields; other members of `_meta` (such as `progressToken`) are left alone.
public enum TraceContextMetadata {
    /// `meta` with the current task's trace context injected; `nil` stays `nil` when there is none.
    public static func injecting(into meta: Metadata? = nil, context: InstrumentationContext? = .current) -> Metadata? {
        guard let context else { return meta }
        var fields = meta?.fields ?? [:]
        InstrumentationSystem.instrument.inject(context, into: &fields, using: MetadataInjector())
        if meta == nil, fields.isEmpty { return nil }
        return Metadata(additionalFields: fields)
    }

    /// The context `meta` carries, on top of `base`: a handler run in it continues the caller's trace.
    public static func extracting(from meta: Metadata?, base: InstrumentationContext = .topLevel) -> InstrumentationContext {
        var context = base
        guard let fields = meta?.fields else { return context }
        InstrumentationSystem.instrument.extract(fields, into: &context, using: MetadataExtractor())
        return context
    }

    /// The context of a request that arrived over HTTP: `meta`'s when it has a `traceparent` (the MCP
    /// convention, per request, as on stdio), otherwise the HTTP request's own W3C headers
    /// (`traceparent`, `tracestate`), which an HTTP-instrumented client that does not know MCP sends.
    ///
    /// `_meta` wins when both are present: it names the caller's MCP-level span, while the header may
    /// name an HTTP client span beneath it, or a proxy's.
    public static func extracting(
        from meta: Metadata?, orHeadersOf request: HTTPRequest?, base: InstrumentationContext = .topLevel
    ) -> InstrumentationContext {
        if meta?.fields["traceparent"] != nil || request == nil {
            return extracting(from: meta, base: base)
        }
        var context = base
        if let request { InstrumentationSystem.instrument.extract(request, into: &context, using: HTTPHeaderExtractor()) }
        return context
    }
}

/// Reads propagation fields from an MCP HTTP request's headers, whatever their case.
struct HTTPHeaderExtractor: Extractor {
    func extract(key: String, from carrier: HTTPRequest) -> String? {
        carrier.header(key)
    }
}

/// Writes propagation fields as string members of `_meta`.
struct MetadataInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: Value]) {
        carrier[key] = .string(value)
    }
}

/// Reads propagation fields from string members of `_meta`; other kinds of value are not context.
struct MetadataExtractor: Extractor {
    func extract(key: String, from carrier: [String: Value]) -> String? {
        carrier[key]?.stringValue
    }
}
#endif  // MCP
