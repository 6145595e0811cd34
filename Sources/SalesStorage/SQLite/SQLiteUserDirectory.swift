import GRDB
import SalesCore

/// Users in the `users` table (migration `002-accounts`): `login` is `UNIQUE COLLATE NOCASE`.
struct SQLiteUserDirectory: UserDirectory {
    let db: DatabaseQueue

    private static let fields = [
        "id", "login", "name", "role", "rep_external_id", "language", "password_hash", "disabled_at",
    ]
    private static let columns = fields.joined(separator: ", ")
    /// The same columns of `users` aliased `u`, for the sessions' and tokens' joins; `user(_:)` reads them.
    static let joinedColumns = fields.map { "u." + $0 }.joined(separator: ", ")

    /// A user from the first eight columns of a row (`joinedColumns`).
    static func user(_ row: Row) -> UserAccount {
        UserAccount(
            id: row[0], login: row[1], name: row[2], role: UserRole(rawValue: row[3]) ?? .rep,
            repExternalID: row[4], language: (row[5] as String?).flatMap(Language.init(rawValue:)),
            passwordHash: row[6], disabledAt: row[7])
    }

    func add(_ user: UserAccount) throws -> UserAccount {
        try db.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE login = ?", arguments: [user.login]) == true {
                throw AccountError.loginTaken(user.login)
            }
            try db.execute(
                sql: """
                    INSERT INTO users (login, name, role, rep_external_id, language, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, strftime('%s','now'))
                    """,
                arguments: [
                    user.login, user.name, user.role.rawValue, user.repExternalID, user.language?.rawValue,
                    user.passwordHash,
                ])
            var stored = user
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    func update(_ user: UserAccount) throws {
        try db.write { db in
            try db.execute(
                sql: """
                    UPDATE users SET name = ?, role = ?, rep_external_id = ?,
                        language = ?, password_hash = ?, disabled_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    user.name, user.role.rawValue, user.repExternalID, user.language?.rawValue,
                    user.passwordHash, user.disabledAt, user.id,
                ])
            if db.changesCount == 0 { throw AccountError.noSuchUser(user.login) }
        }
    }

    func remove(id: Int64) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw AccountError.noSuchUser("#\(id)") }
        }
    }

    func user(login: String) throws -> UserAccount? {
        try db.read { db in
            let sql = "SELECT \(Self.columns) FROM users WHERE login = ?"
            return try Row.fetchOne(db, sql: sql, arguments: [login]).map(Self.user)
        }
    }

    func user(id: Int64) throws -> UserAccount? {
        try db.read { db in
            let sql = "SELECT \(Self.columns) FROM users WHERE id = ?"
            return try Row.fetchOne(db, sql: sql, arguments: [id]).map(Self.user)
        }
    }

    func all() throws -> [UserAccount] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM users ORDER BY login").map(Self.user)
        }
    }
}
