#if Telemetry
import Tracing
import W3CTraceContext

/// Encodes spans as an OTLP `ExportTraceServiceRequest` in protobuf, the body of an OTLP/HTTP
/// `POST /v1/traces` with `Content-Type: application/x-protobuf`.
///
/// Field numbers follow `opentelemetry/proto/trace/v1/trace.proto` and `common/v1/common.proto`.
public struct OTLPTraceEncoder: Sendable {
    /// Attributes of the process producing the spans (service name, Phoenix project, SDK).
    public var resource: SpanAttributes
    /// The instrumentation scope reported for every span.
    public var scopeName: String
    public var scopeVersion: String
    /// String values of resource, event and link attributes and status messages longer than this many UTF-8
    /// bytes are cut (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`). Span attributes arrive encoded, already cut by
    /// ``StackTracer`` to the same limit.
    public var attributeValueLengthLimit: Int?

    public init(
        resource: SpanAttributes,
        scopeName: String = "stack",
        scopeVersion: String = StackTelemetryVersion.current,
        attributeValueLengthLimit: Int? = nil
    ) {
        self.resource = resource
        self.scopeName = scopeName
        self.scopeVersion = scopeVersion
        self.attributeValueLengthLimit = attributeValueLengthLimit
    }

    /// The protobuf bytes of one export request holding `spans`.
    public func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        // Generous on purpose: LLM spans run to kilobytes, growing the buffer copies it, and
        // reserved pages that are never written cost nothing.
        var writer = ProtobufWriter(reservingCapacity: 1024 + spans.count * 4096)
        writer.message(1) { resourceSpans in  // ExportTraceServiceRequest.resource_spans
            resourceSpans.message(1) { resource in  // ResourceSpans.resource
                writeResourceAttributes(into: &resource)  // Resource.attributes (field 1)
            }
            resourceSpans.message(2) { scopeSpans in  // ResourceSpans.scope_spans
                scopeSpans.message(1) { scope in  // ScopeSpans.scope
                    scope.string(1, scopeName)
                    scope.string(2, scopeVersion)
                }
                for span in spans {
                    scopeSpans.message(2) { writeSpan(span, into: &$0) }  // ScopeSpans.spans
                }
            }
        }
        return writer.bytes
    }

    private func writeResourceAttributes(into writer: inout ProtobufWriter) {
        resource.forEach { key, value in writeKeyValue(key, value, field: 1, into: &writer) }
    }

    private func writeSpan(_ span: FinishedSpan, into writer: inout ProtobufWriter) {
        let traceContext = span.context.traceContext
        writer.bytes(1, withUnsafeBytes(of: traceContext.traceID.bytes) { Array($0) })
        writer.bytes(2, withUnsafeBytes(of: traceContext.spanID.bytes) { Array($0) })
        if let state = traceContext.traceStateHeaderValue, !state.isEmpty {
            writer.string(3, state)
        }
        if let parent = span.parentSpanID {
            writer.bytes(4, withUnsafeBytes(of: parent.bytes) { Array($0) })
        }
        writer.string(5, span.name)
        writer.uint64(6, Self.kindNumber(span.kind))
        writer.fixed64(7, span.startNanoseconds)
        writer.fixed64(8, span.endNanoseconds)
        writer.append(encoded: span.encodedAttributes)  // already KeyValue entries of field 9
        for event in span.events {
            writer.message(11) { eventWriter in
                eventWriter.fixed64(1, event.nanosecondsSinceEpoch)
                eventWriter.string(2, event.name)
                event.attributes.forEach { key, value in writeKeyValue(key, value, field: 3, into: &eventWriter) }
            }
        }
        for link in span.links {
            guard let linked = link.context.spanContext else { continue }
            writer.message(13) { linkWriter in
                linkWriter.bytes(1, withUnsafeBytes(of: linked.traceContext.traceID.bytes) { Array($0) })
                linkWriter.bytes(2, withUnsafeBytes(of: linked.traceContext.spanID.bytes) { Array($0) })
                link.attributes.forEach { key, value in writeKeyValue(key, value, field: 4, into: &linkWriter) }
            }
        }
        if let status = span.status {
            writer.message(15) { statusWriter in
                if let message = status.message, status.code == .error {
                    statusWriter.string(2, OTLPAttributeWriter(valueLengthLimit: attributeValueLengthLimit).truncated(message))
                }
                statusWriter.uint64(3, status.code == .ok ? 1 : 2)
            }
        }
        // Span.flags: the W3C trace flags, plus "has is_remote" (0x100) and "is_remote" (0x200) for the parent.
        let remoteBits: UInt32 = span.parentSpanID == nil ? 0 : (span.parentIsRemote ? 0x300 : 0x100)
        writer.fixed32(16, UInt32(traceContext.flags.rawValue) | remoteBits)
    }

    private static func kindNumber(_ kind: SpanKind) -> UInt64 {
        switch kind {
        case .internal: return 1
        case .server: return 2
        case .client: return 3
        case .producer: return 4
        case .consumer: return 5
        }
    }

    private func writeKeyValue(_ key: String, _ value: SpanAttribute, field: UInt32, into writer: inout ProtobufWriter) {
        OTLPAttributeWriter(valueLengthLimit: attributeValueLengthLimit).keyValue(key, value, field: field, into: &writer)
    }
}

/// The version this package reports as its instrumentation scope and `telemetry.sdk.version`.
public enum StackTelemetryVersion {
    public static let current = "0.1.0"
}
#endif  // Telemetry
