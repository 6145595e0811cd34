import PostgresNIO
import SalesCore
import SalesStorage

/// The `crm_connections` and `sync_runs` tables (migration `012`).
struct PostgresConnectionStore: ConnectionStore {
    let pool: PostgresPool

    func connections() throws -> [StoredConnection] {
        try pool.run("SELECT \(unescaped: ConnectionColumns.connection) FROM crm_connections ORDER BY crm")
            .map(Self.connection)
    }

    func connection(crm: String) throws -> StoredConnection? {
        try pool.run("SELECT \(unescaped: ConnectionColumns.connection) FROM crm_connections WHERE crm = \(crm)")
            .first.map(Self.connection)
    }

    func save(crm: String, settings: String) throws {
        try pool.run(
            """
            INSERT INTO crm_connections (crm, settings) VALUES (\(crm), \(settings))
            ON CONFLICT (crm) DO UPDATE SET settings = excluded.settings
            """)
    }

    func saveCursor(crm: String, cursor: String) throws {
        let rows = try pool.run("UPDATE crm_connections SET cursor = \(cursor) WHERE crm = \(crm) RETURNING crm")
        if rows.isEmpty { throw UnknownConnection(crm: crm) }
    }

    func record(_ run: SyncRun) throws {
        let error = run.status == .failed ? run.message : nil
        try pool.withConnection { c in
            try c.run("BEGIN", logger: pool.logger)
            do {
                let rows = try c.run(
                    """
                    UPDATE crm_connections SET status = \(run.status.rawValue), last_sync_at = \(run.finishedAt),
                        last_error = \(error) WHERE crm = \(run.crm) RETURNING crm
                    """, logger: pool.logger)
                if rows.isEmpty { throw UnknownConnection(crm: run.crm) }
                try c.run(
                    """
                    INSERT INTO sync_runs (\(unescaped: ConnectionColumns.run))
                    VALUES (\(run.crm), \(run.startedAt), \(run.finishedAt), \(Int64(run.fetched)),
                            \(Int64(run.stored)), \(Int64(run.changed)), \(Int64(run.requests)), \(run.status.rawValue),
                            \(run.message))
                    """, logger: pool.logger)
                try c.run("COMMIT", logger: pool.logger)
            } catch {
                _ = try? c.run("ROLLBACK", logger: pool.logger)
                throw error
            }
        }
    }

    func runs(crm: String, limit: Int) throws -> [SyncRun] {
        try pool.run(
            """
            SELECT \(unescaped: ConnectionColumns.run) FROM sync_runs WHERE crm = \(crm) ORDER BY id DESC
            LIMIT \(Int64(limit))
            """
        ).map {
            SyncRun(
                crm: $0.text(0), startedAt: $0.int(1), finishedAt: $0.int(2), fetched: Int($0.int(3)),
                stored: Int($0.int(4)), changed: Int($0.int(5)), requests: Int($0.int(6)),
                status: SyncStatus(rawValue: $0.text(7)) ?? .failed, message: $0.optText(8))
        }
    }

    private static func connection(_ r: PostgresColumns) -> StoredConnection {
        StoredConnection(
            crm: r.text(0), settings: r.text(1), cursor: r.text(2), status: SyncStatus(rawValue: r.text(3)) ?? .never,
            lastSyncAt: r.optInt(4), lastError: r.optText(5))
    }
}
