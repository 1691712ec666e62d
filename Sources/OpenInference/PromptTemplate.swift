/// The template a prompt was rendered from, with its variables and version, and, when the template is
/// kept in a prompt registry (Phoenix's, for example), where: the registry's id of the version, a link to
/// it and the registry's name (`prompt.id`, `prompt.url`, `prompt.vendor`).
public struct PromptTemplate: Sendable, Hashable {
    /// The template text (`llm.prompt_template.template`).
    public var template: String
    /// The values the template was filled with (`llm.prompt_template.variables`).
    public var variables: [String: OpenInferenceJSON]
    /// The template's version (`llm.prompt_template.version`).
    public var version: String?
    /// The registry's id of the prompt version (`prompt.id`).
    public var id: String?
    /// A link to the prompt version in the registry (`prompt.url`).
    public var url: String?
    /// The registry that holds the prompt, for example `phoenix` (`prompt.vendor`).
    public var vendor: String?

    /// A template, its variables and version, and optionally where a registry keeps it.
    public init(
        template: String,
        variables: [String: OpenInferenceJSON] = [:],
        version: String? = nil,
        id: String? = nil,
        url: String? = nil,
        vendor: String? = nil
    ) {
        self.template = template
        self.variables = variables
        self.version = version
        self.id = id
        self.url = url
        self.vendor = vendor
    }
}
