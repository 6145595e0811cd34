import Foundation
import GRDB
import SalesCore

/// The engine's snapshot beside a SQLite store (`sales.sqlite.engine`): a process opens it and replays only
/// the events stored after it, instead of every event. It records, per kind, the last id it covers and that
/// row's external id, and the store's revision; if the store no longer has those rows (rebuilt, replaced), a
/// record was replaced since (a new revision), or the snapshot is of another build, it is ignored and the engine
/// is rebuilt from every event. Written to a temporary file and renamed:
/// a crash leaves the old snapshot or the new one, never half of one.
public enum EngineSnapshotFile {
    public static func path(for store: SQLiteEventStore) -> String { store.path + ".engine" }

    /// Where the snapshot came from, for messages and benchmarks.
    public enum Source: Sendable, Equatable {
        case snapshot(replayed: Int)
        case fullReplay(reason: String)
    }

    /// The engine of the store as it is now: the snapshot plus what was stored after it, else a full replay.
    public static func engine(of store: SQLiteEventStore, calendar: CompanyCalendar) throws -> (SalesEngine, Source) {
        let file = path(for: store)
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) else {
            return (try store.makeEngine(calendar: calendar), .fullReplay(reason: "no snapshot"))
        }
        do {
            let (header, start) = try split(data)
            let cursor = header.rows
            guard try store.stillHolds(cursor) else {
                throw SalesEngine.SnapshotMismatch(description: "the store was replaced")
            }
            guard try store.revision() == header.revision else {
                throw SalesEngine.SnapshotMismatch(description: "records were replaced since")
            }
            // Read in place from the mapped file: the rows are copied once, into the engine.
            let engine = try data.withUnsafeBytes {
                try SalesEngine(snapshot: UnsafeRawBufferPointer(rebasing: $0[start...]), calendar: calendar)
            }
            var replayed = 0
            try store.replay(after: cursor.mapValues(\.id)) {
                engine.apply($0)
                replayed += 1
            }
            return (engine, .snapshot(replayed: replayed))
        } catch {
            return (try store.makeEngine(calendar: calendar), .fullReplay(reason: "\(error)"))
        }
    }

    /// Saves `engine`, which must hold exactly the store's events as they are now.
    public static func save(_ engine: SalesEngine, of store: SQLiteEventStore) throws {
        let header = try JSONEncoder().encode(Header(rows: try store.lastRows(), revision: try store.revision()))
        var out = Data()
        withUnsafeBytes(of: Int64(header.count)) { out.append(contentsOf: $0) }
        out.append(header)
        out.append(contentsOf: engine.snapshot())
        let file = path(for: store)
        let temporary = file + ".tmp"
        try out.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, file) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
        }
    }

    /// What the snapshot covers: the last row of each kind and the store's revision.
    private struct Header: Codable {
        var rows: [EventKind: LastRow]
        var revision: Int64
    }

    /// The header and where the engine's bytes start.
    private static func split(_ data: Data) throws -> (Header, Int) {
        guard data.count >= 8 else { throw SalesEngine.SnapshotMismatch(description: "truncated") }
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
        guard n >= 0, 8 + n <= data.count else { throw SalesEngine.SnapshotMismatch(description: "truncated") }
        return (try JSONDecoder().decode(Header.self, from: data.subdata(in: 8..<8 + n)), 8 + n)
    }
}

/// The last row of a kind's table: its id and external id.
struct LastRow: Codable, Equatable {
    var id: Int64
    var externalID: String
}

extension EventKind: CodingKeyRepresentable {}

extension SQLiteEventStore {
    func lastRows() throws -> [EventKind: LastRow] {
        try read { db in
            var out: [EventKind: LastRow] = [:]
            for kind in EventKind.allCases {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT id, external_id FROM \(EventSchema.tableName(kind)) ORDER BY id DESC LIMIT 1")
                {
                    out[kind] = LastRow(id: row[0], externalID: row[1])
                }
            }
            return out
        }
    }

    /// Whether every recorded last row is still there, unchanged.
    func stillHolds(_ rows: [EventKind: LastRow]) throws -> Bool {
        try read { db in
            try rows.allSatisfy { kind, last in
                try String.fetchOne(
                    db, sql: "SELECT external_id FROM \(EventSchema.tableName(kind)) WHERE id = ?", arguments: [last.id]
                ) == last.externalID
            }
        }
    }
}
