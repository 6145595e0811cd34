import Crypto
import Foundation
import PostgresNIO
import SalesStorage

/// Copies a SQLite store into an empty PostgreSQL one, every table and every row with its id, in one
/// transaction (all or nothing), then reads both back and compares each table's row count and SHA-256
/// over its rows in key order: the proof that nothing was lost or changed.
public enum StoreMigration {
    public struct TableCheck: Sendable, Equatable {
        public var table: String
        public var sourceRows: Int, targetRows: Int
        public var sourceChecksum: String, targetChecksum: String
        public var matches: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }
    }

    public static func copy(
        from source: SQLiteEventStore, to target: PostgresEventStore,
        progress: (Double) -> Void = { _ in }
    ) throws -> [TableCheck] {
        guard try target.count().values.reduce(0, +) == 0, try target.users.all().isEmpty else {
            throw PostgresStoreError("\(target.location) is not empty: migrate copies into a new database only")
        }
        let total = max(1, try source.count().values.reduce(0, +))
        var copied = 0
        try target.transaction { c in
            for (table, key) in EventSchema.tables {
                let columns = try source.columns(of: table)
                let batch = SQLDialect.rowsPerStatement(width: columns.count)
                var rows: [[SQLValue]] = []
                func flush() throws {
                    guard !rows.isEmpty else { return }
                    try c.execute(
                        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                            + "\(SQLDialect.postgres.parameterRows(rows.count, width: columns.count))",
                        rows.flatMap { $0 }, logger: target.logger)
                    copied += rows.count
                    progress(Double(copied) / Double(total))
                    rows.removeAll(keepingCapacity: true)
                }
                try source.rows(of: table, columns: columns, orderedBy: key) { row in
                    rows.append(row)
                    if rows.count == batch { try flush() }
                }
                try flush()
                // New rows continue after the copied ids.
                if columns.contains("id") {
                    try c.execute(
                        "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), max(id)) FROM \(table) "
                            + "HAVING max(id) IS NOT NULL",
                        logger: target.logger)
                }
            }
        }
        return try compare(source, target)
    }

    /// Each table's rows and checksum on both sides, each read by its own database.
    public static func compare(_ source: SQLiteEventStore, _ target: PostgresEventStore) throws -> [TableCheck] {
        try EventSchema.tables.map { table, key in
            let columns = try source.columns(of: table)
            var a = Digest()
            var b = Digest()
            try source.rows(of: table, columns: columns, orderedBy: key) { a.add($0) }
            try target.rows(of: table, columns: columns, orderedBy: key) { b.add($0) }
            return TableCheck(
                table: table, sourceRows: a.rows, targetRows: b.rows, sourceChecksum: a.hex, targetChecksum: b.hex)
        }
    }

    /// SHA-256 over rows, each value typed and length-prefixed so that no two different tables hash alike.
    struct Digest {
        private var hasher = SHA256()
        private(set) var rows = 0

        mutating func add(_ row: [SQLValue]) {
            rows += 1
            var text = ""
            for v in row {
                switch v {
                case .null: text += "n;"
                case .int(let x): text += "i\(x);"
                case .real(let x): text += "r\(x);"
                case .text(let s): text += "t\(s.utf8.count):\(s);"
                case .blob(let b): text += "b\(b.count):" + b.map { String(format: "%02x", $0) }.joined() + ";"
                }
            }
            hasher.update(data: Data((text + "\n").utf8))
        }

        var hex: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
    }
}

extension PostgresEventStore {
    /// Every row of a table in `key` order, typed as SQLite would hand them (integers, reals, text, bytes).
    func rows(of table: String, columns: [String], orderedBy key: String, _ body: ([SQLValue]) throws -> Void) throws {
        try snapshot { c in
            // A cursor keeps memory flat over millions of rows.
            try c.execute(
                "DECLARE copy_rows NO SCROLL CURSOR FOR SELECT \(columns.joined(separator: ", ")) FROM \(table) "
                    + "ORDER BY \(key)",
                logger: logger)
            while true {
                let rows = try c.execute("FETCH \(Self.page) FROM copy_rows", logger: logger)
                for row in rows {
                    try body((0..<row.count).map { i in Self.value(row[i]) })
                }
                if rows.count < Self.page { return }
            }
        }
    }

    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map { .int($0) } ?? .null
        case .float4, .float8: return (try? cell.decode(Double.self)).map { .real($0) } ?? .null
        case .bytea: return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
        default: return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}
