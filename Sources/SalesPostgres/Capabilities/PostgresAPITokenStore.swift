import PostgresNIO
import SalesCore
import SalesStorage

/// API tokens in the `api_tokens` table, joined to `users` for the owner and whether they are disabled.
struct PostgresAPITokenStore: APITokenStore {
    let pool: PostgresPool

    func add(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws {
        try pool.run(
            """
            INSERT INTO api_tokens (user_id, name, token_hash, created_at)
            VALUES (\(userID), \(name), \(tokenHash), \(at))
            """)
    }

    func user(tokenHash: String) throws -> UserAccount? {
        try pool.run(
            """
            SELECT \(unescaped: PostgresUserDirectory.columns) FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(tokenHash) AND u.disabled_at IS NULL
            """
        ).first.map(PostgresUserDirectory.user)
    }

    func list(userID: Int64?) throws -> [APIToken] {
        try pool.run(
            """
            SELECT t.id, t.user_id, u.login, t.name, t.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE \(userID)::bigint IS NULL OR t.user_id = \(userID) ORDER BY t.id DESC
            """
        ).map {
            APIToken(id: $0.int(0), userID: $0.int(1), login: $0.text(2), name: $0.text(3), createdAt: $0.int(4))
        }
    }

    func revoke(id: Int64) throws -> Bool {
        try !pool.run("DELETE FROM api_tokens WHERE id = \(id) RETURNING id").isEmpty
    }
}
