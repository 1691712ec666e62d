import Foundation
import OpenInference
import Tracing

/// The body of `POST /v1/browser-spans`: what the chat page saw of one answer, as spans of its trace.
///
/// ```json
/// {"trace_id": "…32 hex…", "token": "v2.answer.…", "spans": [
///   {"name": "browser.question", "parent_span_id": "…16 hex…", "start_time_ms": 1764170000000.5,
///    "end_time_ms": 1764170002100.0, "attributes": {"browser.time_to_first_token_ms": 840}, "error": null}]}
/// ```
///
/// Times are Unix epoch milliseconds (fractions allowed), as `performance.timeOrigin + performance.now()` gives them.
public struct BrowserSpanReport: Decodable, Sendable, Hashable {
    /// One span the browser saw.
    public struct Span: Decodable, Sendable, Hashable {
        /// `browser.` followed by lowercase letters, digits, `_` or `.`; at most 64 characters.
        public var name: String
        /// The span id of the page's `traceparent` for this question (16 hex characters).
        public var parentSpanID: String
        /// When it started, in Unix epoch milliseconds.
        public var startTimeMs: Double
        /// When it ended, in Unix epoch milliseconds.
        public var endTimeMs: Double
        /// At most 16 attributes named like spans, each a string (≤ 512 characters), a finite number or a boolean.
        public var attributes: [String: OpenInferenceJSON]?
        /// What went wrong in the browser (a network or render error), at most 512 characters.
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case name, attributes, error
            case parentSpanID = "parent_span_id"
            case startTimeMs = "start_time_ms"
            case endTimeMs = "end_time_ms"
        }
    }

    /// The trace the spans belong to (the answer's `X-Trace-Id`).
    public var traceID: String
    /// The answer token that came with the trace (`X-Feedback-Token`).
    public var token: String
    /// One to ``maxSpans`` spans.
    public var spans: [Span]

    enum CodingKeys: String, CodingKey {
        case spans, token
        case traceID = "trace_id"
    }

    /// The most spans one report may carry.
    public static let maxSpans = 8
    /// The most attributes one span may carry.
    public static let maxAttributes = 16
    /// The longest string value or error text.
    public static let maxText = 512
    /// The largest body accepted, in bytes.
    public static let maxBodyBytes = 16 * 1024
    /// The longest span accepted.
    public static let maxDuration: TimeInterval = 15 * 60
    /// How far back a span may start, and how far ahead (clock skew) it may end.
    public static let maxAge: TimeInterval = 60 * 60
    static let maxSkew: TimeInterval = 5 * 60

    /// Checks everything a span needs before any is recorded, naming the first problem.
    ///
    /// - Throws: ``APIError`` 400 saying which field of which span is wrong.
    public func validate(now: Date = Date()) throws(APIError) {
        func bad(_ message: String) -> APIError { .badRequest(message) }
        guard Self.isHex(traceID, count: 32) else {
            throw bad("field 'trace_id' should be the 32 lowercase hex characters of the answer's X-Trace-Id")
        }
        guard (1...Self.maxSpans).contains(spans.count) else { throw bad("field 'spans' should hold 1 to \(Self.maxSpans) spans") }
        let nowMs = now.timeIntervalSince1970 * 1000
        for (index, span) in spans.enumerated() {
            let field = "spans[\(index)]"
            guard Self.isName(span.name) else {
                throw bad("field '\(field).name' should start with 'browser.' and use only a-z, 0-9, '_' and '.', at most 64 characters")
            }
            guard Self.isHex(span.parentSpanID, count: 16) else {
                throw bad("field '\(field).parent_span_id' should be the 16 lowercase hex characters of the question's traceparent span id")
            }
            guard span.startTimeMs.isFinite, span.endTimeMs.isFinite, span.startTimeMs <= span.endTimeMs else {
                throw bad("fields '\(field).start_time_ms' and 'end_time_ms' should be epoch milliseconds, the start not after the end")
            }
            guard span.endTimeMs - span.startTimeMs <= Self.maxDuration * 1000 else {
                throw bad("span '\(field)' lasts longer than \(Int(Self.maxDuration / 60)) minutes")
            }
            guard span.startTimeMs >= nowMs - Self.maxAge * 1000, span.endTimeMs <= nowMs + Self.maxSkew * 1000 else {
                throw bad("span '\(field)' is outside the last hour (or in the future); check the browser's clock")
            }
            if let error = span.error, error.count > Self.maxText { throw bad("field '\(field).error' is longer than \(Self.maxText) characters") }
            let attributes = span.attributes ?? [:]
            guard attributes.count <= Self.maxAttributes else { throw bad("field '\(field).attributes' has more than \(Self.maxAttributes) entries") }
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
                guard Self.isName(key) else {
                    throw bad("attribute '\(key.prefix(64))' of \(field) should start with 'browser.' and use only a-z, 0-9, '_' and '.'")
                }
                switch value {
                case .string(let text) where text.count <= Self.maxText: continue
                case .bool: continue
                case .int: continue
                case .double(let number) where number.isFinite: continue
                default:
                    throw bad("attribute '\(key)' of \(field) should be a string of at most \(Self.maxText) characters, a finite number or a boolean")
                }
            }
        }
    }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            && text != String(repeating: "0", count: count)
    }

    static func isName(_ text: String) -> Bool {
        text.hasPrefix("browser.") && text.utf8.count > 8 && text.utf8.count <= 64
            && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 46 }
    }

    /// Records the spans through the installed tracer, as children of their browser parent span in
    /// the report's trace, with the browser's start and end times. Call after ``validate(now:)``.
    public func record(userID: String?) {
        for span in spans {
            var parent = InstrumentationContext.topLevel
            InstrumentationSystem.instrument.extract(
                ["traceparent": "00-\(traceID)-\(span.parentSpanID)-01"], into: &parent, using: DictionaryExtractor()
            )
            let recorded = InstrumentationSystem.tracer.startSpan(
                span.name, context: parent, ofKind: .client, at: BrowserInstant(milliseconds: span.startTimeMs)
            )
            recorded.updateAttributes { attributes in
                for (key, value) in span.attributes ?? [:] {
                    switch value {
                    case .string(let text): attributes[key] = text
                    case .bool(let flag): attributes[key] = flag
                    case .int(let number): attributes[key] = number
                    case .double(let number): attributes[key] = number
                    default: continue
                    }
                }
                attributes["browser.reported"] = true
                if let userID { attributes[SemanticConventions.Context.userID] = userID }
            }
            if let error = span.error {
                recorded.setStatus(SpanStatus(code: .error, message: error))
                recorded.addEvent(SpanEvent(name: "exception", attributes: ["exception.message": .string(error)]))
            }
            recorded.end(at: BrowserInstant(milliseconds: span.endTimeMs))
        }
    }
}

/// A browser's timestamp as a tracing instant, to the microsecond (epoch milliseconds in a double
/// carry no more).
struct BrowserInstant: TracerInstant {
    var nanosecondsSinceEpoch: UInt64

    init(milliseconds: Double) {
        nanosecondsSinceEpoch = UInt64(max(0, milliseconds * 1_000).rounded()) * 1_000
    }

    static func < (lhs: BrowserInstant, rhs: BrowserInstant) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
}

/// Reads trace context from a dictionary.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
