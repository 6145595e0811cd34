import GRDB
import SalesCore

/// Sessions in the `sessions` table, joined to `users` for the user and whether they are disabled.
struct SQLiteSessionStore: SessionStore {
    let db: DatabaseQueue

    func create(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < strftime('%s','now')")
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, userID, csrf, expiresAt])
        }
    }

    func session(tokenHash: String, now: Timestamp) throws -> UserSession? {
        try db.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(SQLiteUserDirectory.joinedColumns), s.csrf, s.expires_at
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL
                        """, arguments: [tokenHash, now])
            else { return nil }
            return UserSession(user: SQLiteUserDirectory.user(row), csrf: row[8], expiresAt: row[9])
        }
    }

    func delete(tokenHash: String) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    func deleteAll(userID: Int64) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID]) }
    }
}
