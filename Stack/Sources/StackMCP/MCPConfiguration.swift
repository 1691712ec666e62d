import Foundation
import OpenInference
import _OpenInferenceConfiguration

/// Which MCP servers the agent uses as tool sources, and how long their requests may take.
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `STACK_MCP_SERVERS` | MCP servers separated by `;`: commands that start one on stdio (each run by `/bin/sh -c`), or `http(s)://` URLs of Streamable HTTP endpoints | none |
/// | `STACK_MCP_TIMEOUT` | seconds a server may take to start or to answer one request | 30 |
public struct MCPConfiguration: Sendable, Hashable {
    /// The server commands or URLs (`STACK_MCP_SERVERS`, separated by `;`).
    public var servers: [String]
    /// The limit on the handshake and on each request (`STACK_MCP_TIMEOUT`, in seconds).
    public var timeout: Duration

    /// Creates a configuration.
    public init(servers: [String] = [], timeout: Duration = .seconds(30)) {
        self.servers = servers
        self.timeout = timeout
    }

    /// Reads the variables in the table above over the defaults.
    ///
    /// - Throws: `EnvironmentValueError` naming `STACK_MCP_TIMEOUT` when it is not a positive number.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(EnvironmentValueError) -> MCPConfiguration {
        let reader = ConfigurationReader(environment)
        var configuration = MCPConfiguration()
        if let servers = reader.string("STACK_MCP_SERVERS") {
            configuration.servers = servers.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let timeout = try reader.seconds("STACK_MCP_TIMEOUT") { configuration.timeout = timeout }
        return configuration
    }
}
