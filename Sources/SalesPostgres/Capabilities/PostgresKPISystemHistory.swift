import PostgresNIO
import SalesCore
import SalesStorage

/// The `kpi_system_versions` table (migration `004`).
struct PostgresKPISystemHistory: KPISystemHistory {
    let pool: PostgresPool

    func save(yaml: String, userID: Int64?, at: Timestamp) throws {
        try pool.run("INSERT INTO kpi_system_versions (yaml, saved_at, user_id) VALUES (\(yaml), \(at), \(userID))")
    }

    func latest() throws -> String? {
        try pool.run("SELECT yaml FROM kpi_system_versions ORDER BY id DESC LIMIT 1").first?.optText(0)
    }
}
