#if Telemetry
import Tracing
import W3CTraceContext

/// Whether a new span is recorded and exported.
public enum SamplingDecision: Sendable, Hashable {
    /// Not recorded; the context still propagates, marked unsampled.
    case drop
    /// Recorded, and exported when it ends.
    case recordAndSample
}

/// Decides, when a span starts, whether it is recorded (head sampling).
public protocol Sampler: Sendable {
    func shouldSample(traceID: TraceID, parent: SpanContext?, operationName: String, kind: SpanKind) -> SamplingDecision
}

/// Records every span.
public struct AlwaysOnSampler: Sampler {
    public init() {}
    public func shouldSample(
        traceID: TraceID, parent: SpanContext?, operationName: String, kind: SpanKind
    )
        -> SamplingDecision
    { .recordAndSample }
}

/// Records no span.
public struct AlwaysOffSampler: Sampler {
    public init() {}
    public func shouldSample(
        traceID: TraceID, parent: SpanContext?, operationName: String, kind: SpanKind
    )
        -> SamplingDecision
    { .drop }
}

/// Records a fixed fraction of traces, chosen by trace id so every process makes the same choice
/// for the same trace (OpenTelemetry's `TraceIdRatioBased`).
public struct TraceIDRatioSampler: Sampler {
    /// The fraction of traces recorded, from 0 to 1.
    public let ratio: Double
    private let bound: UInt64

    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        self.ratio = clamped
        self.bound = clamped >= 1 ? .max : UInt64(clamped * 18_446_744_073_709_551_616.0)
    }

    public func shouldSample(
        traceID: TraceID, parent: SpanContext?, operationName: String, kind: SpanKind
    )
        -> SamplingDecision
    {
        Self.keeps(traceID: traceID, bound: bound, ratio: ratio) ? .recordAndSample : .drop
    }

    /// Compares the trace id's lower 64 bits with the ratio's bound.
    static func keeps(traceID: TraceID, bound: UInt64, ratio: Double) -> Bool {
        if ratio >= 1 { return true }
        let bytes = traceID.bytes
        let low = [bytes.8, bytes.9, bytes.10, bytes.11, bytes.12, bytes.13, bytes.14, bytes.15]
            .reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return low < bound
    }
}

/// Follows the parent's decision when there is a parent, and asks `root` for new traces
/// (OpenTelemetry's `ParentBased`).
public struct ParentBasedSampler: Sampler {
    public let root: any Sampler

    public init(root: any Sampler) {
        self.root = root
    }

    public func shouldSample(
        traceID: TraceID, parent: SpanContext?, operationName: String, kind: SpanKind
    )
        -> SamplingDecision
    {
        guard let parent else {
            return root.shouldSample(traceID: traceID, parent: nil, operationName: operationName, kind: kind)
        }
        return parent.isSampled ? .recordAndSample : .drop
    }
}
#endif  // Telemetry
