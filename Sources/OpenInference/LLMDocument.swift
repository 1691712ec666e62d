/// A document given to or produced by a model (a PDF, an uploaded file, inline text), recorded as
/// `document.*` keys inside a message part (``LLMMessageContent/document(_:)``) or the span-level
/// `input.documents` / `output.documents` lists (``OpenInferenceSpanProtocol/recordInputDocuments(_:)``).
public struct LLMDocument: Sendable, Hashable {
    /// The provider's file id (an OpenAI or Anthropic Files API id), `document.id`.
    public var id: String?
    /// The text of an inline text document, `document.content`.
    public var content: String?
    /// The URL, object-store URI or base64 `data:` URI of a file document, `document.url`.
    public var url: String?
    /// The MIME type, for example `application/pdf`, `document.mime_type`.
    public var mimeType: String?
    /// The name given with it (a file name or title), `document.name`.
    public var name: String?

    /// Creates a document; give whichever fields are known.
    public init(id: String? = nil, content: String? = nil, url: String? = nil, mimeType: String? = nil, name: String? = nil) {
        self.id = id
        self.content = content
        self.url = url
        self.mimeType = mimeType
        self.name = name
    }
}
