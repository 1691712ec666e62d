extension SemanticConventions {
    /// Every key of the OpenInference semantic conventions (`openinference-semantic-conventions` 0.1.42)
    /// that this library defines, each once: the keys of the specification's attribute classes, prefixes
    /// of flattened lists included (`llm.input_messages`, `annotations`, …). Not the OpenTelemetry
    /// ``Exception`` keys, nor the library's own diagnostic keys (`openinference.swift.*`).
    ///
    /// A test compares it with the reference package's keys, saved in
    /// `Tests/OpenInferenceTests/Resources/semconv-keys.txt`, so a key the specification adds cannot go
    /// unnoticed. Not on any recording path.
    public static let allKeys: [String] = [
        spanKind, projectName,
        Input.value, Input.mimeType, Input.images, Input.documents,
        Output.value, Output.mimeType, Output.images, Output.documents,
        LLM.modelName, LLM.requestModelName, LLM.responseModelName, LLM.provider, LLM.system,
        LLM.invocationParameters, LLM.inputMessages, LLM.outputMessages, LLM.tools, LLM.functionCall,
        LLM.prompts, LLM.choices, LLM.finishReason,
        LLM.TokenCount.prompt, LLM.TokenCount.completion, LLM.TokenCount.total, LLM.TokenCount.promptDetails,
        LLM.TokenCount.promptCacheInput, LLM.TokenCount.promptCacheRead, LLM.TokenCount.promptCacheWrite,
        LLM.TokenCount.promptAudio, LLM.TokenCount.completionReasoning, LLM.TokenCount.completionAudio,
        LLM.Cost.prompt, LLM.Cost.completion, LLM.Cost.total, LLM.Cost.promptDetails, LLM.Cost.promptInput,
        LLM.Cost.promptCacheInput, LLM.Cost.promptCacheRead, LLM.Cost.promptCacheWrite, LLM.Cost.promptAudio,
        LLM.Cost.completionDetails, LLM.Cost.completionOutput, LLM.Cost.completionReasoning,
        LLM.Cost.completionAudio,
        LLM.PromptTemplate.template, LLM.PromptTemplate.variables, LLM.PromptTemplate.version,
        Decision.modelName, Decision.requestModelName, Decision.responseModelName, Decision.provider,
        Decision.system, Decision.tokenCountInput, Decision.tokenCountOutput,
        Message.role, Message.content, Message.contents, Message.name, Message.toolCalls, Message.toolCallID,
        Message.functionCallName, Message.functionCallArgumentsJSON,
        MessageContent.type, MessageContent.text, MessageContent.image, MessageContent.audio,
        MessageContent.video, MessageContent.document, MessageContent.id, MessageContent.signature,
        MessageContent.data, MessageContent.encryptedContent,
        Image.url, Audio.url, Audio.mimeType, Audio.transcript, Video.url,
        ToolCall.id, ToolCall.functionName, ToolCall.functionArguments, ToolCall.reasoningSignature,
        Tool.name, Tool.description, Tool.parameters, Tool.jsonSchema, Tool.id,
        Retrieval.documents,
        Document.id, Document.content, Document.score, Document.metadata, Document.url, Document.mimeType,
        Document.name,
        Reranker.inputDocuments, Reranker.outputDocuments, Reranker.query, Reranker.modelName, Reranker.topK,
        Embedding.embeddings, Embedding.text, Embedding.vector, Embedding.modelName,
        Embedding.invocationParameters,
        Agent.name, Graph.nodeID, Graph.nodeName, Graph.nodeParentID,
        Context.sessionID, Context.userID, Context.metadata, Context.tags,
        Feedback.annotations, Feedback.evaluations, Feedback.traceAnnotations, Feedback.traceEvaluations,
        Feedback.sessionAnnotations, Feedback.sessionEvaluations,
        Annotation.name, Annotation.score, Annotation.label, Annotation.explanation, Annotation.annotatorKind,
        Annotation.identifier, Annotation.metadata,
        Evaluation.name, Evaluation.score, Evaluation.label, Evaluation.explanation, Evaluation.annotatorKind,
        Evaluation.identifier, Evaluation.metadata,
        Prompt.id, Prompt.url, Prompt.vendor, Prompt.text, Choice.text,
    ]
}
