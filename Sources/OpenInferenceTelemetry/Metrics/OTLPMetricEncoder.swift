#if Telemetry
import Foundation
import Tracing

/// Encodes metric points as an OTLP `ExportMetricsServiceRequest` (`metrics/v1/metrics.proto`), the
/// body of `POST /v1/metrics`. Every point is cumulative since its instrument was created.
struct OTLPMetricEncoder: Sendable {
    var resource: SpanAttributes
    var scopeName = "stack"
    var scopeVersion = StackTelemetryVersion.current

    func encode(_ points: [OTLPMetricPoint], at now: Date = Date()) -> [UInt8] {
        let attributes = OTLPAttributeWriter(valueLengthLimit: nil)
        let time = Self.nanoseconds(now)
        // One Metric message per name, with a data point per dimension set.
        let byName = Dictionary(grouping: points, by: \.name).sorted { $0.key < $1.key }
        var writer = ProtobufWriter(reservingCapacity: 256 + points.count * 128)
        writer.message(1) { resourceMetrics in  // ExportMetricsServiceRequest.resource_metrics
            resourceMetrics.message(1) { attributes.keyValues(resource, field: 1, into: &$0) }  // Resource.attributes
            resourceMetrics.message(2) { scopeMetrics in  // ResourceMetrics.scope_metrics
                scopeMetrics.message(1) { scope in
                    scope.string(1, scopeName)
                    scope.string(2, scopeVersion)
                }
                for (name, points) in byName {
                    scopeMetrics.message(2) { metric in  // ScopeMetrics.metrics
                        metric.string(1, name)
                        if !points[0].unit.isEmpty { metric.string(3, points[0].unit) }
                        write(points, time: time, into: &metric, attributes: attributes)
                    }
                }
            }
        }
        return writer.bytes
    }

    private func write(_ points: [OTLPMetricPoint], time: UInt64, into metric: inout ProtobufWriter, attributes: OTLPAttributeWriter) {
        func common(_ point: OTLPMetricPoint, attributesField: UInt32, into writer: inout ProtobufWriter) {
            for (key, value) in point.dimensions { attributes.keyValue(key, .string(value), field: attributesField, into: &writer) }
            writer.fixed64(2, Self.nanoseconds(point.start))  // start_time_unix_nano
            writer.fixed64(3, time)  // time_unix_nano
        }
        switch points[0].value {
        case .sum:
            metric.message(7) { sum in  // Metric.sum
                for point in points {
                    guard case .sum(let value, let isInteger) = point.value else { continue }
                    sum.message(1) { dataPoint in  // NumberDataPoint
                        common(point, attributesField: 7, into: &dataPoint)
                        if isInteger { dataPoint.fixed64(6, UInt64(bitPattern: Int64(value))) } else { dataPoint.double(4, value) }
                    }
                }
                sum.uint64(2, 2)  // AGGREGATION_TEMPORALITY_CUMULATIVE
                sum.bool(3, true)  // is_monotonic
            }
        case .gauge:
            metric.message(5) { gauge in  // Metric.gauge
                for point in points {
                    guard case .gauge(let value) = point.value else { continue }
                    gauge.message(1) { dataPoint in
                        common(point, attributesField: 7, into: &dataPoint)
                        dataPoint.double(4, value)
                    }
                }
            }
        case .histogram:
            metric.message(9) { histogram in  // Metric.histogram
                for point in points {
                    guard case .histogram(let bounds, let counts, let count, let sum, let min, let max) = point.value else { continue }
                    histogram.message(1) { dataPoint in  // HistogramDataPoint
                        common(point, attributesField: 9, into: &dataPoint)
                        dataPoint.fixed64(4, count)
                        dataPoint.double(5, sum)
                        dataPoint.packedFixed64(6, counts)
                        dataPoint.packedDouble(7, bounds)
                        if let min { dataPoint.double(11, min) }
                        if let max { dataPoint.double(12, max) }
                    }
                }
                histogram.uint64(2, 2)  // AGGREGATION_TEMPORALITY_CUMULATIVE
            }
        }
    }

    static func nanoseconds(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 * 1e9))
    }
}
#endif  // Telemetry
