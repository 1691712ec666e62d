import Foundation
import OpenInference

/// `now`: the current date and time in ISO 8601, optionally in a named time zone.
public struct NowTool: AgentTool {
    public struct Arguments: Decodable, Sendable {
        public var timezone: String?
    }

    public let name = "now"
    public let description = "Returns the current date and time (ISO 8601)."
    public var argumentDescriptions: [String: String] { ["timezone": "An IANA time zone such as Europe/Oslo; UTC when omitted."] }

    public init() {}

    public func call(_ arguments: Arguments) async throws -> String {
        let formatter = ISO8601DateFormatter()
        if let name = arguments.timezone {
            guard let zone = TimeZone(identifier: name) else {
                throw ToolError.invalidArguments(tool: self.name, reason: "'\(name)' is not an IANA time zone")
            }
            formatter.timeZone = zone
        }
        return formatter.string(from: Date())
    }
}

/// `search_docs`: searches the document index and returns the best chunks with their ids.
public struct SearchDocsTool: AgentTool {
    public struct Arguments: Decodable, Sendable {
        public var query: String
        public var limit: Int?
    }

    public let name = "search_docs"
    public let description = "Searches the notes for passages relevant to a query. Returns chunk ids and text."
    public var argumentDescriptions: [String: String] {
        ["query": "What to look for, in plain words.", "limit": "How many passages to return (default 4)."]
    }
    private let search: @Sendable (String, Int) async throws -> [RetrievalDocument]

    /// - Parameter search: the retriever to call with a query and a limit.
    public init(search: @escaping @Sendable (String, Int) async throws -> [RetrievalDocument]) {
        self.search = search
    }

    /// The longest query searched, in characters (as `POST /v1/passages` allows); a longer one is
    /// refused before any embedding or index work.
    public static let maxQueryCharacters = 4000

    public func call(_ arguments: Arguments) async throws -> String {
        guard arguments.query.count <= Self.maxQueryCharacters else {
            throw ToolError.invalidArguments(tool: name, reason: "'query' has more than \(Self.maxQueryCharacters) characters; ask in fewer words")
        }
        let documents = try await search(arguments.query, max(1, min(arguments.limit ?? 4, 20)))
        guard !documents.isEmpty else { return "No passages match '\(arguments.query)'." }
        RetrievedPassages.add(documents)
        return documents.map { "[\($0.id ?? "?")] \($0.content ?? "")" }.joined(separator: "\n\n")
    }
}

/// `fetch_chunk`: returns one chunk of the notes by id, for reading more than a search result shows.
public struct FetchChunkTool: AgentTool {
    public struct Arguments: Decodable, Sendable {
        public var id: String
    }

    public let name = "fetch_chunk"
    public let description = "Returns the full text of one passage by its id (as shown by search_docs)."
    private let fetch: @Sendable (String) async throws -> RetrievalDocument?

    public init(fetch: @escaping @Sendable (String) async throws -> RetrievalDocument?) {
        self.fetch = fetch
    }

    public func call(_ arguments: Arguments) async throws -> String {
        guard let document = try await fetch(arguments.id) else { return "No passage has the id '\(arguments.id)'." }
        RetrievedPassages.add([document])
        return document.content ?? ""
    }
}
