import ArgumentParser
import Foundation
import Logging
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
