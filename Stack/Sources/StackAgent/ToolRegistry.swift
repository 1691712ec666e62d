import Foundation
import Metrics
import OpenInference

/// The tools an agent offers, by name; runs each call inside a TOOL span.
public struct ToolRegistry: Sendable {
    private struct Entry: Sendable {
        let definition: LLMToolDefinition
        let run: @Sendable (String) async throws -> String
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    public init() {}

    public init(_ tools: [any AgentTool]) {
        for tool in tools { register(tool) }
    }

    /// Adds `tool`, replacing one of the same name.
    public mutating func register<T: AgentTool>(_ tool: T) {
        let name = tool.name
        let entry = Entry(definition: tool.definition) { arguments in
            let decoded: T.Arguments
            do {
                let text = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
                decoded = try JSONDecoder().decode(T.Arguments.self, from: Data((text.isEmpty ? "{}" : text).utf8))
            } catch {
                throw ToolError.invalidArguments(tool: name, reason: Self.reason(error))
            }
            return try await tool.call(decoded)
        }
        if entries[name] == nil { order.append(name) }
        entries[name] = entry
    }

    /// Adds a tool given by its definition and a function of its arguments (a JSON object as text),
    /// replacing one of the same name.
    public mutating func register(_ definition: LLMToolDefinition, run: @escaping @Sendable (String) async throws -> String) {
        if entries[definition.name] == nil { order.append(definition.name) }
        entries[definition.name] = Entry(definition: definition, run: run)
    }

    /// Lists `source`'s tools and registers each beside the tools already here. A tool whose name is
    /// taken is registered as `<source>_<name>` (then `_2`, `_3`, …), so no tool is shadowed.
    ///
    /// - Returns: the registered names, in the source's order, each with the name the source knows it by.
    @discardableResult
    public mutating func register(source: some ToolSource) async throws -> [(registered: String, original: String)] {
        var registered: [(registered: String, original: String)] = []
        for definition in try await source.listTools() {
            let name = uniqueName(for: definition.name, source: source.sourceName)
            let original = definition.name
            register(LLMToolDefinition(name: name, description: definition.description, parameters: definition.parameters)) { arguments in
                try await source.callTool(original, arguments: arguments)
            }
            registered.append((name, original))
        }
        return registered
    }

    /// `name` when no tool has it, otherwise `<source>_<name>` with a counter if that is taken too, kept to
    /// the 64 letters, digits, `_` and `-` that OpenAI-compatible APIs allow in a function name.
    func uniqueName(for name: String, source: String) -> String {
        func clean(_ text: String) -> String {
            String(String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" }).prefix(64))
        }
        let plain = clean(name)
        if entries[plain] == nil, !plain.isEmpty { return plain }
        let prefixed = clean("\(source)_\(name)")
        if entries[prefixed] == nil { return prefixed }
        var counter = 2
        while true {
            let suffix = "_\(counter)"
            let candidate = String(prefixed.prefix(64 - suffix.count)) + suffix
            if entries[candidate] == nil { return candidate }
            counter += 1
        }
    }

    /// The definitions to offer the model, in registration order.
    public var definitions: [LLMToolDefinition] { order.compactMap { entries[$0]?.definition } }

    /// The most UTF-8 bytes of JSON arguments one call may carry (the model's or an MCP client's);
    /// larger ones are refused with ``ToolError/invalidArguments(tool:reason:)`` before the tool runs.
    public static let maxArgumentBytes = 16 * 1024

    /// Runs one call inside a TOOL span. Unknown tools, bad arguments and arguments over
    /// ``maxArgumentBytes`` throw ``ToolError``; the span then records the error and ends with status ERROR.
    public func execute(_ call: LLMToolCall) async throws -> String {
        let entry = entries[call.name]
        let started = ContinuousClock.now
        var outcome = "error"
        // `tool_duration_seconds{tool,outcome}` through swift-metrics; unknown names are grouped so a
        // model inventing tools cannot grow the label set without bound.
        defer {
            Timer(label: "tool_duration_seconds", dimensions: [("tool", entry == nil ? "unknown" : call.name), ("outcome", outcome)])
                .record(duration: ContinuousClock.now - started)
        }
        return try await withToolSpan(
            tool: call.name,
            description: entry?.definition.description,
            parameters: entry?.definition.parameters,
            arguments: call.arguments,
            toolCallID: call.id
        ) { span in
            guard let entry else { throw ToolError.unknownTool(call.name, available: order) }
            let size = call.arguments.utf8.count
            guard size <= Self.maxArgumentBytes else {
                throw ToolError.invalidArguments(
                    tool: call.name, reason: "\(size) bytes of arguments, more than the \(Self.maxArgumentBytes) a call may carry")
            }
            let output = try await entry.run(call.arguments)
            span.recordOutput(output)
            outcome = "ok"
            return output
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(let type, let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' should be \(type)"
        case DecodingError.valueNotFound(_, let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null"
        case DecodingError.dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        default: return String(describing: error)
        }
    }
}
