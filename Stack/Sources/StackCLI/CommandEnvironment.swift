import ArgumentParser
import Foundation
import PhoenixClient
import StackLLM

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
        let cache = Self.cacheDirectory(environment)
        if Self.isUnset("OPENAI_BASE_URL", in: environment), let port = Self.livePort(cache.appendingPathComponent("model-run")) {
            variables["OPENAI_BASE_URL"] = "http://127.0.0.1:\(port)/v1"
            // The local server serves SmolLM2 under these aliases (scripts/model-server.sh).
            if Self.isUnset("OPENAI_MODEL", in: environment) { variables["OPENAI_MODEL"] = "smollm2" }
            if Self.isUnset("OPENAI_EMBEDDING_MODEL", in: environment) { variables["OPENAI_EMBEDDING_MODEL"] = "smollm2-embed" }
            discovered.append(
                "model server: http://127.0.0.1:\(port)/v1, started by scripts/model-server.sh (set OPENAI_BASE_URL to use another)"
            )
        }
        if Self.isUnset("PHOENIX_COLLECTOR_ENDPOINT", in: environment), let port = Self.livePort(cache.appendingPathComponent("phoenix-run")) {
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
    }

    /// `PHOENIX_PROJECT_NAME`, or `default`.
    var projectName: String {
        variables["PHOENIX_PROJECT_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
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
        if let path = variables["STACK_INDEX_PATH"], !path.isEmpty { return path }
        let model = variables["OPENAI_EMBEDDING_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? LLMClientConfiguration().embeddingModel
        let safe = String(model.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return Self.cacheDirectory(variables).appendingPathComponent("index-\(safe).sqlite").path
    }

    private static func cacheDirectory(_ environment: [String: String]) -> URL {
        if let path = environment["STACK_CACHE_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/stack")
    }

    private static func isUnset(_ name: String, in environment: [String: String]) -> Bool {
        environment[name]?.isEmpty ?? true
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
