import Tracing

/// The OpenInference attribute keys, as typed constants so no call site spells a key by hand.
///
/// Lists of objects are flattened with zero-based indices, for example
/// `llm.input_messages.0.message.role`; the ``AttributeKeys`` helpers build those paths.
/// Keys follow the OpenInference specification (`spec/semantic_conventions.md`).
public enum SemanticConventions {
    /// Required on every OpenInference span; the value is an ``OpenInferenceSpanKind`` raw value.
    public static let spanKind = "openinference.span.kind"

    /// The resource attribute Phoenix uses to choose the project a span lands in.
    public static let projectName = "openinference.project.name"

    /// Keys valid on spans of any kind describing what went in.
    public enum Input {
        public static let value = "input.value"
        public static let mimeType = "input.mime_type"
    }

    /// Keys valid on spans of any kind describing what came out.
    public enum Output {
        public static let value = "output.value"
        public static let mimeType = "output.mime_type"
    }

    /// Keys of LLM spans.
    public enum LLM {
        public static let modelName = "llm.model_name"
        public static let provider = "llm.provider"
        public static let system = "llm.system"
        public static let invocationParameters = "llm.invocation_parameters"
        public static let inputMessages = "llm.input_messages"
        public static let outputMessages = "llm.output_messages"
        public static let tools = "llm.tools"
        public static let functionCall = "llm.function_call"
        public static let prompts = "llm.prompts"
        /// Why the model stopped (`stop`, `length`, `tool_calls`, …), from the first choice, as the provider said it.
        public static let finishReason = "llm.finish_reason"

        /// Token counts reported by the model server.
        public enum TokenCount {
            public static let prompt = "llm.token_count.prompt"
            public static let completion = "llm.token_count.completion"
            public static let total = "llm.token_count.total"
            public static let promptCacheRead = "llm.token_count.prompt_details.cache_read"
            public static let promptCacheWrite = "llm.token_count.prompt_details.cache_write"
            public static let promptAudio = "llm.token_count.prompt_details.audio"
            public static let completionReasoning = "llm.token_count.completion_details.reasoning"
            public static let completionAudio = "llm.token_count.completion_details.audio"
        }

        /// Costs in US dollars, derived from token counts.
        public enum Cost {
            public static let prompt = "llm.cost.prompt"
            public static let completion = "llm.cost.completion"
            public static let total = "llm.cost.total"
        }

        /// The template a prompt was rendered from.
        public enum PromptTemplate {
            public static let template = "llm.prompt_template.template"
            public static let variables = "llm.prompt_template.variables"
            public static let version = "llm.prompt_template.version"
        }
    }

    /// Keys inside one flattened message (`llm.input_messages.N.` + key).
    public enum Message {
        public static let role = "message.role"
        public static let content = "message.content"
        public static let contents = "message.contents"
        public static let name = "message.name"
        public static let toolCalls = "message.tool_calls"
        public static let toolCallID = "message.tool_call_id"
        public static let functionCallName = "message.function_call_name"
        public static let functionCallArgumentsJSON = "message.function_call_arguments_json"
    }

    /// Keys inside one part of a multi-part message (`….message.contents.M.` + key).
    public enum MessageContent {
        public static let type = "message_content.type"
        public static let text = "message_content.text"
        public static let image = "message_content.image"
    }

    /// Keys of an image reference.
    public enum Image {
        public static let url = "image.url"
    }

    /// Keys inside one flattened tool call (`….message.tool_calls.M.` + key).
    public enum ToolCall {
        public static let id = "tool_call.id"
        public static let functionName = "tool_call.function.name"
        public static let functionArguments = "tool_call.function.arguments"
    }

    /// Keys of TOOL spans, and of tool definitions offered to a model (`llm.tools.N.` + ``jsonSchema``).
    public enum Tool {
        public static let name = "tool.name"
        public static let description = "tool.description"
        public static let parameters = "tool.parameters"
        public static let jsonSchema = "tool.json_schema"
        public static let id = "tool.id"
    }

