import Logging
import ServiceLifecycle
import StackAgent

/// The MCP servers a run or a service uses: started together, their tools registered in a
/// ``ToolRegistry``, closed (and their processes reaped) together.
///
/// A server that fails to start, or whose tools cannot be listed, is reported through the logger and
/// registered as an ``UnavailableMCPServer``: one tool, `<server>_unavailable`, whose description tells
/// the model what failed and whose every call is that error (a tool message and an ERROR TOOL span).
/// The others, and the run, go on.
public struct MCPServerSet: Sendable {
    /// The servers that started.
    public let connections: [MCPServerConnection]
    /// The servers that did not start, each with its `failedToStart` error.
    public let unavailable: [UnavailableMCPServer]

    /// What went wrong with the servers that did not start.
    public var failures: [MCPServerError] { unavailable.map(\.failure) }

    /// Starts each of `commands` concurrently.
    public static func start(
        _ commands: [String],
        environment: [String: String],
        configuration: MCPConfiguration,
        logger: Logger
    ) async -> MCPServerSet {
        let results = await withTaskGroup(of: (Int, Result<MCPServerConnection, MCPServerError>).self) { group in
            for (index, command) in commands.enumerated() {
                group.addTask {
                    do throws(MCPServerError) {
                        return (
                            index,
                            .success(
                                try await MCPServerConnection.start(command, environment: environment, timeout: configuration.timeout, logger: logger)
                            )
                        )
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<MCPServerConnection, MCPServerError>?](repeating: nil, count: commands.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        var connections: [MCPServerConnection] = []
        var unavailable: [UnavailableMCPServer] = []
        for (command, result) in zip(commands, results) {
            switch result {
            case .success(let connection): connections.append(connection)
            case .failure(let error):
                logger.warning(
                    "MCP server unavailable (the model is told, through the tool \(UnavailableMCPServer.shortName(of: command))_unavailable): \(error)"
                )
                unavailable.append(UnavailableMCPServer(command: command, failure: error))
            }
        }
        return MCPServerSet(connections: connections, unavailable: unavailable)
    }

    /// Registers every server's tools in `registry`, in the order the servers were given; a name another
    /// tool already has is prefixed with the server's name. A server that did not start, or whose tools
    /// cannot be listed, is registered as its ``UnavailableMCPServer`` tool.
    public func registerTools(in registry: inout ToolRegistry, logger: Logger) async {
        for connection in connections {
            do {
                let names = try await registry.register(source: connection)
                logger.debug(
                    "MCP tools registered",
                    metadata: ["server": "\(MCPServerError.redacting(connection.command))", "tools": "\(names.map(\.registered))"])
            } catch {
                let failure =
                    error as? MCPServerError
                    ?? MCPServerError(
                        .malformedResult, server: connection.command, message: "its tool list could not be read (\(error))", underlying: error)
                logger.warning("MCP server's tools unavailable: \(failure)")
                _ = try? await registry.register(source: UnavailableMCPServer(command: connection.command, failure: failure))
            }
        }
        // An UnavailableMCPServer lists its one tool without failing.
        for server in unavailable { _ = try? await registry.register(source: server) }
    }

    /// Closes every server and reaps its process; completes even when the task is cancelled.
    public func close() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections { group.addTask { await connection.close() } }
        }
    }

    /// Starts `commands`, runs `body` with the set, and closes the set however `body` ends (an error or
    /// cancellation included), so no server process outlives it.
    public static func with<T>(
        _ commands: [String],
        environment: [String: String],
        configuration: MCPConfiguration,
        logger: Logger,
        _ body: (MCPServerSet) async throws -> T
    ) async throws -> T {
        let servers = await start(commands, environment: environment, configuration: configuration, logger: logger)
        do {
            let result = try await body(servers)
            await servers.close()
            return result
        } catch {
            await servers.close()
            throw error
        }
    }
}

extension MCPServerSet: Service {
    /// Keeps the servers until graceful shutdown, then closes them: in a `ServiceGroup` after the HTTP
    /// server, so requests in flight finish their tool calls first.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
