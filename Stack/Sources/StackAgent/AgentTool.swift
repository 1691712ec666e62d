import OpenInference

/// A function the model can call. Its arguments are a `Decodable` type; the JSON schema the model
/// sees is derived from that type, so it is written once.
///
/// ```swift
/// struct Weather: AgentTool {
///     struct Arguments: Decodable, Sendable { var city: String; var unit: String? }
///     let name = "weather"
///     let description = "Current weather for a city"
///     func call(_ arguments: Arguments) async throws -> String { "-3°C in \(arguments.city)" }
/// }
/// ```
public protocol AgentTool: Sendable {
    associatedtype Arguments: Decodable & Sendable
    /// The function name the model calls it by.
    var name: String { get }
    /// What it does, as the model reads it.
    var description: String { get }
    /// Descriptions of argument properties, by property name, added to the derived schema.
    var argumentDescriptions: [String: String] { get }
    /// Runs the tool; the returned text is what the model sees.
    func call(_ arguments: Arguments) async throws -> String
}

extension AgentTool {
    public var argumentDescriptions: [String: String] { [:] }

    /// The JSON schema of ``Arguments``, derived from its `Decodable` conformance.
    public var parameters: OpenInferenceJSON {
        JSONSchemaDeriver.schema(for: Arguments.self, descriptions: argumentDescriptions)
    }

    /// The definition offered to the model.
    public var definition: LLMToolDefinition {
        LLMToolDefinition(name: name, description: description, parameters: parameters)
    }
}

/// Why a tool call could not produce a result; the agent turns it into a tool message the model reads.
public enum ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model asked for a tool that is not registered.
    case unknownTool(String, available: [String])
    /// The arguments were not JSON, or did not fit the tool's schema.
    case invalidArguments(tool: String, reason: String)

    public var description: String {
        switch self {
        case .unknownTool(let name, let available):
            return "there is no tool named '\(name)'; available tools: \(available.joined(separator: ", "))"
        case .invalidArguments(let tool, let reason):
            return "the arguments for '\(tool)' are invalid: \(reason). Send a JSON object matching the tool's schema."
        }
    }
}
