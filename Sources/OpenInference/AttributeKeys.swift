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
