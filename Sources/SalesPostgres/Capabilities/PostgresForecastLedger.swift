import PostgresNIO
import SalesCore
import SalesStorage

/// The `forecast_ledger` table (migration `005`).
struct PostgresForecastLedger: ForecastLedgerStore {
    let pool: PostgresPool

    func append(_ records: [ForecastRecord]) throws {
        for r in records {
            try pool.run(
                """
                INSERT INTO forecast_ledger
                    (made_at, period_start, period_end, slice, name, method, expected, p10, p90, plan)
                VALUES (\(r.madeAt), \(Int64(r.period.start)), \(Int64(r.period.end)), \(r.slice), \(r.name),
                        \(r.method), \(r.expected), \(r.p10), \(r.p90), \(r.plan))
                """)
        }
    }

    func latest(limit: Int) throws -> [ForecastRecord] {
        try pool.run(
            """
            SELECT made_at, period_start, period_end, slice, name, method, expected, p10, p90, plan
            FROM forecast_ledger ORDER BY id DESC LIMIT \(Int64(limit))
            """
        ).map { r in
            ForecastRecord(
                madeAt: r.int(0), period: Period(start: Day(r.int(1)), end: Day(r.int(2))), slice: r.text(3),
                name: r.text(4), method: r.text(5), expected: r.int(6), p10: r.int(7), p90: r.int(8),
                plan: r.optInt(9))
        }
    }
}
