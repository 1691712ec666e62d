import Foundation

/// Splits text into overlapping chunks, breaking at paragraph and then sentence boundaries so a chunk
/// rarely starts or ends mid-thought.
public struct Chunker: Sendable, Hashable {
    /// The most characters a chunk holds (a single longer sentence is cut at a word boundary).
    public var maxCharacters: Int
    /// How many characters of the previous chunk's end begin the next one.
    public var overlapCharacters: Int

    public static let `default` = Chunker(maxCharacters: 800, overlapCharacters: 150)

    public init(maxCharacters: Int, overlapCharacters: Int) {
        self.maxCharacters = max(50, maxCharacters)
        self.overlapCharacters = max(0, min(overlapCharacters, self.maxCharacters / 2))
    }

    /// The chunks of one file.
    public func chunks(of text: String, source: String) -> [Chunk] {
        let title = Self.title(of: text, source: source)
        var pieces: [String] = []
        var current = ""
        for unit in units(of: text) {
            let separator = current.isEmpty ? "" : (unit.startsParagraph ? "\n\n" : " ")
            if !current.isEmpty, current.count + separator.count + unit.text.count > maxCharacters {
                pieces.append(current)
                let tail = overlap(of: current)
                current = tail.isEmpty ? unit.text : tail + " " + unit.text
            } else {
                current += separator + unit.text
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { pieces.append(current) }
        return pieces.enumerated().map { index, content in
            Chunk(id: "\(source)#\(index)", source: source, title: title, ordinal: index, content: content)
        }
    }

    private struct Unit {
        var text: String
        var startsParagraph: Bool
    }

    /// Sentences (or word-bounded slices of overlong ones), marked where a paragraph begins.
    private func units(of text: String) -> [Unit] {
        var units: [Unit] = []
        let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        for paragraph in paragraphs {
            let flat = paragraph.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            guard !flat.isEmpty else { continue }
            var first = true
            for sentence in Self.sentences(flat) {
                for slice in wordSlices(sentence) {
                    units.append(Unit(text: slice, startsParagraph: first))
                    first = false
                }
            }
        }
        return units
    }

    private static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character == " ", let previous, ".!?".contains(previous), !current.isEmpty {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func wordSlices(_ sentence: String) -> [String] {
        guard sentence.count > maxCharacters else { return [sentence] }
        var slices: [String] = []
        var current = ""
        for word in sentence.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > maxCharacters {
                slices.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word.prefix(maxCharacters)) : " " + word
        }
        if !current.isEmpty { slices.append(current) }
        return slices
    }

    /// The last `overlapCharacters` of `chunk`, starting at a word.
    private func overlap(of chunk: String) -> String {
        guard overlapCharacters > 0 else { return "" }
        let tail = chunk.suffix(overlapCharacters)
        guard tail.count < chunk.count, let space = tail.firstIndex(of: " ") else { return String(tail) }
        return String(tail[tail.index(after: space)...])
    }

    private static func title(of text: String, source: String) -> String {
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("# ") {
            return line.dropFirst(2).trimmingCharacters(in: .whitespaces)
        }
        return String(source.split(separator: "/").last ?? Substring(source))
    }
}
