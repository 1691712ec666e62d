import Foundation
import GRDB
import OpenInference

/// Chunks with their embeddings in a SQLite file, with an FTS5 table for BM25.
///
/// ```swift
/// let index = try RetrievalIndex(path: "notes.sqlite", embedder: embedder)
/// try await index.ingest(folder: URL(fileURLWithPath: "Examples/corpus"))
/// ```
public final class RetrievalIndex: Sendable {
    public let path: String
    public let chunker: Chunker
    let embedder: any EmbeddingProvider
    private let database: DatabaseQueue

    /// Opens (creating if needed) the index at `path`.
    public init(path: String, embedder: any EmbeddingProvider, chunker: Chunker = .default) throws {
        self.path = path
        self.embedder = embedder
        self.chunker = chunker
        do {
            database = try DatabaseQueue(path: path)
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS chunks (
                            id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL,
                            ordinal INTEGER NOT NULL, content TEXT NOT NULL, embedding BLOB NOT NULL);
                        CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
                        CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
                            id UNINDEXED, title, content, tokenize = 'unicode61');
                        """
                )
            }
        } catch {
            throw RetrievalError.database(path: path, reason: String(describing: error))
        }
    }

    /// Chunks, embeds and stores every `.md` and `.txt` file under `folder`, replacing what an earlier
    /// ingest stored for the same files. Returns the number of chunks written.
    @discardableResult
    public func ingest(folder: URL, batchSize: Int = 16) async throws -> Int {
        let files = Self.files(in: folder)
        guard !files.isEmpty else { throw RetrievalError.nothingToIngest(folder: folder.path) }
        var chunks: [Chunk] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let source = String(file.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
            chunks += chunker.chunks(of: text, source: source)
        }
        var vectors: [[Double]] = []
        for start in stride(from: 0, to: chunks.count, by: max(1, batchSize)) {
            let batch = chunks[start..<min(start + batchSize, chunks.count)].map(\.content)
            let embedded = try await embedder.embed(batch)
            guard embedded.count == batch.count else {
                throw RetrievalError.embeddingMismatch(expected: batch.count, got: embedded.count)
            }
            vectors += embedded
        }
        let sources = Set(chunks.map(\.source))
        try write { db in
            for source in sources {
                try db.execute(sql: "DELETE FROM chunks_fts WHERE id IN (SELECT id FROM chunks WHERE source = ?)", arguments: [source])
                try db.execute(sql: "DELETE FROM chunks WHERE source = ?", arguments: [source])
            }
            for (chunk, vector) in zip(chunks, vectors) {
                try db.execute(
                    sql: "INSERT INTO chunks (id, source, title, ordinal, content, embedding) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [chunk.id, chunk.source, chunk.title, chunk.ordinal, chunk.content, Self.blob(vector)]
                )
                try db.execute(
                    sql: "INSERT INTO chunks_fts (id, title, content) VALUES (?, ?, ?)",
                    arguments: [chunk.id, chunk.title, chunk.content]
                )
            }
        }
        return chunks.count
    }

    /// How many chunks the index holds.
    public func chunkCount() async throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? 0 }
    }

    /// One chunk by id, as a document.
    public func chunk(id: String) async throws -> RetrievalDocument? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chunks WHERE id = ?", arguments: [id]).map {
                RetrievedChunk(chunk: Self.chunk($0), score: 1).document()
            }
        }
    }

    /// BM25 over titles and contents: ids with FTS5's `bm25()` (lower is better), best first.
    /// Any text is safe: words are quoted, so FTS5 operators in it are searched for as words.
    public func lexicalSearch(_ query: String, limit: Int) throws -> [(id: String, bm25: Double)] {
        let terms = Self.terms(query)
        guard !terms.isEmpty, limit > 0 else { return [] }
        let match = terms.map { "\"\($0)\"" }.joined(separator: " OR ")
        return try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?",
                arguments: [match, limit]
            ).map { (id: $0["id"], bm25: $0["score"]) }
        }
    }

    /// Cosine similarity of `vector` with every stored embedding: ids best first.
    public func denseSearch(_ vector: [Double], limit: Int) throws -> [(id: String, similarity: Double)] {
        guard limit > 0 else { return [] }
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, embedding FROM chunks") }
        var scored: [(id: String, similarity: Double)] = []
        for row in rows {
            let stored = Self.vector(row["embedding"])
            guard stored.count == vector.count else { continue }
            scored.append((row["id"], Self.cosine(vector, stored)))
        }
        return Array(scored.sorted { $0.similarity > $1.similarity }.prefix(limit))
    }

    /// The chunks with these ids.
    public func chunks(ids: [String]) throws -> [String: Chunk] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM chunks WHERE id IN (\(placeholders))", arguments: StatementArguments(ids))
            return Dictionary(uniqueKeysWithValues: rows.map { (($0["id"] as String), Self.chunk($0)) })
        }
    }

    /// Lowercased words of letters and digits: what the unicode61 tokenizer would index.
    static func terms(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw RetrievalError.database(path: path, reason: String(describing: error)) }
    }

    private func write(_ body: (Database) throws -> Void) throws {
        do { try database.write(body) } catch { throw RetrievalError.database(path: path, reason: String(describing: error)) }
    }

    private static func chunk(_ row: Row) -> Chunk {
        Chunk(id: row["id"], source: row["source"], title: row["title"], ordinal: row["ordinal"], content: row["content"])
    }

    static func files(in folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { ["md", "markdown", "txt"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
    }

    static func blob(_ vector: [Double]) -> Data {
        vector.map { Float($0) }.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    static func vector(_ data: Data) -> [Double] {
        data.withUnsafeBytes { raw in raw.bindMemory(to: Float.self).map(Double.init) }
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        guard normA > 0, normB > 0 else { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
