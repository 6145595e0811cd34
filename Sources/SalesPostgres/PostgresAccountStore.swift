import Foundation
import PostgresNIO
import SalesCore
import SalesStorage

/// Users, sessions, tokens, the audit log, the KPI system, the forecast ledger and sent alerts in the
/// PostgreSQL store (tables of `EventSchema`'s migrations): shared by every `serve` instance, so a session
/// opened on one is valid on all. Values are bound by `PostgresQuery`'s interpolation, never spliced.
struct PostgresAccountStore: AccountStore {
    let pool: PostgresPool

    @discardableResult
    private func run(_ query: PostgresQuery) throws -> [PostgresColumns] {
        try pool.withConnection { c in try c.run(query, logger: pool.logger).map(PostgresColumns.init) }
    }

    private static let userColumns =
        "u.id, u.login, u.name, u.role, u.rep_external_id, u.language, "
        + "u.password_hash, u.disabled_at"

    private static func user(_ r: PostgresColumns) -> UserAccount {
        UserAccount(
            id: r.int(0), login: r.text(1), name: r.text(2), role: UserRole(rawValue: r.text(3)) ?? .rep,
            repExternalID: r.optText(4), language: r.optText(5).flatMap(Language.init(rawValue:)),
            passwordHash: r.text(6), disabledAt: r.optInt(7))
    }

