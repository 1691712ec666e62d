/// The template a prompt was rendered from, with its variables and version.
public struct PromptTemplate: Sendable, Hashable {
    public var template: String
    public var variables: [String: OpenInferenceJSON]
    public var version: String?

    public init(template: String, variables: [String: OpenInferenceJSON] = [:], version: String? = nil) {
        self.template = template
        self.variables = variables
        self.version = version
    }
}
