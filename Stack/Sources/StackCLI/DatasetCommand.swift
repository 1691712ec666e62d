import ArgumentParser
import Foundation
import StackEvaluation

/// `stack dataset upload FILE.jsonl --name NAME`: a dataset of questions and expected answers in Phoenix.
struct DatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Upload datasets of questions and expected answers to Phoenix.",
        subcommands: [Upload.self]
    )

    /// `stack dataset upload FILE.jsonl --name NAME`.
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a JSON Lines file of {\"input\": …, \"expected\": …} as a new dataset.",
            discussion: "A malformed line is an error naming its line number, and nothing is uploaded."
        )

        @Argument(help: "The JSON Lines file.")
        var file: String

        @Option(help: "The dataset's name in Phoenix.")
        var name: String

        @Option(help: "A description of the dataset.")
        var description: String?

        func run() async throws {
            CommandEnvironment.current.announce()
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the dataset file \(file): \(error.localizedDescription)")
            }
            let examples: [DatasetFile.Example]
            do {
                examples = try DatasetFile.parse(text)
            } catch {
                throw ValidationError("\(file): \(error)")
            }
            let phoenix = try CommandEnvironment.current.phoenix()
            let id = try await phoenix.uploadDataset(name: name, description: description, examples: examples)
            print("uploaded \(examples.count) examples as dataset \(name) (\(id))")
        }
    }
}
