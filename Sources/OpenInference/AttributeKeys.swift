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

    /// `llm.tools.<index>.` + `key` (``SemanticConventions/Tool/name``, ``SemanticConventions/Tool/description``, …).
    public static func tool(_ index: Int, _ key: String) -> String {
        "\(SemanticConventions.LLM.tools).\(index).\(key)"
    }

    /// `llm.prompts.<index>.prompt.text`.
    public static func prompt(_ index: Int) -> String {
        "\(SemanticConventions.LLM.prompts).\(index).\(SemanticConventions.Prompt.text)"
    }

    /// `llm.choices.<index>.completion.text`.
    public static func choice(_ index: Int) -> String {
        "\(SemanticConventions.LLM.choices).\(index).\(SemanticConventions.Choice.text)"
    }

    /// `input.images.<index>.image.url`.
    public static func inputImage(_ index: Int) -> String {
        "\(SemanticConventions.Input.images).\(index).\(SemanticConventions.Image.url)"
    }

    /// `output.images.<index>.image.url`.
    public static func outputImage(_ index: Int) -> String {
        "\(SemanticConventions.Output.images).\(index).\(SemanticConventions.Image.url)"
    }

    /// `<prefix>.<index>.` + `key`, for a feedback list (``SemanticConventions/Feedback``): for example
    /// `evaluations.0.evaluation.score`.
    public static func feedback(_ prefix: String, _ index: Int, _ key: String) -> String {
        "\(prefix).\(index).\(key)"
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
