import CoreMetrics
import Foundation
import Logging
import Testing
import Tracing

@testable import OpenInferenceTelemetry

@Suite("OTLP metrics and logs")
struct OTLPMetricsAndLogsTests {
    /// The little-endian fixed64 words of a packed field.
    static func packedFixed64(_ bytes: [UInt8]) -> [UInt64] {
        stride(from: 0, to: bytes.count, by: 8).map { start in
            bytes[start..<start + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
    }

    @Test("Counters, timers and meters encode as a cumulative monotonic sum, a histogram in seconds and a gauge")
    func metricEncoding() throws {
        let factory = OTLPMetricsFactory(timerBuckets: [0.1, 1])
        let counter = factory.makeCounter(label: "requests_total", dimensions: [("route", "/x")])
        counter.increment(by: 2)
        factory.makeCounter(label: "requests_total", dimensions: [("route", "/x")]).increment(by: 1)
        let timer = factory.makeTimer(label: "latency_seconds", dimensions: [])
        timer.recordNanoseconds(50_000_000)
        timer.recordNanoseconds(2_000_000_000)
        factory.makeMeter(label: "queue_depth", dimensions: []).set(7.0)

        var resource = SpanAttributes()
        resource.set("service.name", value: .string("api"))
        let bytes = OTLPMetricEncoder(resource: resource).encode(factory.snapshot())

        let resourceMetrics = try #require(try ProtobufReader.messages(bytes, field: 1).first)
        let resourceMessage = try #require(try ProtobufReader.messages(resourceMetrics, field: 1).first)
        #expect(try ProtobufReader.keyValues(resourceMessage, field: 1)["service.name"] == "api")
        let scopeMetrics = try #require(try ProtobufReader.messages(resourceMetrics, field: 2).first)
        var metrics: [String: [UInt8]] = [:]
        for metric in try ProtobufReader.messages(scopeMetrics, field: 2) {
            metrics[try ProtobufReader.string(metric, field: 1) ?? ""] = metric
        }
        #expect(Set(metrics.keys) == ["requests_total", "latency_seconds", "queue_depth"])

        let requests = try #require(metrics["requests_total"])
        let sum = try #require(try ProtobufReader.messages(requests, field: 7).first)
        #expect(try ProtobufReader.varint(sum, field: 2) == 2)  // cumulative
        #expect(try ProtobufReader.varint(sum, field: 3) == 1)  // monotonic
        let sumPoints = try ProtobufReader.messages(sum, field: 1)
        #expect(sumPoints.count == 1)
        #expect(try ProtobufReader.fixed64(sumPoints[0], field: 6) == 3)
        #expect(try ProtobufReader.keyValues(sumPoints[0], field: 7) == ["route": "/x"])

        let latency = try #require(metrics["latency_seconds"])
        #expect(try ProtobufReader.string(latency, field: 3) == "s")
        let histogram = try #require(try ProtobufReader.messages(latency, field: 9).first)
        let point = try #require(try ProtobufReader.messages(histogram, field: 1).first)
        #expect(try ProtobufReader.fixed64(point, field: 4) == 2)
        #expect(try ProtobufReader.fixed64(point, field: 5).map { Double(bitPattern: $0) } == 2.05)
        let counts = try #require(try ProtobufReader.messages(point, field: 6).first)
        let bounds = try #require(try ProtobufReader.messages(point, field: 7).first)
        #expect(Self.packedFixed64(counts) == [1, 0, 1])
        #expect(Self.packedFixed64(bounds).map(Double.init(bitPattern:)) == [0.1, 1])

        let depth = try #require(metrics["queue_depth"])
        let gauge = try #require(try ProtobufReader.messages(depth, field: 5).first)
        let gaugePoint = try #require(try ProtobufReader.messages(gauge, field: 1).first)
        #expect(try ProtobufReader.fixed64(gaugePoint, field: 4).map { Double(bitPattern: $0) } == 7)
    }

    @Test("A log line inside a span carries its trace and span ids, severity and metadata")
    func logRecordEncoding() async throws {
        let buffer = OTLPLogBuffer()
        let logger = Logger(label: "api.requests") { label in OTLPLogHandler(label: label, buffer: buffer) }
        let recorder = InMemorySpanRecorder()
        withTracer(StackTracer(processor: recorder)) {
            withSpan("request") { _ in
                logger.warning("slow answer", metadata: ["route": "/v1/agent/runs"])
            }
        }
        let span = try #require(recorder.spans.first)
        let exporter = OTLPLogExporter(buffer: buffer, configuration: .init(endpoint: URL(string: "http://127.0.0.1:9/v1/logs")!))
        let bytes = exporter.encode(buffer.drain(max: 10))

        let resourceLogs = try #require(try ProtobufReader.messages(bytes, field: 1).first)
        let scopeLogs = try #require(try ProtobufReader.messages(resourceLogs, field: 2).first)
        let record = try #require(try ProtobufReader.messages(scopeLogs, field: 2).first)
        #expect(try ProtobufReader.varint(record, field: 2) == 13)  // WARN
        #expect(try ProtobufReader.string(record, field: 3) == "WARNING")
        let body = try #require(try ProtobufReader.messages(record, field: 5).first)
        #expect(try ProtobufReader.describeAnyValue(body) == "slow answer")
        let attributes = try ProtobufReader.keyValues(record, field: 6)
        #expect(attributes["route"] == "/v1/agent/runs")
        #expect(attributes["logger.name"] == "api.requests")
        #expect(try ProtobufReader.messages(record, field: 9).first == withUnsafeBytes(of: span.context.traceContext.traceID.bytes) { Array($0) })
        #expect(try ProtobufReader.messages(record, field: 10).first == withUnsafeBytes(of: span.context.traceContext.spanID.bytes) { Array($0) })
    }

    @Test("The log buffer is bounded: past its capacity records are dropped and counted, never queued")
    func logBufferIsBounded() {
        let buffer = OTLPLogBuffer(capacity: 2)
        let logger = Logger(label: "flood") { label in OTLPLogHandler(label: label, buffer: buffer) }
        for index in 0..<5 { logger.info("line \(index)") }
        #expect(buffer.drain(max: 10).map(\.message) == ["line 0", "line 1"])
        #expect(buffer.droppedRecords == 3)
    }

    @Test("Metrics and logs go to OTLP only when an endpoint says so, and never receive Phoenix's API key")
    func configuration() throws {
        let none = TelemetryConfiguration.fromEnvironment(["PHOENIX_API_KEY": "px-secret"])
        #expect(none.metricsEndpoint == nil)
        #expect(none.logsEndpoint == nil)

        let collector = TelemetryConfiguration.fromEnvironment([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/",
            "OTEL_EXPORTER_OTLP_HEADERS": "x-team=ai",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://logs:4318/v1/logs",
            "OTEL_METRIC_EXPORT_INTERVAL": "15000",
            "PHOENIX_API_KEY": "px-secret",
        ])
        #expect(collector.metricsEndpoint == "http://collector:4318/v1/metrics")
        #expect(collector.logsEndpoint == "http://logs:4318/v1/logs")
        #expect(collector.metricExportInterval == .seconds(15))
        #expect(collector.metricsHeaders.map(\.name) == ["x-team"])
        #expect(!collector.logsHeaders.contains { $0.value.contains("px-secret") })

        let off = TelemetryConfiguration.fromEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_METRICS_EXPORTER": "none"])
        #expect(off.metricsEndpoint == nil)
        #expect(off.logsEndpoint == "http://collector:4318/v1/logs")

        var invalid = TelemetryConfiguration()
        invalid.metricsEndpoint = "collector:4318"
        #expect(throws: TelemetryError.self) { try Telemetry(configuration: invalid) }
    }
}
