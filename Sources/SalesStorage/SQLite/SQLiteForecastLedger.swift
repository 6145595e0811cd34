import GRDB
import SalesCore

/// The `forecast_ledger` table (migration `005`); a batch is appended in one transaction.
struct SQLiteForecastLedger: ForecastLedgerStore {
    let db: DatabaseQueue

    func append(_ records: [ForecastRecord]) throws {
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

    func latest(limit: Int) throws -> [ForecastRecord] {
        try db.read { db in
            let sql = "SELECT * FROM forecast_ledger ORDER BY id DESC LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [limit]).map { row in
                ForecastRecord(
                    madeAt: row["made_at"], period: Period(start: row["period_start"], end: row["period_end"]),
                    slice: row["slice"], name: row["name"], method: row["method"], expected: row["expected"],
                    p10: row["p10"], p90: row["p90"], plan: row["plan"])
            }
        }
    }
}
