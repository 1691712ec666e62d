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
        CommandEnvironment.current.announce()
        guard traceID.count == 32, traceID.allSatisfy(\.isHexDigit) else {
            throw ValidationError("'\(traceID)' is not a trace id: expected 32 hex characters, as printed after trace_id:")
        }
        let environment = CommandEnvironment.current
        let project = project ?? environment.projectName
        let phoenix = try environment.phoenix()
        let spans = try await phoenix.spans(project: project, traceID: traceID.lowercased())
        guard !spans.isEmpty else {
            throw ValidationError("Phoenix has no spans of trace \(traceID) in project '\(project)'; check --project.")
        }
        print(TraceWaterfall.render(spans))
    }
}
