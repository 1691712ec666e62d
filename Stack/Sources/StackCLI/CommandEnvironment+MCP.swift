import ArgumentParser
import Foundation
import Logging
import PhoenixClient
import StackMCP

extension CommandEnvironment {
    /// `STACK_MCP_SERVERS` and `STACK_MCP_TIMEOUT`; a malformed value stops the command with its message.
    func mcpConfiguration() throws -> MCPConfiguration {
        do {
            return try MCPConfiguration.fromEnvironment(variables)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The environment of MCP server processes: the commands' variables (with the local model server and
    /// Phoenix found), and `PATH` led by this executable's folder, so `stack mcp` runs this very `stack`.
    var mcpServerEnvironment: [String: String] {
        var environment = variables
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let folder = executable.deletingLastPathComponent().path
            environment["PATH"] = [folder, environment["PATH"]].compactMap { $0 }.joined(separator: ":")
        }
        return environment
    }
}

/// Logs of the MCP wiring on standard error, warnings and above, as `stack: …` lines.
let mcpLogger: Logger = {
    var logger = Logger(label: "stack.mcp") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = .warning
    return logger
}()

extension PhoenixClient {
    /// The spans of a trace once Phoenix holds at least `count` of them and every span's parent: with
    /// MCP servers, other processes add spans to the trace (they flush before they answer, but Phoenix
    /// ingests in its own order), so the count of our own spans alone could show a partial tree.
    func waitForCompleteTrace(project: String, traceID: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [PhoenixSpan] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var spans = try await waitForTrace(project: project, traceID: traceID, count: count, timeout: timeout)
        while ContinuousClock.now < deadline {
            let ids = Set(spans.map(\.context.spanID))
            if spans.contains(where: { $0.parentID == nil }), spans.allSatisfy({ $0.parentID.map(ids.contains) ?? true }) { break }
            try await Task.sleep(for: .milliseconds(250))
            spans = try await self.spans(project: project, traceID: traceID)
        }
        return spans
    }
}
