import Tracing

/// Attributes that every OpenInference span started in a scope carries: the session, the user,
/// metadata, tags and the prompt template (the Swift shape of OpenInference's `using_attributes`).
///
/// Scopes nest: an inner scope overrides the session, user and template, merges metadata
/// (inner keys win) and appends tags.
///
/// ```swift
/// try await withOpenInferenceContext(sessionID: "chat-42", userID: "ana") {
///     try await agent.run(goal)   // every span inside carries session.id and user.id
/// }
/// ```
public struct OpenInferenceContext: Sendable, Hashable {
    public var sessionID: String?
    public var userID: String?
    public var metadata: [String: OpenInferenceJSON]
    public var tags: [String]
    public var promptTemplate: PromptTemplate?

    public init(
        sessionID: String? = nil,
        userID: String? = nil,
        metadata: [String: OpenInferenceJSON] = [:],
        tags: [String] = [],
        promptTemplate: PromptTemplate? = nil
    ) {
        self.sessionID = sessionID
        self.userID = userID
        self.metadata = metadata
        self.tags = tags
        self.promptTemplate = promptTemplate
    }

    /// The attributes in force for the current task.
    @TaskLocal public static var current = OpenInferenceContext()

    var isEmpty: Bool {
        sessionID == nil && userID == nil && metadata.isEmpty && tags.isEmpty && promptTemplate == nil
    }

    func merged(with inner: OpenInferenceContext) -> OpenInferenceContext {
        OpenInferenceContext(
            sessionID: inner.sessionID ?? sessionID,
            userID: inner.userID ?? userID,
            metadata: metadata.merging(inner.metadata) { _, innerValue in innerValue },
            tags: tags + inner.tags.filter { !tags.contains($0) },
            promptTemplate: inner.promptTemplate ?? promptTemplate
        )
    }

    func write(to writer: inout AttributeWriter) {
        writer.set(SemanticConventions.Context.sessionID, sessionID)
        writer.set(SemanticConventions.Context.userID, userID)
        if !metadata.isEmpty {
            writer.set(SemanticConventions.Context.metadata, OpenInferenceJSON.object(metadata).jsonString)
        }
        if !tags.isEmpty {
            writer.set(SemanticConventions.Context.tags, .stringArray(tags))
        }
        if let promptTemplate {
            writer.set(SemanticConventions.LLM.PromptTemplate.template, promptTemplate.template)
            if !promptTemplate.variables.isEmpty {
                writer.set(
                    SemanticConventions.LLM.PromptTemplate.variables,
                    OpenInferenceJSON.object(promptTemplate.variables).jsonString
                )
            }
            writer.set(SemanticConventions.LLM.PromptTemplate.version, promptTemplate.version)
            writer.set(SemanticConventions.Prompt.id, promptTemplate.id)
            writer.set(SemanticConventions.Prompt.url, promptTemplate.url)
            writer.set(SemanticConventions.Prompt.vendor, promptTemplate.vendor)
        }
    }
}

/// Runs `body` with the given attributes added to ``OpenInferenceContext/current``; every OpenInference
/// span started inside, in this task and its child tasks, carries them.
public nonisolated(nonsending) func withOpenInferenceContext<T>(
    sessionID: String? = nil,
    userID: String? = nil,
    metadata: [String: OpenInferenceJSON] = [:],
    tags: [String] = [],
    promptTemplate: PromptTemplate? = nil,
    _ body: nonisolated(nonsending) () async throws -> T
) async rethrows -> T {
    let inner = OpenInferenceContext(
        sessionID: sessionID,
        userID: userID,
        metadata: metadata,
        tags: tags,
        promptTemplate: promptTemplate
    )
    return try await OpenInferenceContext.$current.withValue(OpenInferenceContext.current.merged(with: inner), operation: body)
}
