import ArgumentParser
import Foundation
import PhoenixClient

/// `stack trace <id>`: the terminal waterfall of any trace Phoenix holds.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace", abstract: "Print the waterfall of a trace stored in Phoenix.")

    @Argument(help: "The trace id (32 hex characters).")
    var traceID: String

    @Option(help: "The Phoenix project (default: PHOENIX_PROJECT_NAME or 'default').")
    var project: String?

    func run() async throws {
        guard traceID.count == 32, traceID.allSatisfy(\.isHexDigit) else {
            throw ValidationError("'\(traceID)' is not a trace id: expected 32 hex characters, as printed after trace_id:")
        }
        let project = project ?? Environment.projectName
        let phoenix = try Environment.phoenix()
        let spans = try await phoenix.spans(project: project, traceID: traceID.lowercased())
        guard !spans.isEmpty else {
            throw ValidationError("Phoenix has no spans of trace \(traceID) in project '\(project)'; check --project.")
        }
        print(TraceWaterfall.render(spans))
    }
}

/// Values the commands share, read from the environment in one place.
enum Environment {
    static var projectName: String {
        ProcessInfo.processInfo.environment["PHOENIX_PROJECT_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    static func phoenix() throws -> PhoenixClient {
        guard let client = PhoenixClient.fromEnvironment() else {
            throw ValidationError("PHOENIX_COLLECTOR_ENDPOINT is not a URL; set it like http://localhost:6006")
        }
        return client
    }

    /// Where the retrieval index lives unless --index says otherwise.
    static var defaultIndexPath: String {
        ProcessInfo.processInfo.environment["STACK_INDEX_PATH"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/stack/index.sqlite").path
    }
}
