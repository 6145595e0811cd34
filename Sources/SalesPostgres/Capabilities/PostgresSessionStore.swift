import PostgresNIO
import SalesCore
import SalesStorage

/// Sessions in the `sessions` table, joined to `users` for the user and whether they are disabled.
struct PostgresSessionStore: SessionStore {
    let pool: PostgresPool

    func create(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws {
        try pool.run("DELETE FROM sessions WHERE expires_at < extract(epoch FROM now())::bigint")
        try pool.run(
            """
            INSERT INTO sessions (token_hash, user_id, csrf, expires_at)
            VALUES (\(tokenHash), \(userID), \(csrf), \(expiresAt))
            """)
    }

    func session(tokenHash: String, now: Timestamp) throws -> UserSession? {
        try pool.run(
            """
            SELECT \(unescaped: PostgresUserDirectory.columns), s.csrf, s.expires_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(now) AND u.disabled_at IS NULL
            """
        ).first.map { UserSession(user: PostgresUserDirectory.user($0), csrf: $0.text(8), expiresAt: $0.int(9)) }
    }

    func delete(tokenHash: String) throws {
        try pool.run("DELETE FROM sessions WHERE token_hash = \(tokenHash)")
    }

    func deleteAll(userID: Int64) throws {
        try pool.run("DELETE FROM sessions WHERE user_id = \(userID)")
    }
}
