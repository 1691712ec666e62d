#if Telemetry
import CoreMetrics
import Foundation
import Synchronization

/// A swift-metrics backend that aggregates in memory for OTLP export: counters become cumulative
/// monotonic sums, meters and plain recorders gauges, timers and aggregating recorders explicit-bucket
/// histograms (timers in seconds). ``OTLPMetricExporter`` sends a snapshot periodically.
///
/// Bootstrap it alone or beside another backend:
///
/// ```swift
/// let otlp = OTLPMetricsFactory()
/// MetricsSystem.bootstrap(MultiplexMetricsHandler(factories: [otlp, prometheus]))
/// ```
public final class OTLPMetricsFactory: MetricsFactory, Sendable {
    struct Key: Hashable {
        var name: String
        var dimensions: [String]
        init(_ name: String, _ dimensions: [(String, String)]) {
            self.name = name
            self.dimensions = dimensions.sorted { $0.0 < $1.0 }.flatMap { [$0.0, $0.1] }
        }
    }

    /// Upper bounds of the timer histogram buckets, in seconds.
    public let timerBuckets: [Double]
    /// Upper bounds of aggregating recorders' buckets (OpenTelemetry's default boundaries).
    public let recorderBuckets: [Double]
    private let instruments = Mutex<[Key: any OTLPInstrument]>([:])

    /// A factory with the given histogram bucket bounds.
    public init(
        timerBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        recorderBuckets: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]
    ) {
        self.timerBuckets = timerBuckets
        self.recorderBuckets = recorderBuckets
    }

    /// The same label and dimensions always get the same instrument, as swift-metrics expects.
    private func instrument<I: OTLPInstrument>(_ label: String, _ dimensions: [(String, String)], make: () -> I) -> I {
        instruments.withLock { instruments in
            let key = Key(label, dimensions)
            if let existing = instruments[key] as? I { return existing }
            let created = make()
            instruments[key] = created
            return created
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        instrument(label, dimensions) { OTLPSum(name: label, dimensions: dimensions) }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        instrument(label, dimensions) { OTLPSum(name: label, dimensions: dimensions) }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        instrument(label, dimensions) { OTLPGauge(name: label, dimensions: dimensions) }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        if aggregate {
            return instrument(label, dimensions) { OTLPHistogram(name: label, dimensions: dimensions, bounds: recorderBuckets, unit: "") }
        }
        return instrument(label, dimensions) { OTLPGauge(name: label, dimensions: dimensions) }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        instrument(label, dimensions) { OTLPHistogram(name: label, dimensions: dimensions, bounds: timerBuckets, unit: "s") }
    }

    public func destroyCounter(_ handler: any CounterHandler) { remove(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { remove(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { remove(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { remove(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { remove(handler) }

    private func remove(_ handler: AnyObject) {
        instruments.withLock { instruments in
            if let key = instruments.first(where: { $0.value === handler })?.key { instruments.removeValue(forKey: key) }
        }
    }

    /// The current value of every instrument, grouped by metric name.
    func snapshot() -> [OTLPMetricPoint] {
        let all = instruments.withLock { Array($0.values) }
        return all.map { $0.point() }
    }
}

/// One instrument's current state, ready to encode.
struct OTLPMetricPoint {
    enum Value {
        case sum(Double, isInteger: Bool)
        case gauge(Double)
        case histogram(bounds: [Double], counts: [UInt64], count: UInt64, sum: Double, min: Double?, max: Double?)
    }

    var name: String
    var unit: String
    var dimensions: [(String, String)]
    var start: Date
    var value: Value
}

protocol OTLPInstrument: AnyObject, Sendable {
    func point() -> OTLPMetricPoint
}

/// A cumulative, monotonic sum (a counter).
final class OTLPSum: OTLPInstrument, CounterHandler, FloatingPointCounterHandler {
    private let name: String
    private let dimensions: [(String, String)]
    private let start = Date()
    private let state = Mutex((integer: Int64(0), double: 0.0))

    init(name: String, dimensions: [(String, String)]) {
        self.name = name
        self.dimensions = dimensions
    }

    func increment(by amount: Int64) {
        guard amount > 0 else { return }
        state.withLock { $0.integer &+= amount }
    }

    func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        state.withLock { $0.double += amount }
    }

    func reset() { state.withLock { $0 = (0, 0) } }

    func point() -> OTLPMetricPoint {
        let (integer, double) = state.withLock { $0 }
        let value: OTLPMetricPoint.Value = double == 0 ? .sum(Double(integer), isInteger: true) : .sum(Double(integer) + double, isInteger: false)
        return OTLPMetricPoint(name: name, unit: "", dimensions: dimensions, start: start, value: value)
    }
}

/// The last value set or recorded (a meter, or a recorder that does not aggregate).
final class OTLPGauge: OTLPInstrument, MeterHandler, RecorderHandler {
    private let name: String
    private let dimensions: [(String, String)]
    private let start = Date()
    private let value = Mutex(0.0)

    init(name: String, dimensions: [(String, String)]) {
        self.name = name
        self.dimensions = dimensions
    }

    func set(_ value: Int64) { self.value.withLock { $0 = Double(value) } }
    func set(_ value: Double) { self.value.withLock { $0 = value } }
    func increment(by amount: Double) { value.withLock { $0 += amount } }
    func decrement(by amount: Double) { value.withLock { $0 -= amount } }
    func record(_ value: Int64) { set(value) }
    func record(_ value: Double) { set(value) }

    func point() -> OTLPMetricPoint {
        OTLPMetricPoint(name: name, unit: "", dimensions: dimensions, start: start, value: .gauge(value.withLock { $0 }))
    }
}

/// Counts per explicit bucket, with count, sum, min and max (a timer or an aggregating recorder).
final class OTLPHistogram: OTLPInstrument, RecorderHandler, TimerHandler {
    private struct State {
        var counts: [UInt64]
        var count: UInt64 = 0
        var sum = 0.0
        var min: Double?
        var max: Double?
    }

    private let name: String
    private let unit: String
    private let dimensions: [(String, String)]
    private let bounds: [Double]
    private let start = Date()
    private let state: Mutex<State>

    init(name: String, dimensions: [(String, String)], bounds: [Double], unit: String) {
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.bounds = bounds
        self.state = Mutex(State(counts: Array(repeating: 0, count: bounds.count + 1)))
    }

    func record(_ value: Int64) { record(Double(value)) }

    func record(_ value: Double) {
        guard value.isFinite else { return }
        // Bucket i holds values in (bounds[i-1], bounds[i]]; the last one everything above.
        let bucket = bounds.firstIndex { value <= $0 } ?? bounds.count
        state.withLock { state in
            state.counts[bucket] += 1
            state.count += 1
            state.sum += value
            state.min = Swift.min(state.min ?? value, value)
            state.max = Swift.max(state.max ?? value, value)
        }
    }

    func recordNanoseconds(_ duration: Int64) { record(Double(duration) / 1e9) }

    func point() -> OTLPMetricPoint {
        let state = state.withLock { $0 }
        return OTLPMetricPoint(
            name: name,
            unit: unit,
            dimensions: dimensions,
            start: start,
            value: .histogram(bounds: bounds, counts: state.counts, count: state.count, sum: state.sum, min: state.min, max: state.max)
        )
    }
}
#endif  // Telemetry
