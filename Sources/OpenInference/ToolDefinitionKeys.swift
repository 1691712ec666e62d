/// The flattened keys of one offered tool (`llm.tools.3.tool.json_schema`, `.tool.name`,
/// `.tool.description`), built once for the first indices so recording a call's tools allocates no key
/// strings, as ``FlattenedMessageKeys`` does for messages.
struct ToolDefinitionKeys: Sendable {
    let jsonSchema: String
    let name: String
    let description: String

    init(index: Int) {
        jsonSchema = AttributeKeys.tool(index, SemanticConventions.Tool.jsonSchema)
        name = AttributeKeys.tool(index, SemanticConventions.Tool.name)
        description = AttributeKeys.tool(index, SemanticConventions.Tool.description)
    }

    private static let cached = (0..<32).map(ToolDefinitionKeys.init(index:))

    /// The keys of tool `index`, from the cache when it holds them.
    static func of(index: Int) -> ToolDefinitionKeys {
        index < cached.count ? cached[index] : ToolDefinitionKeys(index: index)
    }
}
