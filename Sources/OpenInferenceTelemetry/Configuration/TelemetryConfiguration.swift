#if Telemetry
import Foundation
import OpenInference
import _OpenInferenceConfiguration

/// Everything ``Telemetry`` needs: where spans go, how they are named, sampled and batched.
///
/// Build one in code, or read the standard variables with ``fromEnvironment(_:serviceName:)``. Every variable
/// the project reads is listed here, in one place:
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `PHOENIX_COLLECTOR_ENDPOINT` | Phoenix base URL or traces URL (`/v1/traces` is appended when missing) | `http://localhost:6006/v1/traces` |
/// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | traces URL, used as given (when Phoenix's is unset) | |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | collector base URL; `/v1/traces` is appended | |
/// | `PHOENIX_PROJECT_NAME` | Phoenix project (resource attribute `openinference.project.name`) | `default` |
/// | `PHOENIX_API_KEY` | sent as `Authorization: Bearer …` | |
/// | `PHOENIX_CLIENT_HEADERS`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TRACES_HEADERS` | extra headers, `k=v,k2=v2` (values URL-encoded) | |
/// | `OTEL_SERVICE_NAME` | `service.name` | the given default |
/// | `OTEL_RESOURCE_ATTRIBUTES` | more resource attributes, `k=v,k2=v2` | |
/// | `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG` | `always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio` | `parentbased_always_on` |
/// | `OTEL_TRACES_EXPORTER` | `otlp`, `console`, `none`, or a comma list | `otlp` |
/// | `OTEL_SDK_DISABLED` | `true` turns tracing off (spans are not recorded) | `false` |
/// | `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_BSP_EXPORT_TIMEOUT` | milliseconds | 5000, 30000 |
/// | `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` | spans | 2048, 512 |
/// | `OTEL_EXPORTER_OTLP_TIMEOUT`, `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` | milliseconds per HTTP attempt | 10000 |
/// | `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`, `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` | UTF-8 bytes per string value on export | unlimited |
/// | `OTEL_EXPORTER_OTLP_PROTOCOL` | only `http/protobuf` is spoken; other values are reported and ignored | |
/// | `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` | metrics URL, used as given; else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics` | no OTLP metrics |
/// | `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` | logs URL, used as given; else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs` | no OTLP logs |
/// | `OTEL_EXPORTER_OTLP_METRICS_HEADERS`, `OTEL_EXPORTER_OTLP_LOGS_HEADERS` | headers for those signals, over `OTEL_EXPORTER_OTLP_HEADERS` (Phoenix's key is not sent to them) | |
/// | `OTEL_METRICS_EXPORTER`, `OTEL_LOGS_EXPORTER` | `none` keeps that signal out of OTLP | `otlp` when an endpoint is set |
/// | `OTEL_METRIC_EXPORT_INTERVAL` | milliseconds between metric exports | 60000 |
/// | `OTEL_BLRP_SCHEDULE_DELAY`, `OTEL_BLRP_MAX_QUEUE_SIZE` | log export delay (milliseconds) and queue bound (records) | 1000, 2048 |
/// | `STACK_TAIL_SAMPLING` and `STACK_TAIL_SAMPLING_*` | tail sampling, see ``TailSamplingConfiguration`` | off |
/// | `STACK_SPOOL_DIR` | directory of the durable export spool, see ``ExportSpool`` (one per process) | no spool |
/// | `STACK_SPOOL_MAX_BYTES` | bytes the spool may hold; the oldest batches are dropped beyond it | 268435456 (256 MiB) |
/// | `STACK_SPOOL_ACK_WINDOW` | seconds an acknowledged batch stays in memory, to be spooled again if the collector dies before storing it (see ``ExportSpool/Configuration/ackWindow``) | 120 |
/// | `STACK_SPOOL_ACK_WINDOW_BYTES` | bytes of acknowledged batches kept that long; `0` keeps none | 33554432 (32 MiB) |
///
/// The `OPENINFERENCE_*` masking variables are read by `TraceConfig` in the OpenInference module.
/// Values that cannot be read keep their default and are reported in ``diagnostics``, which
/// ``Telemetry`` logs at start.
public struct TelemetryConfiguration: Sendable {
    /// Where spans can go.
    public enum Exporter: String, Sendable, Hashable {
        case otlp
        case console
    }

