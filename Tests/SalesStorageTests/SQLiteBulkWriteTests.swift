import Foundation
import GRDB
import SalesCore
import SalesStorage
import Testing

/// A large first write builds the event tables' secondary indexes once at its end: afterwards the store has every
/// index it had before, with the rows in them, and a write that fails leaves them as they were.
@Suite struct SQLiteBulkWriteTests {
    static func indexes(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1"
            )
        }
    }

    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).sqlite").path
    }

    @Test func aBulkWriteLeavesEveryIndexAndFindsRowsThroughThem() throws {
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteEventStore(path: path)
        let before = try Self.indexes(path)
        #expect(before.contains { $0.hasPrefix("activities_rep_at: ") })
        try store.write(source: "crm", expected: SQLiteEventStore.bulkRecords) { w in
            for var e in EventStoreContractTests.base() { _ = try w.append(&e) }
            for i in 0..<3 {
                var call = Activity(
                    externalID: "C\(i)", rep: EntityRef("R1"), type: .call, at: EventStoreContractTests.t0 + Int64(i))
                if i == 1 { call.deal = EntityRef("D1") }
                var event = SalesEvent.activity(call)
                _ = try w.append(&event)
            }
        }
        #expect(try Self.indexes(path) == before)
        // The rebuilt indexes hold the rows: a query that can only use them finds them.
        let found = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db, sql: "SELECT external_id FROM activities INDEXED BY activities_rep_at WHERE rep_id > 0 ORDER BY at")
        }
        #expect(found == ["C0", "C1", "C2"])
        var onDeals: [String] = []
        try store.replay(kinds: [.activity], activitiesOnDeals: true) { onDeals.append($0.externalID) }
        #expect(onDeals == ["C1"])
    }

    @Test func aBulkWriteThatFailsLeavesTheIndexes() throws {
        struct Stop: Error {}
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteEventStore(path: path)
        let before = try Self.indexes(path)
        #expect(throws: Stop.self) {
            try store.write(source: "crm", expected: SQLiteEventStore.bulkRecords) { w in
                for var e in EventStoreContractTests.base() { _ = try w.append(&e) }
                throw Stop()
            }
        }
        #expect(try Self.indexes(path) == before)
        #expect(try store.count().values.reduce(0, +) == 0)
    }
}
