import Foundation
import GRDB

/// Feedback accepted but not yet in Phoenix, kept in SQLite so a restart or a Phoenix outage loses
/// nothing. Rows leave only when delivered or given up on.
public struct FeedbackQueue: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating if needed) the queue at `path`; `":memory:"` keeps it in memory for tests.
    public init(path: String) throws {
        if path != ":memory:" {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            // Feedback names users and traces: the file (and the journals SQLite gives the same mode)
            // is the owner's alone, created so and corrected if an older run left it readable.
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            for file in [path, path + "-wal", path + "-shm", path + "-journal"] where FileManager.default.fileExists(atPath: file) {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
        }
        database = path == ":memory:" ? try DatabaseQueue() : try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS pending_feedback (
                        id TEXT PRIMARY KEY,
                        body BLOB NOT NULL,
                        accepted_at REAL NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT
                    )
                    """
            )
        }
    }

    func add(_ feedback: Feedback) throws {
        let body = try JSONEncoder().encode(feedback)
        try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO pending_feedback (id, body, accepted_at) VALUES (?, ?, ?)",
                arguments: [feedback.id, body, feedback.acceptedAt.timeIntervalSince1970]
            )
        }
    }

    func remove(id: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM pending_feedback WHERE id = ?", arguments: [id]) }
    }

    func noteFailure(id: String, reason: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE pending_feedback SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                arguments: [String(reason.prefix(500)), id]
            )
        }
    }

    /// The oldest pending feedback first.
    public func pending(limit: Int = 100) throws -> [Feedback] {
        try database.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM pending_feedback ORDER BY accepted_at LIMIT ?", arguments: [limit])
        }.compactMap { try? JSONDecoder().decode(Feedback.self, from: $0) }
    }

    /// How much feedback waits for delivery.
    public func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_feedback") ?? 0 }
    }
}
