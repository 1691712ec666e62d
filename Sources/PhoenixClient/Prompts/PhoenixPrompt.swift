#if Phoenix
import Foundation
import OpenInference
import PhoenixAPI

/// A prompt version kept in Phoenix: its template text, how its variables are written, and its ids.
///
/// ```swift
/// let prompt = try await phoenix.prompt(named: "support-agent", tag: "production")
/// let system = try prompt.render(["product": "Stack"])
/// ```
public struct PhoenixPrompt: Sendable, Hashable, Codable {
    /// How a template marks its variables, as Phoenix names the formats.
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// `{{name}}`, rendered as Mustache (sections and all) without HTML escaping.
        case mustache = "MUSTACHE"
        /// `{name}`, Python's f-string style; `{{` and `}}` are literal braces.
        case fString = "F_STRING"
        /// No variables: the text is used as it is.
        case none = "NONE"
    }

    /// The prompt's name (lowercase letters, digits, `-` and `_`).
    public var name: String
    /// Phoenix's id of this version (a global id such as `UHJvbXB0VmVyc2lvbjox`).
    public var versionID: String
    /// The template: the text of its messages, joined by blank lines.
    public var template: String
    /// How the template marks its variables.
    public var format: Format
    /// The model the version was saved for.
    public var modelName: String
    /// The version's description, if any.
    public var description: String?
    /// The version's address in Phoenix's REST API (`prompt.url` on spans), when read from a Phoenix.
    public var url: String?

    /// A prompt version with the given template.
    public init(
        name: String,
        versionID: String,
        template: String,
        format: Format,
        modelName: String,
        description: String? = nil,
        url: String? = nil
    ) {
        self.name = name
        self.versionID = versionID
        self.template = template
        self.format = format
        self.modelName = modelName
        self.description = description
        self.url = url
    }

    /// The template filled with `variables`.
    ///
    /// - Throws: ``PromptRenderingError`` when the template is malformed or an f-string variable is missing.
    public func render(_ variables: [String: String] = [:]) throws(PromptRenderingError) -> String {
        try PromptRenderer.render(template, format: format, variables: variables)
    }

    /// This version as the template that LLM spans record (`llm.prompt_template.*`, `prompt.*`), filled
    /// with `variables`.
    public func spanTemplate(variables: [String: String] = [:]) -> PromptTemplate {
        PromptTemplate(
            template: template,
            variables: variables.mapValues { .string($0) },
            version: versionID,
            id: versionID,
            url: url,
            vendor: "phoenix"
        )
    }
}

extension PhoenixPrompt {
    /// A version as the generated client read it; the messages' text parts make the template.
    init(name: String, _ version: Components.Schemas.PromptVersion, baseURL: URL) {
        let text: String
        switch version.template {
        case .string(let template):
            text = template.template
        case .chat(let chat):
            text = chat.messages.map { message in
                if let plain = message.content.value1 { return plain }
                return (message.content.value2 ?? []).compactMap { part in
                    if case .text(let text) = part { return text.text }
                    return nil
                }.joined()
            }.joined(separator: "\n\n")
        }
        self.init(
            name: name,
            versionID: version.id,
            template: text,
            format: Format(rawValue: version.templateFormat.rawValue) ?? .none,
            modelName: version.modelName,
            description: version.description,
            url: baseURL.absoluteString.trimmingCharacters(in: .init(charactersIn: "/")) + "/v1/prompt_versions/\(version.id)"
        )
    }
}
#endif  // Phoenix
