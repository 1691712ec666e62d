import OpenInference

/// A passage `POST /v1/passages` found for a question: what the chat page shows under the answer
/// and gives the model as context.
public struct PagePassage: Codable, Sendable, Hashable {
    /// The chunk's id in the index.
    public var id: String?
    /// The file it came from.
    public var source: String?
    /// The document's title.
    public var title: String?
    /// The passage's text.
    public var text: String
    /// The retriever's score.
    public var score: Double?

    /// A passage from a retrieved document; `nil` when it has no text.
    public init?(_ document: RetrievalDocument) {
        guard let text = document.content, !text.isEmpty else { return nil }
        self.id = document.id
        self.source = document.metadata["source"]?.stringValue
        self.title = document.metadata["title"]?.stringValue
        self.text = text
        self.score = document.score
    }
}
