import GRDB
import SalesCore

/// The `audit_log` table; `user_id` is set to NULL when its user is removed.
struct SQLiteAuditLog: AuditLog {
    let db: DatabaseQueue

    func record(at: Timestamp, userID: Int64?, action: String, detail: String) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO audit_log (at, user_id, action, detail) VALUES (?, ?, ?, ?)",
                arguments: [at, userID, action, detail])
        }
    }

    func latest(limit: Int) throws -> [AuditEntry] {
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
}
