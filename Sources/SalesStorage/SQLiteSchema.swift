import GRDB

/// The SQLite store's migrations: `EventSchema`'s, in the SQLite dialect, run by GRDB.
enum SQLiteSchema {
    static func migrator() -> DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in EventSchema.migrations(.sqlite) {
            m.registerMigration(migration.id) { db in
                for sql in migration.statements { try db.execute(sql: sql) }
            }
        }
        return m
    }
}
