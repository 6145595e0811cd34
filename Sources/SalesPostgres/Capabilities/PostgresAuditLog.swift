import PostgresNIO
import SalesCore
import SalesStorage

/// The `audit_log` table; `user_id` is set to NULL when its user is removed.
struct PostgresAuditLog: AuditLog {
    let pool: PostgresPool

    func record(at: Timestamp, userID: Int64?, action: String, detail: String) throws {
        try pool.run(
            "INSERT INTO audit_log (at, user_id, action, detail) VALUES (\(at), \(userID), \(action), \(detail))")
    }

    func latest(limit: Int) throws -> [AuditEntry] {
        try pool.run(
            """
            SELECT a.at, u.login, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
            ORDER BY a.id DESC LIMIT \(Int64(limit))
            """
        ).map { AuditEntry(at: $0.int(0), login: $0.optText(1), action: $0.text(2), detail: $0.text(3)) }
    }
}
