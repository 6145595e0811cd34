import PostgresNIO
import SalesCore
import SalesStorage

/// Users in the `users` table; logins are unique by `lower(login)` (index `users_login`).
/// Values are bound by `PostgresQuery`'s interpolation, never spliced.
struct PostgresUserDirectory: UserDirectory {
    let pool: PostgresPool

    /// The columns of `users` aliased `u`, also for the sessions' and tokens' joins; `user(_:)` reads them.
    static let columns =
        "u.id, u.login, u.name, u.role, u.rep_external_id, u.language, u.password_hash, u.disabled_at"

    /// A user from the first eight columns of a row (`columns`).
    static func user(_ r: PostgresColumns) -> UserAccount {
        UserAccount(
            id: r.int(0), login: r.text(1), name: r.text(2), role: UserRole(rawValue: r.text(3)) ?? .rep,
            repExternalID: r.optText(4), language: r.optText(5).flatMap(Language.init(rawValue:)),
            passwordHash: r.text(6), disabledAt: r.optInt(7))
    }

    func add(_ user: UserAccount) throws -> UserAccount {
        let rows = try pool.run(
            """
            INSERT INTO users (login, name, role, rep_external_id, language, password_hash, created_at)
            VALUES (\(user.login), \(user.name), \(user.role.rawValue), \(user.repExternalID),
                    \(user.language?.rawValue), \(user.passwordHash), extract(epoch FROM now())::bigint)
            ON CONFLICT ((lower(login))) DO NOTHING RETURNING id
            """)
        guard let row = rows.first else { throw AccountError.loginTaken(user.login) }
        var stored = user
        stored.id = row.int(0)
        return stored
    }

    func update(_ user: UserAccount) throws {
        let rows = try pool.run(
            """
            UPDATE users SET name = \(user.name), role = \(user.role.rawValue), rep_external_id = \(user.repExternalID),
                language = \(user.language?.rawValue), password_hash = \(user.passwordHash),
                disabled_at = \(user.disabledAt)
            WHERE id = \(user.id) RETURNING id
            """)
        if rows.isEmpty { throw AccountError.noSuchUser(user.login) }
    }

    func remove(id: Int64) throws {
        if try pool.run("DELETE FROM users WHERE id = \(id) RETURNING id").isEmpty {
            throw AccountError.noSuchUser("#\(id)")
        }
    }

    func user(login: String) throws -> UserAccount? {
        try pool.run("SELECT \(unescaped: Self.columns) FROM users u WHERE lower(u.login) = lower(\(login))").first
            .map(Self.user)
    }

    func user(id: Int64) throws -> UserAccount? {
        try pool.run("SELECT \(unescaped: Self.columns) FROM users u WHERE u.id = \(id)").first.map(Self.user)
    }

    func all() throws -> [UserAccount] {
        try pool.run("SELECT \(unescaped: Self.columns) FROM users u ORDER BY u.login").map(Self.user)
    }
}