    /// Keys of RETRIEVER spans.
    public enum Retrieval {
        public static let documents = "retrieval.documents"
    }

    /// Keys inside one flattened document (`retrieval.documents.N.` + key).
    public enum Document {
        public static let id = "document.id"
        public static let content = "document.content"
        public static let score = "document.score"
        public static let metadata = "document.metadata"
    }

    /// Keys of RERANKER spans.
    public enum Reranker {
        public static let inputDocuments = "reranker.input_documents"
        public static let outputDocuments = "reranker.output_documents"
        public static let query = "reranker.query"
        public static let modelName = "reranker.model_name"
        public static let topK = "reranker.top_k"
    }

    /// Keys of EMBEDDING spans.
    public enum Embedding {
        public static let embeddings = "embedding.embeddings"
        public static let text = "embedding.text"
        public static let vector = "embedding.vector"
        public static let modelName = "embedding.model_name"
        public static let invocationParameters = "embedding.invocation_parameters"
    }

    /// Keys of AGENT spans.
    public enum Agent {
        public static let name = "agent.name"
    }

    /// Keys that attribute a span to a conversation, a user, or free-form labels.
    public enum Context {
        public static let sessionID = "session.id"
        public static let userID = "user.id"
        public static let metadata = "metadata"
        public static let tags = "tag.tags"
    }

    /// OpenTelemetry's exception keys, used on the `exception` event of a failed span.
    public enum Exception {
        public static let type = "exception.type"
        public static let message = "exception.message"
        public static let stacktrace = "exception.stacktrace"
        public static let escaped = "exception.escaped"
    }

    /// The prompt a model call was rendered from, when it is managed in a prompt registry (Phoenix's, for example).
    public enum Prompt {
        /// The registry's id of the prompt version.
        public static let id = "prompt.id"
        /// A link to the prompt version in the registry.
        public static let url = "prompt.url"
        /// The registry that holds the prompt (for example `phoenix`).
        public static let vendor = "prompt.vendor"
    }

    /// Keys this project adds beyond the OpenInference specification, in a `stack.` namespace of our own
    /// so they never collide with a key the specification may define later. Phoenix shows them as
    /// ordinary attributes.
    public enum Stack {
        /// Why an agent loop ended: `final_answer`, `max_iterations` or `error`.
        public static let agentStopReason = "stack.agent.stop_reason"
        /// How many model calls an agent loop made.
        public static let agentIterations = "stack.agent.iterations"
        /// How many documents a retriever was asked for.
        public static let retrievalTopK = "stack.retrieval.top_k"
        /// Set on a span when a value could not be recorded as given (for example it was not JSON-encodable).
        public static let recordingIssue = "stack.recording_issue"
        /// How many messages of a list were not recorded, over ``TraceConfig/maxRecordedMessages``.
        public static let droppedMessages = "stack.dropped_messages"
    }
}

/// Builders for the flattened, indexed keys of OpenInference lists.
public enum AttributeKeys {
    /// `llm.input_messages.<index>.` + `key`.
    public static func inputMessage(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.LLM.inputMessages).\(index).\(key)"
    }

    /// `llm.output_messages.<index>.` + `key`.
    public static func outputMessage(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.LLM.outputMessages).\(index).\(key)"
    }

    /// `llm.tools.<index>.tool.json_schema`.
    public static func toolJSONSchema(_ index: Int) -> String {
        "\(SemanticConventions.LLM.tools).\(index).\(SemanticConventions.Tool.jsonSchema)"
    }

    /// `retrieval.documents.<index>.` + `key`.
    public static func retrievalDocument(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.Retrieval.documents).\(index).\(key)"
    }

    /// `embedding.embeddings.<index>.` + `key`.
    public static func embedding(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.Embedding.embeddings).\(index).\(key)"
    }

    /// `message.tool_calls.<index>.` + `key`, relative to a message prefix.
    public static func toolCall(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.Message.toolCalls).\(index).\(key)"
    }

    /// `message.contents.<index>.` + `key`, relative to a message prefix.
    public static func messageContent(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.Message.contents).\(index).\(key)"
    }
}
