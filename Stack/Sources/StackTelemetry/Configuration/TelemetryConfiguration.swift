import Foundation

/// Everything ``Telemetry`` needs: where spans go, how they are named, sampled and batched.
///
/// Build one in code, or read the standard variables with ``fromEnvironment(_:)``. Every variable
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
    }

    /// Head sampling `ParentBased(TraceIdRatio(ratio))`: new traces are kept with probability `ratio`,
    /// children follow their parent.
    public mutating func sampleRatio(_ ratio: Double) {
        sampler = ParentBasedSampler(root: TraceIDRatioSampler(ratio: ratio))
    }

    /// Reads the variables in the table above over the defaults.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceName: String = "stack-app"
    ) -> TelemetryConfiguration {
        var config = TelemetryConfiguration(serviceName: environment.nonEmpty("OTEL_SERVICE_NAME") ?? serviceName)
        config.readEndpoint(environment)
        config.projectName = environment.nonEmpty("PHOENIX_PROJECT_NAME") ?? config.projectName
        config.readHeaders(environment)
        config.readSampler(environment)
        config.readExporters(environment)
        config.readBatch(environment)
        config.readMetricsAndLogs(environment)
        config.readTailSampling(environment)
        if let pairs = environment.nonEmpty("OTEL_RESOURCE_ATTRIBUTES") {
            for (key, value) in config.parsePairs(pairs, variable: "OTEL_RESOURCE_ATTRIBUTES") {
                config.resourceAttributes[key] = value
            }
        }
        if let disabled = environment.nonEmpty("OTEL_SDK_DISABLED") {
            config.isEnabled = disabled.lowercased() != "true"
        }
        if let protocolName = environment.nonEmpty("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            ?? environment.nonEmpty("OTEL_EXPORTER_OTLP_PROTOCOL"), protocolName != "http/protobuf"
        {
            config.diagnostics.append(
                "OTEL_EXPORTER_OTLP_PROTOCOL is '\(protocolName)', but only http/protobuf is supported; using http/protobuf."
            )
        }
        return config
    }

    private mutating func readEndpoint(_ environment: [String: String]) {
        if let phoenix = environment.nonEmpty("PHOENIX_COLLECTOR_ENDPOINT") {
            endpoint = phoenix.hasSuffix("/v1/traces") ? phoenix : phoenix.trimmingSuffix("/") + "/v1/traces"
            endpointSource = "PHOENIX_COLLECTOR_ENDPOINT"
        } else if let traces = environment.nonEmpty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            endpoint = traces
            endpointSource = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
        } else if let base = environment.nonEmpty("OTEL_EXPORTER_OTLP_ENDPOINT") {
            endpoint = base.trimmingSuffix("/") + "/v1/traces"
            endpointSource = "OTEL_EXPORTER_OTLP_ENDPOINT"
        }
    }

    private mutating func readHeaders(_ environment: [String: String]) {
        for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "PHOENIX_CLIENT_HEADERS"] {
            guard let raw = environment.nonEmpty(variable) else { continue }
            Self.merge(parsePairs(raw, variable: variable), into: &headers)
        }
        if let key = environment.nonEmpty("PHOENIX_API_KEY") {
            headers.removeAll { $0.name.lowercased() == "authorization" }
            headers.append(("authorization", "Bearer \(key)"))
        }
    }

    private mutating func readMetricsAndLogs(_ environment: [String: String]) {
        let base = environment.nonEmpty("OTEL_EXPORTER_OTLP_ENDPOINT")?.trimmingSuffix("/")
        func endpoint(_ signal: String, path: String) -> String? {
            if environment.nonEmpty("OTEL_\(signal)_EXPORTER")?.lowercased() == "none" { return nil }
            return environment.nonEmpty("OTEL_EXPORTER_OTLP_\(signal)_ENDPOINT") ?? base.map { $0 + path }
        }
        func headers(_ signal: String) -> [(name: String, value: String)] {
            var result: [(name: String, value: String)] = []
            // The shared variable's malformed entries were reported when the trace headers were read.
            if let shared = environment.nonEmpty("OTEL_EXPORTER_OTLP_HEADERS") { Self.merge(Self.splitPairs(shared).pairs, into: &result) }
            let variable = "OTEL_EXPORTER_OTLP_\(signal)_HEADERS"
            if let raw = environment.nonEmpty(variable) { Self.merge(parsePairs(raw, variable: variable), into: &result) }
            return result
        }
        metricsEndpoint = endpoint("METRICS", path: "/v1/metrics")
        logsEndpoint = endpoint("LOGS", path: "/v1/logs")
        if metricsEndpoint != nil { metricsHeaders = headers("METRICS") }
        if logsEndpoint != nil { logsHeaders = headers("LOGS") }
        if let milliseconds = positiveInteger(environment, "OTEL_METRIC_EXPORT_INTERVAL") { metricExportInterval = .milliseconds(milliseconds) }
        if let milliseconds = positiveInteger(environment, "OTEL_BLRP_SCHEDULE_DELAY") { logExportInterval = .milliseconds(milliseconds) }
        if let size = positiveInteger(environment, "OTEL_BLRP_MAX_QUEUE_SIZE") { logQueueSize = size }
    }

    /// A positive whole number from `variable`, or `nil` (reported when present but malformed).
    private mutating func positiveInteger(_ environment: [String: String], _ variable: String) -> Int? {
        guard let raw = environment.nonEmpty(variable) else { return nil }
        guard let value = Int(raw), value > 0 else {
            diagnostics.append("\(variable) is '\(raw)', not a positive whole number; using the default.")
            return nil
        }
        return value
    }

    private mutating func readTailSampling(_ environment: [String: String]) {
        guard let raw = environment.nonEmpty("STACK_TAIL_SAMPLING") else { return }
        switch raw.lowercased() {
        case "true", "1", "on": break
        case "false", "0", "off": return
        default:
            diagnostics.append("STACK_TAIL_SAMPLING is '\(raw)', expected true or false; tail sampling stays off.")
            return
        }
        var tail = TailSamplingConfiguration()
        if let raw = environment.nonEmpty("STACK_TAIL_SAMPLING_RATIO") {
            if let ratio = Double(raw), (0...1).contains(ratio) {
                tail.ratio = ratio
            } else {
                diagnostics.append("STACK_TAIL_SAMPLING_RATIO is '\(raw)', not a number from 0 to 1; using \(tail.ratio).")
            }
        }
        if let value = positiveInteger(environment, "STACK_TAIL_SAMPLING_LATENCY_MS") { tail.latencyThreshold = .milliseconds(value) }
        if let value = positiveInteger(environment, "STACK_TAIL_SAMPLING_DECISION_WAIT_MS") { tail.decisionWait = .milliseconds(value) }
        if let value = positiveInteger(environment, "STACK_TAIL_SAMPLING_MAX_TRACES") { tail.maxPendingTraces = value }
        if let value = positiveInteger(environment, "STACK_TAIL_SAMPLING_MAX_SPANS") { tail.maxPendingSpans = value }
        tailSampling = tail
    }

    /// A validated http(s) URL for a metrics or logs endpoint.
    static func validated(_ raw: String, variable: String) throws(TelemetryError) -> URL {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { throw .invalidEndpoint(raw, source: variable) }
        return url
    }

    private mutating func readSampler(_ environment: [String: String]) {
        let name = environment.nonEmpty("OTEL_TRACES_SAMPLER")?.lowercased() ?? "parentbased_always_on"
        var ratio = 1.0
        if let raw = environment.nonEmpty("OTEL_TRACES_SAMPLER_ARG") {
            if let value = Double(raw), (0...1).contains(value) {
                ratio = value
            } else {
                diagnostics.append("OTEL_TRACES_SAMPLER_ARG is '\(raw)', not a number from 0 to 1; using 1.0.")
            }
        }
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

    private mutating func readExporters(_ environment: [String: String]) {
        guard let raw = environment.nonEmpty("OTEL_TRACES_EXPORTER") else { return }
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

    private mutating func readBatch(_ environment: [String: String]) {
        func milliseconds(_ variable: String) -> Duration? {
            guard let raw = environment.nonEmpty(variable) else { return nil }
            guard let value = Int(raw), value > 0 else {
                diagnostics.append("\(variable) is '\(raw)', not a positive number of milliseconds; using the default.")
                return nil
            }
            return .milliseconds(value)
        }
        func count(_ variable: String) -> Int? {
            guard let raw = environment.nonEmpty(variable) else { return nil }
            guard let value = Int(raw), value > 0 else {
                diagnostics.append("\(variable) is '\(raw)', not a positive whole number; using the default.")
                return nil
            }
            return value
        }
        if let delay = milliseconds("OTEL_BSP_SCHEDULE_DELAY") { batch.scheduleDelay = delay }
        if let timeout = milliseconds("OTEL_BSP_EXPORT_TIMEOUT") { batch.exportTimeout = timeout }
        if let size = count("OTEL_BSP_MAX_QUEUE_SIZE") { batch.maxQueueSize = size }
        if let size = count("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") { batch.maxExportBatchSize = size }
        if let timeout = milliseconds("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") ?? milliseconds("OTEL_EXPORTER_OTLP_TIMEOUT") {
            exportRequestTimeout = timeout
        }
        attributeValueLengthLimit =
            count("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT") ?? count("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT")
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

extension Dictionary where Key == String, Value == String {
    fileprivate func nonEmpty(_ key: String) -> String? {
        guard let value = self[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
