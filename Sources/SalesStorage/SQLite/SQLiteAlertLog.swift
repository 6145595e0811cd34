import GRDB
import SalesCore

/// The `alerts_sent` table (migration `006`), keyed by the alert's key.
struct SQLiteAlertLog: AlertLog {
    let db: DatabaseQueue

    func wasSent(key: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM alerts_sent WHERE key = ?", arguments: [key]) ?? false
        }
    }

    func markSent(key: String, at: Timestamp) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO alerts_sent (key, sent_at) VALUES (?, ?)", arguments: [key, at])
        }
    }
}
