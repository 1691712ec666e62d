import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackRetrieval
import Testing
import Tracing

/// Deterministic embeddings: a hashed bag of words, so texts sharing words are close.
struct HashedBagOfWords: EmbeddingProvider {
    var dimensions = 64
    func embed(_ texts: [String]) async throws -> [[Double]] {
        texts.map { text in
            var vector = [Double](repeating: 0, count: dimensions)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimensions))] += 1
            }
            return vector
        }
    }
}

/// Reverses the order it is given, so its effect is visible.
struct ReversingReranker: Reranker {
    let name = "reverse"
    func rerank(query: String, documents: [RetrievedChunk]) async throws -> [RetrievedChunk] {
        documents.reversed().enumerated().map { index, chunk in
            var chunk = chunk
            chunk.score = 1 / Double(index + 1)
            return chunk
        }
    }
}

@Suite("Hybrid retrieval")
struct RetrievalTests {
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/corpus")
    }

    func makeFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stack-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    func makeIndex() throws -> RetrievalIndex {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stack-rt-\(UUID().uuidString).sqlite").path
        return try RetrievalIndex(path: path, embedder: HashedBagOfWords(), chunker: Chunker(maxCharacters: 2000, overlapCharacters: 0))
    }

    @Test("BM25 ranks documents in the same order as an independent Okapi BM25")
    func bm25MatchesIndependentImplementation() async throws {
        let documents = [
            "a.txt": "postgres postgres server database with connection pooling",
            "b.txt": "sqlite is an embedded database in one file",
            "c.txt": "postgres replication and backups for a server database database database",
            "d.txt": "django settings choose the database engine sqlite or postgres",
            "e.txt": "caching layers and queues without any storage words at all here",
            "f.txt": "sqlite sqlite sqlite write ahead logging",
        ]
        let index = try makeIndex()
        try await index.ingest(folder: try makeFolder(documents))
        for query in ["postgres database", "sqlite", "database server pooling", "django sqlite postgres"] {
            let ours = try index.lexicalSearch(query, limit: 10).map { $0.id.replacingOccurrences(of: "#0", with: "") }
            let expected = Self.okapiBM25(query: query, documents: documents)
            #expect(ours == expected, "query '\(query)'")
        }
    }

    /// Okapi BM25 (k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6 like FTS5),
    /// over each file's text with its file name as the title column (one token).
    static func okapiBM25(query: String, documents: [String: String]) -> [String] {
        let tokenized = documents.mapValues { text in text.lowercased().split(separator: " ").map(String.init) }
        let lengths = tokenized.mapValues { $0.count + 2 }  // the title "a.txt" is two tokens: "a", "txt"
        let average = Double(lengths.values.reduce(0, +)) / Double(documents.count)
        let terms = Set(query.lowercased().split(separator: " ").map(String.init))
        var scores: [String: Double] = [:]
        for term in terms {
            let containing = tokenized.values.filter { $0.contains(term) }.count
            guard containing > 0 else { continue }
            var idf = log((Double(documents.count) - Double(containing) + 0.5) / (Double(containing) + 0.5))
            if idf <= 0 { idf = 1e-6 }
            for (name, tokens) in tokenized {
                let frequency = Double(tokens.filter { $0 == term }.count)
                guard frequency > 0 else { continue }
                let norm = 1.2 * (1 - 0.75 + 0.75 * Double(lengths[name]!) / average)
                scores[name, default: 0] += idf * frequency * 2.2 / (frequency + norm)
            }
        }
        return scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }

    @Test(
        "Queries with FTS5 syntax or nothing searchable return results or nothing, never an error",
        arguments: ["\"", "AND OR NOT", "*", "()", "", "   ", "sqlite\" OR \"", "NEAR(postgres sqlite)", "title:postgres"])
    func hostileQueries(query: String) async throws {
        let index = try makeIndex()
        try await index.ingest(folder: try makeFolder(["x.md": "# X\n\npostgres and sqlite"]))
        _ = try index.lexicalSearch(query, limit: 5)
        _ = try await HybridRetriever(index: index, embedder: HashedBagOfWords()).retrieve(query: query, topK: 3)
    }

    @Test("Re-ingesting the same folder replaces chunks instead of duplicating them")
    func reingestIsIdempotent() async throws {
        let index = try makeIndex()
        let folder = try makeFolder(["one.md": "# One\n\nfirst file", "two.txt": "second file"])
        let first = try await index.ingest(folder: folder)
        let second = try await index.ingest(folder: folder)
        #expect(first == second)
        #expect(try await index.chunkCount() == first)
        #expect(try index.lexicalSearch("file", limit: 10).count == 2)
    }

    @Test("The demo question retrieves Postgres and SQLite notes from the demo corpus")
    func demoQuestionFindsRelevantNotes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stack-rt-\(UUID().uuidString).sqlite").path
        let index = try RetrievalIndex(path: path, embedder: HashedBagOfWords())
        try await index.ingest(folder: Self.corpus)
        let documents = try await HybridRetriever(index: index, embedder: HashedBagOfWords())
            .retrieve(query: "Compare Postgres and SQLite for a small Django app's database.", topK: 4)
        #expect(documents.count == 4)
        let text = documents.compactMap(\.content).joined(separator: " ").lowercased()
        #expect(text.contains("sqlite"))
        #expect(text.contains("postgres"))
    }

    @Test("A retrieval is a RETRIEVER span with its documents and a RERANKER child when reranking")
    func retrievalSpans() async throws {
        let index = try makeIndex()
        try await index.ingest(
            folder: try makeFolder(["p.md": "# P\n\npostgres server", "s.md": "# S\n\nsqlite file", "d.md": "# D\n\ndjango postgres sqlite"]))
        let retriever = HybridRetriever(index: index, embedder: HashedBagOfWords(), reranker: ReversingReranker())
        let recorder = InMemorySpanRecorder()
        let documents = try await withTracer(StackTracer(processor: recorder)) {
            try await retriever.retrieve(query: "postgres sqlite", topK: 2)
        }
        #expect(documents.count == 2)
        let spans = recorder.spans
        let retrieverSpan = try #require(spans.first { $0.attributes.get("openinference.span.kind") == .string("RETRIEVER") })
        let rerankerSpan = try #require(spans.first { $0.attributes.get("openinference.span.kind") == .string("RERANKER") })
        #expect(rerankerSpan.parentSpanID == retrieverSpan.context.traceContext.spanID)
        #expect(retrieverSpan.attributes.get("input.value") == .string("postgres sqlite"))
        #expect(retrieverSpan.attributes.get("stack.retrieval.top_k") == .int64(2))
        #expect(retrieverSpan.attributes.get("retrieval.documents.0.document.id") == .string(documents[0].id!))
        #expect(retrieverSpan.attributes.get("retrieval.documents.1.document.content") == .string(documents[1].content!))
        #expect(rerankerSpan.attributes.get("reranker.model_name") == .string("reverse"))
        if case .string(let metadata)? = retrieverSpan.attributes.get("retrieval.documents.0.document.metadata") {
            #expect(metadata.contains("\"source\""))
        } else {
            Issue.record("no document metadata on the span")
        }
    }
}
