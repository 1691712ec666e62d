/// Why indexing or retrieval failed, and what to do.
public enum RetrievalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The index file could not be opened or written.
    case database(path: String, reason: String)
    /// The folder to ingest does not exist or holds no `.md`/`.txt` files.
    case nothingToIngest(folder: String)
    /// The embedding model returned a different number of vectors than texts.
    case embeddingMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .database(let path, let reason):
            return "the retrieval index at \(path) could not be used (\(reason)); check the path is writable, or delete the file to rebuild it."
        case .nothingToIngest(let folder):
            return "\(folder) holds no .md or .txt files to ingest; point ingest at your notes folder."
        case .embeddingMismatch(let expected, let got):
            return "the embedding model returned \(got) vectors for \(expected) texts; check OPENAI_EMBEDDING_MODEL names an embedding model."
        }
    }
}
