#if Phoenix
import OpenInference
import PhoenixAPI

/// A span as Phoenix's REST API returns it (`GET /v1/projects/{project}/spans`), attributes flattened
/// (`llm.input_messages.0.message.role`).
public struct PhoenixSpan: Decodable, Sendable, Hashable {
    public struct Context: Decodable, Sendable, Hashable {
        public var traceID: String
        public var spanID: String

        enum CodingKeys: String, CodingKey {
            case traceID = "trace_id"
            case spanID = "span_id"
        }
    }

    public struct Event: Decodable, Sendable, Hashable {
        public var name: String
        public var timestamp: String
        public var attributes: [String: OpenInferenceJSON]
    }

    /// Phoenix's own id of the span (a global id, not the OpenTelemetry span id).
    public var id: String
    public var name: String
    public var context: Context
    /// The OpenInference span kind Phoenix derived (`LLM`, `TOOL`, …; `UNKNOWN` when absent).
    public var spanKind: String
    /// The OpenTelemetry span id of the parent, `nil` for a root.
    public var parentID: String?
    public var startTime: String
    public var endTime: String
    /// `OK`, `ERROR` or `UNSET`.
    public var statusCode: String
    public var statusMessage: String
    public var attributes: [String: OpenInferenceJSON]
    public var events: [Event]

    enum CodingKeys: String, CodingKey {
        case id, name, context, attributes, events
        case spanKind = "span_kind"
        case parentID = "parent_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case statusCode = "status_code"
        case statusMessage = "status_message"
    }

    /// A string attribute, if present.
    public func string(_ key: String) -> String? {
        if case .string(let value) = attributes[key] { return value }
        return nil
    }

    /// An integer attribute, if present.
    public func int(_ key: String) -> Int? {
        switch attributes[key] {
        case .int(let value): return value
        case .double(let value): return Int(exactly: value)
        default: return nil
        }
    }
}

extension PhoenixSpan {
    /// The span as the generated client decoded it, in this module's shape.
    init(_ span: Components.Schemas.Span) {
        self.id = span.id ?? ""
        self.name = span.name
        self.context = Context(traceID: span.context.traceId, spanID: span.context.spanId)
        self.spanKind = span.spanKind
        self.parentID = span.parentId
        self.startTime = PhoenixTimestamp.string(span.startTime)
        self.endTime = PhoenixTimestamp.string(span.endTime)
        self.statusCode = span.statusCode
        self.statusMessage = span.statusMessage ?? ""
        self.attributes = OpenInferenceJSON.object(span.attributes?.additionalProperties)
        self.events = (span.events ?? []).map { event in
            Event(
                name: event.name,
                timestamp: PhoenixTimestamp.string(event.timestamp),
                attributes: OpenInferenceJSON.object(event.attributes?.additionalProperties)
            )
        }
    }
}
#endif  // Phoenix