    public var serviceName: String
    public var projectName: String
    /// The OTLP/HTTP traces URL, validated when ``Telemetry`` starts.
    public var endpoint: String
    /// Where ``endpoint`` came from, for error messages.
    public var endpointSource: String
    /// Extra OTLP request headers. Values are never logged.
    public var headers: [(name: String, value: String)]
    public var exporters: Set<Exporter>
    /// `false` records nothing at all.
    public var isEnabled: Bool
    public var sampler: any Sampler
    public var batch: BatchSpanProcessor.Configuration
    public var exportRequestTimeout: Duration
    public var attributeValueLengthLimit: Int?
    /// The OTLP/HTTP metrics URL. `nil` (the default) keeps metrics out of OTLP: Phoenix accepts traces only.
    public var metricsEndpoint: String?
    /// The OTLP/HTTP logs URL; `nil` keeps logs out of OTLP.
    public var logsEndpoint: String?
    /// Headers for the metrics and logs endpoints (never Phoenix's API key, which is for Phoenix).
    public var metricsHeaders: [(name: String, value: String)]
    public var logsHeaders: [(name: String, value: String)]
    public var metricExportInterval: Duration
    public var logExportInterval: Duration
    /// Log records waiting for export beyond this are dropped and counted.
    public var logQueueSize: Int
    /// Tail sampling after head sampling; `nil` (the default) exports every recorded trace.
    public var tailSampling: TailSamplingConfiguration?
    /// The durable export spool for batches the collector cannot take, and for those it acknowledged
    /// shortly before it stopped answering (`STACK_SPOOL_DIR`, `STACK_SPOOL_MAX_BYTES`,
    /// `STACK_SPOOL_ACK_WINDOW`, `STACK_SPOOL_ACK_WINDOW_BYTES`); `nil` (the default) drops and counts
    /// batches that fail, and keeps no acknowledged ones.
    public var spool: ExportSpool.Configuration?
    /// More resource attributes (`deployment.environment`, `service.version`, …).
    public var resourceAttributes: [String: String]
    /// Problems found while reading the environment, each saying what was ignored.
    public var diagnostics: [String]

    /// Sends to a local Phoenix at `http://localhost:6006/v1/traces`, project `default`, every trace sampled.
    public init(serviceName: String = "stack-app") {
        self.serviceName = serviceName
        self.projectName = "default"
        self.endpoint = "http://localhost:6006/v1/traces"
        self.endpointSource = "the default endpoint"
        self.headers = []
        self.exporters = [.otlp]
        self.isEnabled = true
        self.sampler = ParentBasedSampler(root: AlwaysOnSampler())
        self.batch = .default
        self.exportRequestTimeout = .seconds(10)
        self.attributeValueLengthLimit = nil
        self.resourceAttributes = [:]
        self.diagnostics = []
        self.metricsEndpoint = nil
        self.logsEndpoint = nil
        self.metricsHeaders = []
        self.logsHeaders = []
        self.metricExportInterval = .seconds(60)
        self.logExportInterval = .seconds(1)
        self.logQueueSize = 2048
        self.tailSampling = nil
        self.spool = nil
    }

