import Foundation
import OpenInference

/// A dataset file for `stack dataset upload`: JSON Lines of `{"input": …, "expected": …}` (blank lines
/// are skipped). Any malformed line makes the whole file an error naming the line, so nothing is uploaded.
public enum DatasetFile {
    /// One example: the input object and the expected-output object as Phoenix stores them.
    public typealias Example = (input: [String: OpenInferenceJSON], output: [String: OpenInferenceJSON])

    /// Why a dataset file was refused.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line that is wrong (0 for the whole file).
        public var line: Int
        /// What is wrong with it.
        public var reason: String

        public var description: String {
            line == 0 ? "the dataset file \(reason); nothing was uploaded" : "line \(line) of the dataset file \(reason); nothing was uploaded"
        }
    }

    /// The examples of `text`.
    public static func parse(_ text: String) throws(Error) -> [Example] {
        var examples: [Example] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let object: [String: OpenInferenceJSON]
            do {
                guard case .object(let parsed) = try JSONDecoder().decode(OpenInferenceJSON.self, from: Data(trimmed.utf8)) else {
                    throw Error(line: index + 1, reason: "is not a JSON object")
                }
                object = parsed
            } catch let error as Error {
                throw error
            } catch {
                throw Error(line: index + 1, reason: "is not valid JSON")
            }
            guard let input = object["input"], input != .null, input != .string("") else {
                throw Error(line: index + 1, reason: "has no \"input\"")
            }
            let unknown = Set(object.keys).subtracting(["input", "expected"])
            guard unknown.isEmpty else {
                throw Error(line: index + 1, reason: "has unknown fields \(unknown.sorted()); use \"input\" and \"expected\"")
            }
            examples.append((input: ["input": input], output: object["expected"].map { ["expected": $0] } ?? [:]))
        }
        guard !examples.isEmpty else { throw Error(line: 0, reason: "has no examples") }
        return examples
    }
}
