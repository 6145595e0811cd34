import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

/// A process that starts from the engine's snapshot and replays only what was stored after it knows
/// exactly what one that replays every event knows; a snapshot that no longer fits is ignored.
@Suite struct EngineSnapshotTests {
    /// Every base measure of every rep, per month over the data's span, plus the company's: the engine's whole answer.
    static func fingerprint(_ e: SalesEngine) -> [String] {
        guard let span = e.allTime else { return [] }
        var out: [String] = []
        var month = CivilDate(span.start).monthIndex
        while CivilDate.firstDay(ofMonthIndex: month) < span.end {
            let from = CivilDate.firstDay(ofMonthIndex: month)
            let to = CivilDate.firstDay(ofMonthIndex: month + 1)
            for rep in e.repsByTeam {
                out.append("\(rep.externalID) \(from) \(e.measures(.rep(rep.id), from, to).values)")
            }
            out.append("company \(from) \(e.measures(.company, from, to).values)")
            month += 1
        }
        return out + e.repsByTeam.map { "\($0.id) \($0.name) \($0.teamID ?? 0)" } + [
            "events \(e.eventCount)", "plans \(e.plans.all.count)",
        ]
    }

    @Test func snapshotPlusTheEventsAfterItEqualsAFullReplay() throws {
        let dir = NSTemporaryDirectory() + "snapshot-\(UUID().uuidString)"
        let calendar = CompanyCalendar()
        let early = DemoGenerator(reps: 12, days: 60, seed: 3, end: CivilDate(year: 2026, month: 8, day: 31))
        _ = try early.write(to: dir + "/a")
        let store = try SQLiteEventStore(path: dir + "/s.sqlite")
        _ = try Importer(store: store, source: "crm", calendar: calendar).run(bundle: dir + "/a")
        #expect(try EngineSnapshotFile.engine(of: store, calendar: calendar).1 == .fullReplay(reason: "no snapshot"))
        try EngineSnapshotFile.save(try store.makeEngine(calendar: calendar), of: store)

        // More people, deals, stage changes and activities arrive after the snapshot
        // (another source: new ids throughout).
        _ = try DemoGenerator(reps: 12, days: 90, seed: 4, end: CivilDate(year: 2026, month: 9, day: 30)).write(
            to: dir + "/b")
        let later = try Importer(store: store, source: "crm2", calendar: calendar).run(bundle: dir + "/b")
        let (engine, source) = try EngineSnapshotFile.engine(of: store, calendar: calendar)
        #expect(source == .snapshot(replayed: later.totalInserted))
        #expect(later.totalInserted > 10_000)
        let full = try store.makeEngine(calendar: calendar)
        #expect(Self.fingerprint(engine) == Self.fingerprint(full))
        #expect(Self.fingerprint(full).count > 100)

        // A damaged snapshot, or one of a replaced store, is ignored.
        let path = EngineSnapshotFile.path(for: store)
        try EngineSnapshotFile.save(full, of: store)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: path))
        guard case .fullReplay = try EngineSnapshotFile.engine(of: store, calendar: calendar).1 else {
            Issue.record("a truncated snapshot was used")
            return
        }
        try bytes.write(to: URL(fileURLWithPath: path))
        let replaced = try SQLiteEventStore(path: dir + "/other.sqlite")
        _ = try Importer(store: replaced, source: "crm", calendar: calendar).run(bundle: dir + "/b")
        try FileManager.default.copyItem(atPath: path, toPath: EngineSnapshotFile.path(for: replaced))
        let (other, otherSource) = try EngineSnapshotFile.engine(of: replaced, calendar: calendar)
        guard case .fullReplay = otherSource else {
            Issue.record("another store's snapshot was used")
            return
        }
        #expect(Self.fingerprint(other) == Self.fingerprint(try replaced.makeEngine(calendar: calendar)))
    }

    /// An import feeds an engine each record as it stores it (the CLI writes that engine as the snapshot, with no
    /// second pass): after a first import into an empty store and a second on top of it, the fed engine knows
    /// what a replay of the store knows.
    @Test func anEngineFedDuringTheImportEqualsAReplay() throws {
        let dir = NSTemporaryDirectory() + "snapshot-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let calendar = CompanyCalendar()
        _ = try DemoGenerator(reps: 12, days: 60, seed: 3, end: CivilDate(year: 2026, month: 8, day: 31)).write(
            to: dir + "/a")
        _ = try DemoGenerator(reps: 12, days: 90, seed: 4, end: CivilDate(year: 2026, month: 9, day: 30)).write(
            to: dir + "/b")
        let store = try SQLiteEventStore(path: dir + "/s.sqlite")
        let fed = SalesEngine(calendar: calendar)
        for (bundle, source) in [("a", "crm"), ("b", "crm2")] {
            let importer = Importer(store: store, source: source, calendar: calendar)
            importer.onStored = { fed.apply($0) }
            #expect(try importer.run(bundle: dir + "/" + bundle).totalInserted > 5_000)
        }
        let replayed = try store.makeEngine(calendar: calendar)
        #expect(fed.eventCount == replayed.eventCount)
        #expect(Self.fingerprint(fed) == Self.fingerprint(replayed))
    }

    /// A deal reassigned after the snapshot moves what it added from one rep to another: the snapshot cannot
    /// take that back, so it is set aside and the engine rebuilt.
    @Test func aRecordReplacedAfterTheSnapshotSetsItAside() throws {
        let calendar = CompanyCalendar()
        let store = try SQLiteEventStore(path: NSTemporaryDirectory() + "replaced-\(UUID().uuidString).sqlite")
        let t0: Timestamp = 1_709_280_000
        let reps: [SalesEvent] = ["R1", "R2"].map { .rep(Rep(externalID: $0, name: $0, role: .ae)) }
        let deal = Deal(externalID: "D1", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: t0, amount: 100)
        try store.append(
            reps + [
                .account(Account(externalID: "A1", name: "A")), .deal(deal),
                .stageChange(StageChange(externalID: "W1", deal: EntityRef("D1"), stage: .won, at: t0)),
            ], source: "crm")
        try EngineSnapshotFile.save(try store.makeEngine(calendar: calendar), of: store)
        var moved = deal
        moved.owner = EntityRef("R2")
        try store.append([.deal(moved)], source: "crm")
        let (engine, source) = try EngineSnapshotFile.engine(of: store, calendar: calendar)
        #expect(source == .fullReplay(reason: "records were replaced since"))
        let r2 = try #require(engine.rep(externalID: "R2")).id
        #expect(engine.measures(.rep(r2), .min, .max)[.wonRevenue] == 100)
        #expect(engine.measures(.company, .min, .max)[.wonRevenue] == 100)
    }
}
