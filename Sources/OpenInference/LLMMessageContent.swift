/// One part of a multi-part message, recorded as `message.contents.M.message_content.*` with
/// `message_content.type` naming the kind.
public enum LLMMessageContent: Sendable, Hashable {
    /// A text part (`text`).
    case text(String)
    /// An image part (`image`), by URL (which may be a `data:` URL holding base64 bytes).
    case image(url: String)
    /// An audio part (`audio`): `message_content.audio.audio.url`, `.mime_type` and `.transcript`.
    case audio(url: String?, mimeType: String? = nil, transcript: String? = nil)
    /// A video part (`video`): `message_content.video.video.url`.
    case video(url: String)
    /// A document part (`document`: a PDF, an uploaded file, inline text): `message_content.document.document.*`.
    case document(LLMDocument)
    /// A reasoning part (`reasoning`): the model's visible reasoning as `message_content.text`, with what a
    /// provider needs to replay it verbatim: the item's `id` (OpenAI Responses), a `signature` (Anthropic
    /// thinking, Gemini `thoughtSignature`), opaque `data` (Anthropic `redacted_thinking`) and OpenAI's
    /// `encryptedContent`.
    case reasoning(
        text: String?, id: String? = nil, signature: String? = nil, data: String? = nil, encryptedContent: String? = nil
    )
    /// A tool-use part (`tool_use`): a tool call written in the message's content, where it sits among the
    /// other parts (Anthropic's `tool_use` blocks). Recorded as `message_content.type = tool_use` with the
    /// call's `tool_call.id`, `tool_call.function.name` and `tool_call.function.arguments` under the part.
    /// The same call also belongs in ``LLMMessage/toolCalls``, which is where tools read it.
    case toolUse(LLMToolCall)
    /// A part of a kind these conventions have no keys for (a server tool's result, a search result, a
    /// file reference): `message_content.type` is the provider's own `type`, and `message_content.text`
    /// the part as JSON.
    case other(type: String, json: String)
}
