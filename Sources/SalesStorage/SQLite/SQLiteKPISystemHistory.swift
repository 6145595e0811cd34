import GRDB
import SalesCore

/// The `kpi_system_versions` table (migration `004`).
struct SQLiteKPISystemHistory: KPISystemHistory {
    let db: DatabaseQueue

    func save(yaml: String, userID: Int64?, at: Timestamp) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO kpi_system_versions (yaml, saved_at, user_id) VALUES (?, ?, ?)",
                arguments: [yaml, at, userID])
        }
    }

    func latest() throws -> String? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT yaml FROM kpi_system_versions ORDER BY id DESC LIMIT 1")
        }
    }
}