    /// Reads the variables in the table above over the defaults, through the project's one configuration
    /// reader. A value that does not parse is reported in ``diagnostics`` (logged when telemetry starts) and
    /// the default is kept: telemetry never stops the application it observes.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceName: String = "stack-app"
    ) -> TelemetryConfiguration {
        let reader = ConfigurationReader(environment)
        var config = TelemetryConfiguration(serviceName: reader.string("OTEL_SERVICE_NAME") ?? serviceName)
        config.readEndpoint(reader)
        config.projectName = reader.string("PHOENIX_PROJECT_NAME") ?? config.projectName
        config.readHeaders(reader)
        config.readSampler(reader)
        config.readExporters(reader)
        config.readBatch(reader)
        config.readMetricsAndLogs(reader)
        config.readTailSampling(reader)
        config.readSpool(reader)
        if let pairs = reader.string("OTEL_RESOURCE_ATTRIBUTES") {
            for (key, value) in config.parsePairs(pairs, variable: "OTEL_RESOURCE_ATTRIBUTES") {
                config.resourceAttributes[key] = value
            }
        }
        if let disabled = config.noting({ () throws(EnvironmentValueError) in try reader.bool("OTEL_SDK_DISABLED") }) {
            config.isEnabled = !disabled
        }
        if let protocolName = reader.string("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? reader.string("OTEL_EXPORTER_OTLP_PROTOCOL"),
            protocolName != "http/protobuf"
        {
            config.diagnostics.append(
                "OTEL_EXPORTER_OTLP_PROTOCOL is '\(protocolName)', but only http/protobuf is supported; using http/protobuf."
            )
        }
        return config
    }

    /// The value `read` returns, or `nil` with its error noted in ``diagnostics`` (the default stays).
    private mutating func noting<T>(_ read: () throws(EnvironmentValueError) -> T?) -> T? {
        do {
            return try read()
        } catch {
            diagnostics.append("\(error); using the default.")
            return nil
        }
    }

    private mutating func readEndpoint(_ reader: ConfigurationReader) {
        if let phoenix = reader.string("PHOENIX_COLLECTOR_ENDPOINT") {
            endpoint = phoenix.hasSuffix("/v1/traces") ? phoenix : phoenix.trimmingSuffix("/") + "/v1/traces"
            endpointSource = "PHOENIX_COLLECTOR_ENDPOINT"
        } else if let traces = reader.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            endpoint = traces
            endpointSource = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
        } else if let base = reader.string("OTEL_EXPORTER_OTLP_ENDPOINT") {
            endpoint = base.trimmingSuffix("/") + "/v1/traces"
            endpointSource = "OTEL_EXPORTER_OTLP_ENDPOINT"
        }
    }

    private mutating func readHeaders(_ reader: ConfigurationReader) {
        for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "PHOENIX_CLIENT_HEADERS"] {
            guard let raw = reader.string(variable, isSecret: true) else { continue }
            Self.merge(parsePairs(raw, variable: variable), into: &headers)
        }
        if let key = reader.string("PHOENIX_API_KEY", isSecret: true) {
            headers.removeAll { $0.name.lowercased() == "authorization" }
            headers.append(("authorization", "Bearer \(key)"))
        }
    }

    private mutating func readMetricsAndLogs(_ reader: ConfigurationReader) {
        let base = reader.string("OTEL_EXPORTER_OTLP_ENDPOINT")?.trimmingSuffix("/")
        func endpoint(_ signal: String, path: String) -> String? {
            if reader.string("OTEL_\(signal)_EXPORTER")?.lowercased() == "none" { return nil }
            return reader.string("OTEL_EXPORTER_OTLP_\(signal)_ENDPOINT") ?? base.map { $0 + path }
        }
        func headers(_ signal: String) -> [(name: String, value: String)] {
            var result: [(name: String, value: String)] = []
            // The shared variable's malformed entries were reported when the trace headers were read.
            if let shared = reader.string("OTEL_EXPORTER_OTLP_HEADERS", isSecret: true) { Self.merge(Self.splitPairs(shared).pairs, into: &result) }
            let variable = "OTEL_EXPORTER_OTLP_\(signal)_HEADERS"
            if let raw = reader.string(variable, isSecret: true) { Self.merge(parsePairs(raw, variable: variable), into: &result) }
            return result
        }
        metricsEndpoint = endpoint("METRICS", path: "/v1/metrics")
        logsEndpoint = endpoint("LOGS", path: "/v1/logs")
        if metricsEndpoint != nil { metricsHeaders = headers("METRICS") }
        if logsEndpoint != nil { logsHeaders = headers("LOGS") }
        if let interval = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_METRIC_EXPORT_INTERVAL") }) {
            metricExportInterval = interval
        }
        if let delay = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_BLRP_SCHEDULE_DELAY") }) {
            logExportInterval = delay
        }
        if let size = noting({ () throws(EnvironmentValueError) in try reader.positiveInt("OTEL_BLRP_MAX_QUEUE_SIZE") }) {
            logQueueSize = size
        }
    }

    private mutating func readTailSampling(_ reader: ConfigurationReader) {
        guard noting({ () throws(EnvironmentValueError) in try reader.bool("STACK_TAIL_SAMPLING") }) == true else { return }
        var tail = TailSamplingConfiguration()
        if let ratio = noting({ () throws(EnvironmentValueError) in try reader.ratio("STACK_TAIL_SAMPLING_RATIO") }) { tail.ratio = ratio }
        if let value = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("STACK_TAIL_SAMPLING_LATENCY_MS") }) {
            tail.latencyThreshold = value
        }
        if let value = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("STACK_TAIL_SAMPLING_DECISION_WAIT_MS") }) {
            tail.decisionWait = value
        }
        if let value = noting({ () throws(EnvironmentValueError) in try reader.positiveInt("STACK_TAIL_SAMPLING_MAX_TRACES") }) {
            tail.maxPendingTraces = value
        }
        if let value = noting({ () throws(EnvironmentValueError) in try reader.positiveInt("STACK_TAIL_SAMPLING_MAX_SPANS") }) {
            tail.maxPendingSpans = value
        }
        tailSampling = tail
    }

    private mutating func readSpool(_ reader: ConfigurationReader) {
        let maxBytes = noting({ () throws(EnvironmentValueError) in
            try reader.positiveInt("STACK_SPOOL_MAX_BYTES", example: ExportSpool.Configuration.defaultMaxBytes)
        })
        let ackWindow = noting({ () throws(EnvironmentValueError) in try reader.seconds("STACK_SPOOL_ACK_WINDOW") })
        let ackWindowBytes = noting({ () throws(EnvironmentValueError) in
            try reader.int("STACK_SPOOL_ACK_WINDOW_BYTES", in: 0...Int.max, expected: "a whole number of bytes such as 33554432, or 0 for no window")
        })
        guard let directory = reader.string("STACK_SPOOL_DIR") else {
            let given = [
                ("STACK_SPOOL_MAX_BYTES", maxBytes != nil), ("STACK_SPOOL_ACK_WINDOW", ackWindow != nil),
                ("STACK_SPOOL_ACK_WINDOW_BYTES", ackWindowBytes != nil),
            ]
            for (variable, isSet) in given where isSet {
                diagnostics.append("\(variable) is set but STACK_SPOOL_DIR is not, so there is no spool; set STACK_SPOOL_DIR.")
            }
            return
        }
        spool = ExportSpool.Configuration(
            directory: directory,
            maxBytes: maxBytes ?? ExportSpool.Configuration.defaultMaxBytes,
            ackWindow: ackWindow ?? ExportSpool.Configuration.defaultAckWindow,
            ackWindowMaxBytes: ackWindowBytes ?? ExportSpool.Configuration.defaultAckWindowMaxBytes
        )
    }

    /// A validated http(s) URL for a metrics or logs endpoint.
    static func validated(_ raw: String, variable: String) throws(TelemetryError) -> URL {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidEndpoint(raw, source: variable) }
        return url
    }

    private mutating func readSampler(_ reader: ConfigurationReader) {
        let name = reader.string("OTEL_TRACES_SAMPLER")?.lowercased() ?? "parentbased_always_on"
        let ratio = noting({ () throws(EnvironmentValueError) in try reader.ratio("OTEL_TRACES_SAMPLER_ARG") }) ?? 1.0
        switch name {
        case "always_on": sampler = AlwaysOnSampler()
        case "always_off": sampler = AlwaysOffSampler()
        case "traceidratio": sampler = TraceIDRatioSampler(ratio: ratio)
        case "parentbased_always_on": sampler = ParentBasedSampler(root: AlwaysOnSampler())
        case "parentbased_always_off": sampler = ParentBasedSampler(root: AlwaysOffSampler())
        case "parentbased_traceidratio": sampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: ratio))
        default:
            diagnostics.append("OTEL_TRACES_SAMPLER is '\(name)', which is not supported; using parentbased_always_on.")
        }
    }

    private mutating func readExporters(_ reader: ConfigurationReader) {
        guard let raw = reader.string("OTEL_TRACES_EXPORTER") else { return }
        exporters = []
        for name in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch name {
            case "otlp": exporters.insert(.otlp)
            case "console": exporters.insert(.console)
            case "none": break
            default: diagnostics.append("OTEL_TRACES_EXPORTER names '\(name)', which is not supported; ignored.")
            }
        }
    }

    private mutating func readBatch(_ reader: ConfigurationReader) {
        if let delay = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_BSP_SCHEDULE_DELAY") }) {
            batch.scheduleDelay = delay
        }
        if let timeout = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_BSP_EXPORT_TIMEOUT") }) {
            batch.exportTimeout = timeout
        }
        if let size = noting({ () throws(EnvironmentValueError) in try reader.positiveInt("OTEL_BSP_MAX_QUEUE_SIZE") }) { batch.maxQueueSize = size }
        if let size = noting({ () throws(EnvironmentValueError) in try reader.positiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") }) {
            batch.maxExportBatchSize = size
        }
        if let timeout = noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") })
            ?? noting({ () throws(EnvironmentValueError) in try reader.milliseconds("OTEL_EXPORTER_OTLP_TIMEOUT") })
        {
            exportRequestTimeout = timeout
        }
        attributeValueLengthLimit =
            noting({ () throws(EnvironmentValueError) in try reader.positiveInt("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT") })
            ?? noting({ () throws(EnvironmentValueError) in try reader.positiveInt("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT") })
    }

    /// Parses `k=v,k2=v2` with URL-encoded values, as the OTel headers and resource variables use.
    private mutating func parsePairs(_ raw: String, variable: String) -> [(String, String)] {
        let (pairs, malformed) = Self.splitPairs(raw)
        for _ in 0..<malformed {
            // The item may hold a secret: report its position, not its text.
            diagnostics.append("\(variable) has an entry that is not key=value; it was ignored.")
        }
        return pairs
    }

    /// The `k=v` items of `raw` and how many items were not of that shape.
    private static func splitPairs(_ raw: String) -> (pairs: [(String, String)], malformed: Int) {
        var pairs: [(String, String)] = []
        var malformed = 0
        for item in raw.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            let key = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard parts.count == 2, !key.isEmpty else {
                malformed += 1
                continue
            }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            pairs.append((key, value.removingPercentEncoding ?? value))
        }
        return (pairs, malformed)
    }

    /// Adds `pairs` to `headers`; a later value replaces an earlier one of the same name, whatever its case.
    private static func merge(_ pairs: [(String, String)], into headers: inout [(name: String, value: String)]) {
        for (name, value) in pairs {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
    }

    /// The validated endpoint URL.
    func validatedEndpoint() throws(TelemetryError) -> URL {
        try Self.validated(endpoint, variable: endpointSource)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
#endif  // Telemetry
