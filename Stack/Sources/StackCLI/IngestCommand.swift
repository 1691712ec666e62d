import ArgumentParser
import Foundation
import OpenInferenceTelemetry
import StackLLM
import StackRetrieval

/// `stack ingest <folder>`: chunks and indexes Markdown and text files for the agent's search tool.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Index a folder of Markdown/text notes (BM25 and embeddings) for search_docs."
    )

    @Argument(help: "The folder to ingest.")
    var folder: String

    @Option(help: "The retrieval index (SQLite file).")
    var index: String = CommandEnvironment.current.defaultIndexPath

    func run() async throws {
        CommandEnvironment.current.announce()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(folder)' is not a folder; give the folder that holds your .md or .txt notes.")
        }
        let client = try CommandEnvironment.current.llmClient()
        try await withTelemetry(.fromEnvironment(CommandEnvironment.current.variables, serviceName: "stack-cli")) { _ in
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: index).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            let retrieval = try RetrievalIndex(path: index, embedder: ClientEmbedder(client: client))
            let count = try await retrieval.ingest(folder: URL(fileURLWithPath: folder))
            print("ingested \(count) chunks from \(folder) into \(index)")
        }
    }
}
