import StackRetrieval
import Testing

@Suite("Chunking and fusion")
struct ChunkerAndFusionTests {
    @Test("Chunks stay under the size, break between sentences, and overlap their neighbours")
    func chunkingBoundariesAndOverlap() {
        let sentences = (1...40).map { "Sentence number \($0) talks about databases." }
        let text = "# Notes\n\n" + sentences[0..<20].joined(separator: " ") + "\n\n" + sentences[20...].joined(separator: " ")
        let chunks = Chunker(maxCharacters: 300, overlapCharacters: 60).chunks(of: text, source: "dir/notes.md")
        #expect(chunks.count > 3)
        #expect(chunks.allSatisfy { $0.content.count <= 300 + 60 })
        #expect(chunks.allSatisfy { $0.title == "Notes" })
        #expect(chunks.map(\.id) == chunks.indices.map { "dir/notes.md#\($0)" })
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            // The next chunk starts with words from the end of the previous one.
            let firstWords = next.content.split(separator: " ").prefix(3).joined(separator: " ")
            #expect(previous.content.contains(firstWords))
            #expect(previous.content.hasSuffix(".") || previous.content.hasSuffix("Notes"))
        }
        let all = chunks.map(\.content).joined(separator: " ")
        #expect(sentences.allSatisfy { all.contains($0) })
    }

    @Test("A file without a heading is titled by its name, and a huge sentence is cut at words")
    func titleAndLongSentence() {
        let long = String(repeating: "word ", count: 400)
        let chunks = Chunker(maxCharacters: 200, overlapCharacters: 0).chunks(of: long, source: "a/b.txt")
        #expect(chunks.first?.title == "b.txt")
        #expect(chunks.allSatisfy { $0.content.count <= 200 })
        #expect(chunks.allSatisfy { !$0.content.hasPrefix(" ") && $0.content.split(separator: " ").allSatisfy { $0 == "word" } })
    }

    @Test("Reciprocal-rank fusion adds 1/(k+rank) per list")
    func fusionMath() {
        let fused = ReciprocalRankFusion.fuse([["a", "b", "c"], ["c", "a", "d"]], k: 60)
        let scores = Dictionary(uniqueKeysWithValues: fused.map { ($0.id, $0.score) })
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        #expect(abs(scores["a"]! - (1.0 / 61 + 1.0 / 62)) < 1e-12)
        #expect(abs(scores["c"]! - (1.0 / 63 + 1.0 / 61)) < 1e-12)
        #expect(abs(scores["b"]! - 1.0 / 62) < 1e-12)
        #expect(abs(scores["d"]! - 1.0 / 63) < 1e-12)
    }
}