    func addUser(_ user: UserAccount) throws -> UserAccount {
        let rows = try run(
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

    func updateUser(_ user: UserAccount) throws {
        let rows = try run(
            """
            UPDATE users SET name = \(user.name), role = \(user.role.rawValue), rep_external_id = \(user.repExternalID),
                language = \(user.language?.rawValue), password_hash = \(user.passwordHash),
                disabled_at = \(user.disabledAt)
            WHERE id = \(user.id) RETURNING id
            """)
        if rows.isEmpty { throw AccountError.noSuchUser(user.login) }
    }

    func removeUser(id: Int64) throws {
        if try run("DELETE FROM users WHERE id = \(id) RETURNING id").isEmpty {
            throw AccountError.noSuchUser("#\(id)")
        }
    }

    func user(login: String) throws -> UserAccount? {
        try run("SELECT \(unescaped: Self.userColumns) FROM users u WHERE lower(u.login) = lower(\(login))").first.map(
            Self.user)
    }

    func user(id: Int64) throws -> UserAccount? {
        try run("SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.id = \(id)").first.map(Self.user)
    }

    func users() throws -> [UserAccount] {
        try run("SELECT \(unescaped: Self.userColumns) FROM users u ORDER BY u.login").map(Self.user)
    }

    func createSession(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws {
        try run("DELETE FROM sessions WHERE expires_at < extract(epoch FROM now())::bigint")
        try run(
            """
            INSERT INTO sessions (token_hash, user_id, csrf, expires_at)
            VALUES (\(tokenHash), \(userID), \(csrf), \(expiresAt))
            """)
    }

    func session(tokenHash: String, now: Timestamp) throws -> UserSession? {
        try run(
            """
            SELECT \(unescaped: Self.userColumns), s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(now) AND u.disabled_at IS NULL
            """
        ).first.map { UserSession(user: Self.user($0), csrf: $0.text(8), expiresAt: $0.int(9)) }
    }

    func deleteSession(tokenHash: String) throws {
        try run("DELETE FROM sessions WHERE token_hash = \(tokenHash)")
    }

    func deleteSessions(userID: Int64) throws {
        try run("DELETE FROM sessions WHERE user_id = \(userID)")
    }

    func addToken(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws {
        try run(
            """
            INSERT INTO api_tokens (user_id, name, token_hash, created_at)
            VALUES (\(userID), \(name), \(tokenHash), \(at))
            """)
    }

    func tokenUser(tokenHash: String) throws -> UserAccount? {
        try run(
            """
            SELECT \(unescaped: Self.userColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(tokenHash) AND u.disabled_at IS NULL
            """
        ).first.map(Self.user)
    }

    func tokens(userID: Int64?) throws -> [APIToken] {
        try run(
            """
            SELECT t.id, t.user_id, u.login, t.name, t.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE \(userID)::bigint IS NULL OR t.user_id = \(userID) ORDER BY t.id DESC
            """
        ).map {
            APIToken(id: $0.int(0), userID: $0.int(1), login: $0.text(2), name: $0.text(3), createdAt: $0.int(4))
        }
    }

    func revokeToken(id: Int64) throws -> Bool {
        try !run("DELETE FROM api_tokens WHERE id = \(id) RETURNING id").isEmpty
    }

    func audit(at: Timestamp, userID: Int64?, action: String, detail: String) throws {
        try run("INSERT INTO audit_log (at, user_id, action, detail) VALUES (\(at), \(userID), \(action), \(detail))")
    }

    func auditLog(limit: Int) throws -> [AuditEntry] {
        try run(
            """
            SELECT a.at, u.login, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
            ORDER BY a.id DESC LIMIT \(Int64(limit))
            """
        ).map { AuditEntry(at: $0.int(0), login: $0.optText(1), action: $0.text(2), detail: $0.text(3)) }
    }

    func storedResponse(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse? {
        try pool.withConnection { c in
            try c.run(
                """
                SELECT status, body, request_hash FROM idempotency_keys
                WHERE user_id = \(userID) AND key = \(key) AND created_at > \(now - StoredResponse.lifetime)
                """, logger: pool.logger
            ).first.map {
                StoredResponse(
                    status: Int(PostgresColumns($0).int(0)), body: Array((try $0[1].decode(Data.self))),
                    requestHash: PostgresColumns($0).text(2))
            }
        }
    }

    func storeResponse(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws {
        try run("DELETE FROM idempotency_keys WHERE created_at <= \(at - StoredResponse.lifetime)")
        try run(
            """
            INSERT INTO idempotency_keys (user_id, key, status, body, request_hash, created_at)
            VALUES (\(userID), \(key), \(Int64(response.status)), \(Data(response.body)),
                \(response.requestHash), \(at))
            ON CONFLICT DO NOTHING
            """)
    }

    func saveKPISystem(yaml: String, userID: Int64?, at: Timestamp) throws {
        try run("INSERT INTO kpi_system_versions (yaml, saved_at, user_id) VALUES (\(yaml), \(at), \(userID))")
    }

    func latestKPISystem() throws -> String? {
        try run("SELECT yaml FROM kpi_system_versions ORDER BY id DESC LIMIT 1").first?.optText(0)
    }

    func saveForecasts(_ records: [ForecastRecord]) throws {
        for r in records {
            try run(
                """
                INSERT INTO forecast_ledger
                    (made_at, period_start, period_end, slice, name, method, expected, p10, p90, plan)
                VALUES (\(r.madeAt), \(Int64(r.period.start)), \(Int64(r.period.end)), \(r.slice), \(r.name),
                        \(r.method), \(r.expected), \(r.p10), \(r.p90), \(r.plan))
                """)
        }
    }

    func forecasts(limit: Int) throws -> [ForecastRecord] {
        try run(
            """
            SELECT made_at, period_start, period_end, slice, name, method, expected, p10, p90, plan
            FROM forecast_ledger ORDER BY id DESC LIMIT \(Int64(limit))
            """
        ).map { r in
            ForecastRecord(
                madeAt: r.int(0), period: Period(start: Day(r.int(1)), end: Day(r.int(2))), slice: r.text(3),
                name: r.text(4),
                method: r.text(5), expected: r.int(6), p10: r.int(7), p90: r.int(8), plan: r.optInt(9))
        }
    }

    func alertWasSent(key: String) throws -> Bool {
        try !run("SELECT 1 FROM alerts_sent WHERE key = \(key)").isEmpty
    }

    func markAlertSent(key: String, at: Timestamp) throws {
        try run("INSERT INTO alerts_sent (key, sent_at) VALUES (\(key), \(at)) ON CONFLICT DO NOTHING")
    }
}
