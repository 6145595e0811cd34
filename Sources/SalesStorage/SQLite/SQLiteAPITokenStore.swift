import GRDB
import SalesCore

/// API tokens in the `api_tokens` table, joined to `users` for the owner and whether they are disabled.
struct SQLiteAPITokenStore: APITokenStore {
    let db: DatabaseQueue

    func add(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [userID, name, tokenHash, at])
        }
    }

    func user(tokenHash: String) throws -> UserAccount? {
        try db.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(SQLiteUserDirectory.joinedColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = ? AND u.disabled_at IS NULL
                    """, arguments: [tokenHash]
            ).map(SQLiteUserDirectory.user)
        }
    }

    func list(userID: Int64?) throws -> [APIToken] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.user_id, u.login, t.name, t.created_at
                    FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE ? IS NULL OR t.user_id = ? ORDER BY t.id DESC
                    """, arguments: [userID, userID]
            ).map {
                APIToken(id: $0[0], userID: $0[1], login: $0[2], name: $0[3], createdAt: $0[4])
            }
        }
    }

    func revoke(id: Int64) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
