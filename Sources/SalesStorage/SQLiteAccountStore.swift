import Foundation
import GRDB
import SalesCore

/// Accounts in the event store's SQLite file (tables of migration `002-accounts`).
public struct SQLiteAccountStore: AccountStore {
    let db: DatabaseQueue

    private static let userFields = [
        "id", "login", "name", "role", "rep_external_id", "language",
        "password_hash", "disabled_at",
    ]
    private static let userColumns = userFields.joined(separator: ", ")
    /// The same columns of `users` aliased `u`, for joins.
    private static let joinedUserColumns = userFields.map { "u." + $0 }.joined(separator: ", ")

    private static func user(_ row: Row) -> UserAccount {
        UserAccount(
            id: row[0], login: row[1], name: row[2], role: UserRole(rawValue: row[3]) ?? .rep,
            repExternalID: row[4], language: (row[5] as String?).flatMap(Language.init(rawValue:)),
            passwordHash: row[6], disabledAt: row[7])
    }

    public func addUser(_ user: UserAccount) throws -> UserAccount {
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

    public func updateUser(_ user: UserAccount) throws {
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

    public func removeUser(id: Int64) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw AccountError.noSuchUser("#\(id)") }
        }
    }

    public func user(login: String) throws -> UserAccount? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE login = ?", arguments: [login]).map(
                Self.user)
        }
    }

    public func user(id: Int64) throws -> UserAccount? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE id = ?", arguments: [id]).map(
                Self.user)
        }
    }

    public func users() throws -> [UserAccount] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.userColumns) FROM users ORDER BY login").map(Self.user)
        }
    }

    public func createSession(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < strftime('%s','now')")
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, userID, csrf, expiresAt])
        }
    }

    public func session(tokenHash: String, now: Timestamp) throws -> UserSession? {
        try db.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Self.joinedUserColumns), s.csrf, s.expires_at
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL
                        """, arguments: [tokenHash, now])
            else { return nil }
            return UserSession(user: Self.user(row), csrf: row[8], expiresAt: row[9])
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) }
    }

    public func deleteSessions(userID: Int64) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID]) }
    }

    public func addToken(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [userID, name, tokenHash, at])
        }
    }

    public func tokenUser(tokenHash: String) throws -> UserAccount? {
        try db.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(Self.joinedUserColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = ? AND u.disabled_at IS NULL
                    """, arguments: [tokenHash]
            ).map(Self.user)
        }
    }

    public func tokens(userID: Int64?) throws -> [APIToken] {
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

    public func revokeToken(id: Int64) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func audit(at: Timestamp, userID: Int64?, action: String, detail: String) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)",
                arguments: [at, userID, action, detail])
        }
    }

    public func auditLog(limit: Int) throws -> [AuditEntry] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.at, u.login, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
                    ORDER BY a.id DESC LIMIT ?
                    """, arguments: [limit]
            ).map { AuditEntry(at: $0[0], login: $0[1], action: $0[2], detail: $0[3]) }
        }
    }

    public func storedResponse(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse? {
        try db.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT status, body, request_hash FROM idempotency_keys
                    WHERE user_id = ? AND key = ? AND created_at > ?
                    """, arguments: [userID, key, now - StoredResponse.lifetime]
            )
            .map { StoredResponse(status: $0[0], body: [UInt8]($0[1] as Data), requestHash: $0[2]) }
        }
    }

    public func storeResponse(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE created_at <= ?",
                arguments: [at - StoredResponse.lifetime])
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO idempotency_keys (user_id, key, status, body, request_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [userID, key, response.status, Data(response.body), response.requestHash, at])
        }
    }

    public func saveKPISystem(yaml: String, userID: Int64?, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO kpi_system_versions (yaml, saved_at, user_id) VALUES (?, ?, ?)",
                arguments: [yaml, at, userID])
        }
    }

    public func latestKPISystem() throws -> String? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT yaml FROM kpi_system_versions ORDER BY id DESC LIMIT 1")
        }
    }

    public func saveForecasts(_ records: [ForecastRecord]) throws {
        try db.write { db in
            for r in records {
                try db.execute(
                    sql: """
                        INSERT INTO forecast_ledger
                            (made_at, period_start, period_end, slice, name, method, expected, p10, p90, plan)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.madeAt, r.period.start, r.period.end, r.slice, r.name, r.method, r.expected, r.p10, r.p90,
                        r.plan,
                    ])
            }
        }
    }

    public func forecasts(limit: Int) throws -> [ForecastRecord] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM forecast_ledger ORDER BY id DESC LIMIT ?", arguments: [limit]).map
            { row in
                ForecastRecord(
                    madeAt: row["made_at"], period: Period(start: row["period_start"], end: row["period_end"]),
                    slice: row["slice"],
                    name: row["name"], method: row["method"], expected: row["expected"], p10: row["p10"],
                    p90: row["p90"], plan: row["plan"])
            }
        }
    }

    public func alertWasSent(key: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM alerts_sent WHERE key = ?", arguments: [key]) ?? false
        }
    }

    public func markAlertSent(key: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO alerts_sent (key, sent_at) VALUES (?, ?)", arguments: [key, at])
        }
    }
}
