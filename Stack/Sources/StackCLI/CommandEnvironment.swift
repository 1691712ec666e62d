import ArgumentParser
import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackLLM
import _OpenInferenceConfiguration

/// The environment the `stack` commands read: the process environment, plus the local model server and
/// Phoenix that the project's scripts started (`make demo`, `scripts/model-server.sh start`,
/// `scripts/phoenix.sh start`) when `OPENAI_BASE_URL` or `PHOENIX_COLLECTOR_ENDPOINT` is unset.
///
/// The scripts keep a run folder under `STACK_CACHE_DIR` (default `~/.cache/stack`) with the process id
/// and port; a folder whose process is gone is ignored. Explicit variables always win. What was found is
/// said once, on standard error, so a user knows which servers a command talks to.
struct CommandEnvironment: Sendable {
    /// The variables every configuration reader of the commands gets.
    let variables: [String: String]
    /// One line for each local service the commands use because its variable was unset.
    let discovered: [String]

    /// The environment of this process, read once.
    static let current = CommandEnvironment(ProcessInfo.processInfo.environment)

    init(_ environment: [String: String]) {
        var variables = environment
        var discovered: [String] = []
        let reader = ConfigurationReader(environment)
        let cache = reader.cacheDirectory
        if reader.string("OPENAI_BASE_URL") == nil, let port = Self.livePort(cache.appendingPathComponent("model-run")) {
            variables["OPENAI_BASE_URL"] = "http://127.0.0.1:\(port)/v1"
            // The local server serves SmolLM2 under these aliases (scripts/model-server.sh).
            if reader.string("OPENAI_MODEL") == nil { variables["OPENAI_MODEL"] = "smollm2" }
            if reader.string("OPENAI_EMBEDDING_MODEL") == nil { variables["OPENAI_EMBEDDING_MODEL"] = "smollm2-embed" }
            discovered.append(
                "model server: http://127.0.0.1:\(port)/v1, started by scripts/model-server.sh (set OPENAI_BASE_URL to use another)"
            )
        }
        if reader.string("PHOENIX_COLLECTOR_ENDPOINT") == nil, let port = Self.livePort(cache.appendingPathComponent("phoenix-run")) {
            variables["PHOENIX_COLLECTOR_ENDPOINT"] = "http://127.0.0.1:\(port)"
            discovered.append(
                "Phoenix: http://127.0.0.1:\(port), started by scripts/phoenix.sh (set PHOENIX_COLLECTOR_ENDPOINT to use another)"
            )
        }
        self.variables = variables
        self.discovered = discovered
    }

    /// Says on standard error which local services the commands use.
    func announce() {
        for line in discovered {
            FileHandle.standardError.write(Data("stack: using the local \(line)\n".utf8))
        }
        for issue in traceConfigIssues {
            FileHandle.standardError.write(Data("stack: warning: \(issue); its default is used\n".utf8))
        }
    }

    /// The `OPENINFERENCE_*` masking variables that are set but cannot be read (``TraceConfig`` keeps
    /// their defaults): every command warns of them at start, and `stack serve` refuses to start.
    var traceConfigIssues: [String] {
        TraceConfig.environmentIssues(variables).map(\.description)
    }

    /// The Phoenix project spans go to (`PHOENIX_PROJECT_NAME`, read by the telemetry configuration).
    var projectName: String {
        TelemetryConfiguration.fromEnvironment(variables).projectName
    }

    /// The Phoenix client for `PHOENIX_COLLECTOR_ENDPOINT`.
    func phoenix() throws -> PhoenixClient {
        guard let client = PhoenixClient.fromEnvironment(variables) else {
            throw ValidationError("PHOENIX_COLLECTOR_ENDPOINT is not a URL; set it like http://localhost:6006")
        }
        return client
    }

    /// The model client for the `OPENAI_*` variables.
    func llmClient() throws -> LLMClient {
        LLMClient(configuration: try LLMClientConfiguration.fromEnvironment(variables))
    }

    /// Where the retrieval index lives unless `--index` says otherwise: `STACK_INDEX_PATH`, or one index
    /// per embedding model in the cache folder, shared by `make demo`, `stack ingest`, `stack ask` and
    /// `stack serve` (vectors of different models cannot share an index).
    var defaultIndexPath: String {
        let reader = ConfigurationReader(variables)
        if let path = reader.string("STACK_INDEX_PATH") { return path }
        let model = reader.string("OPENAI_EMBEDDING_MODEL") ?? LLMClientConfiguration().embeddingModel
        let safe = String(model.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return reader.cacheDirectory.appendingPathComponent("index-\(safe).sqlite").path
    }

    /// The port in `folder/port` when `folder/pid` names a running process.
    private static func livePort(_ folder: URL) -> Int? {
        func read(_ name: String) -> Int? {
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard let pid = read("pid"), pid > 0, kill(pid_t(pid), 0) == 0 else { return nil }
        return read("port")
    }
}
