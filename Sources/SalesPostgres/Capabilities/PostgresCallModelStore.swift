import PostgresNIO
import SalesCore
import SalesStorage

/// The `call_models` table (migration `015`).
struct PostgresCallModelStore: CallModelStore {
    let pool: PostgresPool

    func latest() throws -> StoredCallModel? {
        try pool.run("SELECT trained_at, model, report FROM call_models ORDER BY id DESC LIMIT 1").first.map {
            StoredCallModel(trainedAt: $0.int(0), model: $0.text(1), report: $0.text(2))
        }
    }

    func save(_ m: StoredCallModel) throws {
        try pool.run(
            "INSERT INTO call_models (trained_at, model, report) VALUES (\(m.trainedAt), \(m.model), \(m.report))")
    }
}
