import Logging
import ServiceLifecycle
import StackAgent

/// The MCP servers a run or a service uses: started together, their tools registered in a
/// ``ToolRegistry``, closed (and their processes reaped) together.
///
/// A server that fails to start, or whose tools cannot be listed, is reported through the logger and
/// left out; the others, and the run, go on.
public struct MCPServerSet: Sendable {
    /// The servers that started.
    public let connections: [MCPServerConnection]
    /// What went wrong with the servers that were left out.
    public let failures: [MCPServerError]

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
                        return (index, .success(try await MCPServerConnection.start(command, environment: environment, timeout: configuration.timeout, logger: logger)))
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
        var failures: [MCPServerError] = []
        for result in results {
            switch result {
            case .success(let connection): connections.append(connection)
            case .failure(let error):
                logger.warning("MCP server left out: \(error)")
                failures.append(error)
            }
        }
        return MCPServerSet(connections: connections, failures: failures)
    }

    /// Registers every server's tools in `registry`, in the order the servers were given; a name another
    /// tool already has is prefixed with the server's name. A server whose tools cannot be listed is
    /// reported and skipped.
    public func registerTools(in registry: inout ToolRegistry, logger: Logger) async {
        for connection in connections {
            do {
                let names = try await registry.register(source: connection)
                logger.debug("MCP tools registered", metadata: ["server": "\(MCPServerError.redacting(connection.command))", "tools": "\(names.map(\.registered))"])
            } catch {
                logger.warning("MCP server's tools left out: \(error)")
            }
        }
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
