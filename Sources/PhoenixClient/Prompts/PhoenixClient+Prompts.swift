#if Phoenix
import PhoenixAPI

extension PhoenixClient {
    /// Saves `template` as a new version of the prompt `name` (creating the prompt on first use) through
    /// `POST /v1/prompts`, and, with a `tag`, points that tag at the new version.
    ///
    /// The version is a chat template with one system message, so Phoenix's playground can run it.
    public func pushPrompt(
        name: String,
        template: String,
        format: PhoenixPrompt.Format = .mustache,
        modelName: String = "gpt-4o-mini",
        description: String? = nil,
        tag: String? = nil
    ) async throws(PhoenixClientError) -> PhoenixPrompt {
        let version = Components.Schemas.PromptVersionData(
            description: description,
            invocationParameters: .openai(.init(openai: .init(), _type: .openai)),
            modelName: modelName,
            modelProvider: .openai,
            template: .chat(.init(messages: [.init(content: .init(value1: template), role: .system)], _type: .chat)),
            templateFormat: .init(rawValue: format.rawValue) ?? .mustache,
            templateType: .chat
        )
        let created = try await call("/v1/prompts") {
            try await api.postPromptVersion(body: .json(.init(prompt: .init(name: name), version: version))).ok.body.json.data
        }
        if let tag {
            _ = try await call("/v1/prompt_versions/{id}/tags") {
                try await api.createPromptVersionTag(path: .init(promptVersionId: created.id), body: .json(.init(name: tag)))
            }
        }
        return PhoenixPrompt(name: name, created, baseURL: baseURL)
    }

    /// The version of the prompt `name` that `tag` points at, or its latest version without a tag.
    ///
    /// - Throws: ``PhoenixClientError/httpStatus(_:path:body:)`` with 404 when there is no such prompt or tag.
    public func prompt(named name: String, tag: String? = nil) async throws(PhoenixClientError) -> PhoenixPrompt {
        let version: Components.Schemas.PromptVersion
        if let tag {
            version = try await call("/v1/prompts/{name}/tags/{tag}") {
                try await api.getPromptVersionByTagName(path: .init(promptIdentifier: name, tagName: tag)).ok.body.json.data
            }
        } else {
            version = try await call("/v1/prompts/{name}/latest") {
                try await api.getPromptVersionLatest(path: .init(promptIdentifier: name)).ok.body.json.data
            }
        }
        return PhoenixPrompt(name: name, version, baseURL: baseURL)
    }
}
#endif  // Phoenix
