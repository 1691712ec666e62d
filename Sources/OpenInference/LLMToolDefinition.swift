/// A tool offered to a model, recorded as `llm.tools.N.tool.json_schema`.
public struct LLMToolDefinition: Sendable, Hashable {
    /// The function name the model calls it by.
    public var name: String
    /// What the tool does, as the model reads it.
    public var description: String
    /// The JSON schema of the arguments object.
    public var parameters: OpenInferenceJSON

    public init(name: String, description: String, parameters: OpenInferenceJSON) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// The OpenAI-shaped tool definition (`{"type":"function","function":{…}}`) that Phoenix renders.
    public var jsonSchema: OpenInferenceJSON {
        [
            "type": "function",
            "function": [
                "name": .string(name),
                "description": .string(description),
                "parameters": parameters,
            ],
        ]
    }
}
