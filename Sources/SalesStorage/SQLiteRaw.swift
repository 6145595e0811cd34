import GRDB
import GRDBSQLite

// The hot paths (import, replay) talk to SQLite directly; GRDB still owns connections,
// transactions and migrations.

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension Statement {
    /// Binds `values` from parameter `first` (1-based) on, runs the statement and resets it.
    func run(binding values: [SQLValue], from first: Int32 = 1, in db: Database) throws {
        let h = sqliteStatement
        sqlite3_reset(h)
        for (offset, v) in values.enumerated() {
            let i = first + Int32(offset)
            switch v {
            case .int(let x): sqlite3_bind_int64(h, i, x)
            case .real(let x): sqlite3_bind_double(h, i, x)
            case .text(let s):
                sqlite3_bind_text(h, i, s, Int32(s.utf8.count), transient)  // the length: a NUL inside must not cut it
            case .blob(let b): sqlite3_bind_blob(h, i, b, Int32(b.count), transient)
            case .null: sqlite3_bind_null(h, i)
            }
        }
        let code = sqlite3_step(h)
        sqlite3_reset(h)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// Steps through the result rows.
    func forEachRow(in db: Database, _ body: (RawRow) throws -> Void) throws {
        let h = sqliteStatement
        sqlite3_reset(h)
        defer { sqlite3_reset(h) }
        while true {
            let code = sqlite3_step(h)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(RawRow(handle: h))
        }
    }
}

/// The current row of a statement, read by column index.
struct RawRow: ColumnReader {
    let handle: OpaquePointer
    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    func optInt(_ i: Int32) -> Int64? { sqlite3_column_type(handle, i) == SQLITE_NULL ? nil : int(i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    func optText(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, i) else { return nil }
        return String(cString: p)
    }
}
