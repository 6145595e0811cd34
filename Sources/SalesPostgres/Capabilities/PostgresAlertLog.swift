import PostgresNIO
import SalesCore
import SalesStorage

/// The `alerts_sent` table (migration `006`), keyed by the alert's key.
struct PostgresAlertLog: AlertLog {
    let pool: PostgresPool

    func wasSent(key: String) throws -> Bool {
        try !pool.run("SELECT 1 FROM alerts_sent WHERE key = \(key)").isEmpty
    }

    func markSent(key: String, at: Timestamp) throws {
        try pool.run("INSERT INTO alerts_sent (key, sent_at) VALUES (\(key), \(at)) ON CONFLICT DO NOTHING")
    }
}
