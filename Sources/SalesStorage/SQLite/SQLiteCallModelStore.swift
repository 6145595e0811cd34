import GRDB
import SalesCore

/// The `call_models` table (migration `015`).
struct SQLiteCallModelStore: CallModelStore {
    let db: DatabaseQueue

    func latest() throws -> StoredCallModel? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT trained_at, model, report FROM call_models ORDER BY id DESC LIMIT 1")
                .map { StoredCallModel(trainedAt: $0[0], model: $0[1], report: $0[2]) }
        }
    }

    func save(_ m: StoredCallModel) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO call_models (trained_at, model, report) VALUES (?, ?, ?)",
                arguments: [m.trainedAt, m.model, m.report])
        }
    }
}
