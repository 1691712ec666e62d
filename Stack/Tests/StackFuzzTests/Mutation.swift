import PropertyBased

/// Random edits applied to a valid input: the inputs a fuzzer would try first, and the ones a
/// tiny model or a broken client actually produce (a dropped brace, a stray quote, a control byte).
enum Mutation {
    /// Characters that matter to JSON and SSE framing, plus a few that matter to UTF-8.
    static let alphabet: [Character] = Array("{}[]\":,\\/ \n\r\t0123456789.-+eEtrufalsn") + ["\u{0}", "é", "😀", "\u{FEFF}"]

    static let character = Gen<Character?>.element(of: alphabet).map { $0! }

    static let operations = Gen<Int>.int(in: 0...2).array(of: 1...8)
    static let positions = Gen<Int>.int(in: 0...10_000).array(of: 8)
    static let characters = character.array(of: 8)

    /// Zips generated operations, positions and characters into edits.
    static func edits(_ operations: [Int], _ positions: [Int], _ characters: [Character]) -> [(Int, Int, Character)] {
        operations.enumerated().map { index, operation in
            (operation, positions[index % positions.count], characters[index % characters.count])
        }
    }

    /// `seed` after the edits: 0 inserts, 1 deletes, 2 replaces, at a position folded into the text.
    static func apply(_ edits: [(Int, Int, Character)], to seed: String) -> String {
        var characters = Array(seed)
        for (operation, rawPosition, character) in edits {
            let position = characters.isEmpty ? 0 : rawPosition % (characters.count + (operation == 0 ? 1 : 0))
            switch operation {
            case 0: characters.insert(character, at: position)
            case 1 where !characters.isEmpty: characters.remove(at: position)
            case 2 where !characters.isEmpty: characters[position] = character
            default: break
            }
        }
        return String(characters)
    }
}
