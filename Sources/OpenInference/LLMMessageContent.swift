/// One part of a multi-part message.
public enum LLMMessageContent: Sendable, Hashable {
    /// A text part.
    case text(String)
    /// An image part, by URL (which may be a `data:` URL holding base64 bytes).
    case image(url: String)
}
