import Foundation
import OpenInference
import Testing

@Suite("Semantic convention keys")
struct SemanticConventionKeysTests {
    /// Keys of the reference package this library chooses not to define, each with the reason. None today.
    static let leftOut: [String: String] = [:]

    /// The keys saved from the reference package by scripts/refresh-semconv-keys.sh.
    static let referenceKeys: [String] = {
        guard let url = Bundle.module.url(forResource: "semconv-keys", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }()

    @Test("The saved key list of the reference package is there and names its version")
    func savedListIsPresent() throws {
        #expect(Self.referenceKeys.count > 100, "Resources/semconv-keys.txt is missing or short; run scripts/refresh-semconv-keys.sh")
        let url = try #require(Bundle.module.url(forResource: "semconv-keys", withExtension: "txt"))
        let header = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").first.map(String.init)
        #expect(header?.hasPrefix("# openinference-semantic-conventions 0.1.42") == true)
    }

    @Test("Every key of the reference package is a constant of the library or deliberately left out", arguments: referenceKeys)
    func referenceKeyIsDefined(key: String) {
        #expect(
            SemanticConventions.allKeys.contains(key) || Self.leftOut[key] != nil,
            "\(key) is in openinference-semantic-conventions but not in SemanticConventions.allKeys: define it in Sources/OpenInference/SemanticConventions.swift and list it in allKeys"
        )
    }

    @Test("Every key the library lists is one of the reference package's", arguments: SemanticConventions.allKeys)
    func listedKeyIsReference(key: String) {
        #expect(
            Self.referenceKeys.contains(key),
            "\(key) is in SemanticConventions.allKeys but not in openinference-semantic-conventions 0.1.42: a typo, or a key of our own that belongs under SemanticConventions.Recording or in the application"
        )
    }

    @Test("The library lists each key once")
    func keysAreUnique() {
        #expect(Set(SemanticConventions.allKeys).count == SemanticConventions.allKeys.count)
    }
}
