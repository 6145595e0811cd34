import GRDB
import SalesCore

/// The `crm_connections` and `sync_runs` tables (migration `012`).
struct SQLiteConnectionStore: ConnectionStore {
    let db: DatabaseQueue

    func connections() throws -> [StoredConnection] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT \(ConnectionColumns.connection) FROM crm_connections ORDER BY crm")
                .map(Self.connection)
        }
    }

    func connection(crm: String) throws -> StoredConnection? {
        try db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(ConnectionColumns.connection) FROM crm_connections WHERE crm = ?", arguments: [crm]
            ).map(Self.connection)
        }
    }

    func save(crm: String, settings: String) throws {
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO crm_connections (crm, settings) VALUES (?, ?)
                    ON CONFLICT (crm) DO UPDATE SET settings = excluded.settings
                    """, arguments: [crm, settings])
        }
    }

    func saveCursor(crm: String, cursor: String) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE crm_connections SET cursor = ? WHERE crm = ?", arguments: [cursor, crm])
            if db.changesCount == 0 { throw UnknownConnection(crm: crm) }
        }
    }

    func record(_ run: SyncRun) throws {
        try db.write { db in
            try db.execute(
                sql: """
                    UPDATE crm_connections SET status = ?, last_sync_at = ?, last_error = ? WHERE crm = ?
                    """,
                arguments: [run.status.rawValue, run.finishedAt, run.status == .failed ? run.message : nil, run.crm])
            if db.changesCount == 0 { throw UnknownConnection(crm: run.crm) }
            try db.execute(
                sql: "INSERT INTO sync_runs (\(ConnectionColumns.run)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    run.crm, run.startedAt, run.finishedAt, run.fetched, run.stored, run.changed, run.requests,
                    run.status.rawValue, run.message,
                ])
        }
    }

    func runs(crm: String, limit: Int) throws -> [SyncRun] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(ConnectionColumns.run) FROM sync_runs WHERE crm = ? ORDER BY id DESC LIMIT ?",
                arguments: [crm, limit]
            ).map {
                SyncRun(
                    crm: $0[0], startedAt: $0[1], finishedAt: $0[2], fetched: $0[3], stored: $0[4], changed: $0[5],
                    requests: $0[6], status: SyncStatus(rawValue: $0[7]) ?? .failed, message: $0[8])
            }
        }
    }

    private static func connection(_ r: Row) -> StoredConnection {
        StoredConnection(
            crm: r[0], settings: r[1], cursor: r[2], status: SyncStatus(rawValue: r[3]) ?? .never, lastSyncAt: r[4],
            lastError: r[5])
    }
}

/// The columns both SQL stores read, in the order they decode them.
package enum ConnectionColumns {
    package static let connection = "crm, settings, cursor, status, last_sync_at, last_error"
    package static let run = "crm, started_at, finished_at, fetched, stored, changed, requests, status, message"
}
