import Foundation
import GRDB
import SalesCore
import SalesPostgres
import SalesStorage
import TestSupport
import Testing

/// The contract every EventStore passes; run against each implementation.
@Suite struct EventStoreContractTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case memory, sqlite, postgres
        var description: String { rawValue }
    }

    static func make(_ kind: Kind) throws -> EventStore {
        switch kind {
        case .memory: return InMemoryEventStore()
        case .sqlite, .postgres: return try makeDatabase(kind)
        }
    }

    /// A new, empty database with the server's own state: in memory, a temporary SQLite file, or a new
    /// database on the test PostgreSQL server.
    static func makeDatabase(_ kind: Kind) throws -> SalesDatabase {
        switch kind {
        case .memory: return InMemoryDatabase()
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "contract-\(UUID().uuidString).sqlite"
            ).path
            return try SQLiteEventStore(path: path)
        case .postgres: return try PostgresEventStore(url: TestPostgres.freshDatabase())
        }
    }

    static let t0: Timestamp = 1_709_280_000  // 2024-03-01T08:00:00Z
    static func base() -> [SalesEvent] {
        [
            .team(Team(externalID: "T", name: "Team")),
            .rep(Rep(externalID: "R1", name: "Анна", role: .ae, team: EntityRef("T"))),
            .account(Account(externalID: "A1", name: "Client")),
            .deal(
                Deal(
                    externalID: "D1", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: t0,
                    amount: 500_000_00)),
            .stageChange(StageChange(externalID: "D1-won", deal: EntityRef("D1"), stage: .won, at: t0 + 86_400 * 5)),
        ]
    }

    @Test(arguments: Kind.allCases)
    func replayReturnsWhatWasAppended(_ kind: Kind) throws {
        let store = try Self.make(kind)
        let stored = try store.append(Self.base(), source: "crm")
        #expect(stored.count == 5)
        var replayed: [SalesEvent] = []
        try store.replay { replayed.append($0) }
        #expect(replayed.map(\.externalID) == ["T", "R1", "A1", "D1", "D1-won"])
        guard case .deal(let d) = replayed[3] else {
            Issue.record("not a deal")
            return
        }
        #expect(d.amount == 500_000_00 && d.createdAt == Self.t0 && d.owner.id != 0)
        #expect(try store.makeEngine().measures(.company, Day.min, Day.max)[.wonRevenue] == 500_000_00)
    }

    /// Three calls, two of them on the deal (stored out of time order), one on none, and a plan: a deal
    /// history read from only what it keeps has the deal's two call times and nothing of the rest.
    @Test(arguments: Kind.allCases)
    func aDealHistoryReadsOnlyTheActivitiesOnDeals(_ kind: Kind) throws {
        let store = try Self.make(kind)
        var events = Self.base()
        for (id, hours, deal) in [("C1", 30, true), ("C2", 5, true), ("C3", 10, false)] {
            var call = Activity(
                externalID: id, rep: EntityRef("R1"), type: .call, at: Self.t0 + Timestamp(hours) * 3600)
            if deal { call.deal = EntityRef("D1") }
            events.append(.activity(call))
        }
        try store.append(events, source: "crm")
        var kinds: [EventKind] = []
        try store.replay(kinds: DealHistory.kinds, activitiesOnDeals: true) { kinds.append($0.kind) }
        #expect(kinds == [.team, .rep, .account, .deal, .stageChange, .activity, .activity])
        let history = try store.makeDealHistory()
        #expect(history.deals.map(\.activityTimes) == [[Self.t0 + 5 * 3600, Self.t0 + 30 * 3600]])
        #expect(history.deals.first?.outcome == .won && history.accounts.count == 1)
    }

    @Test(arguments: Kind.allCases)
    func resendingTheSameEventsNeverCountsTwice(_ kind: Kind) throws {
        let store = try Self.make(kind)
        try store.append(Self.base(), source: "crm")
        let again = try store.append(Self.base(), source: "crm")
        #expect(again.isEmpty)
        #expect(try store.count()[.deal] == 1)
        // The same external id from another source is another record.
        try store.append(Self.base(), source: "other")
        #expect(try store.count()[.deal] == 2)
    }

    /// A batch gives each event the outcome it would have had alone, in order; a server store sends
    /// it as multi-row statements, so this covers chunk boundaries and a reference into the same chunk.
    @Test(arguments: Kind.allCases)
    func aBatchActsAsEventsOneByOne(_ kind: Kind) throws {
        let store = try Self.make(kind)
        try store.append(Self.base(), source: "crm")
        let calls = 2_500  // more than one PostgreSQL statement carries
        var batch: [SalesEvent] =
            [
                .rep(Rep(externalID: "R2", name: "Борис", role: .ae, team: EntityRef("T"))),
                .rep(Rep(externalID: "R3", name: "Вера", role: .sdr, team: EntityRef("T"), manager: EntityRef("R2"))),
                // The same record twice, and one stored before: duplicates (`aRecordResentChanged…` changes them).
                .rep(Rep(externalID: "R3", name: "Вера", role: .sdr, team: EntityRef("T"), manager: EntityRef("R2"))),
                .rep(Rep(externalID: "R1", name: "Анна", role: .ae, team: EntityRef("T"))),
                .deal(
                    Deal(
                        externalID: "D9", account: EntityRef("A1"), owner: EntityRef("nobody"), createdAt: Self.t0,
                        amount: 1)),
            ]
            + (0..<calls).map {
                .activity(Activity(externalID: "C\($0)", rep: EntityRef("R3"), type: .call, at: Self.t0 + Int64($0)))
            }
        let outcomes = try store.write(source: "crm") { try $0.append(batch: &batch) }
        #expect(outcomes.count == batch.count)
        guard case .inserted(let r2) = outcomes[0], case .inserted(let r3) = outcomes[1] else {
            Issue.record("\(outcomes.prefix(2))")
            return
        }
        #expect(outcomes[2] == .duplicate && outcomes[3] == .duplicate)
        #expect(outcomes[4] == .unresolved([UnresolvedReference(field: "owner_id", kind: .rep, external: "nobody")]))
        let callIDs = outcomes.dropFirst(5).compactMap { if case .inserted(let id) = $0 { id } else { nil } }
        #expect(callIDs.count == calls && Set(callIDs).count == calls)
        guard case .rep(let stored) = batch[1], case .activity(let call) = batch[5] else {
            Issue.record("kinds")
            return
        }
        #expect(stored.id == r3 && stored.manager?.id == r2 && call.rep.id == r3)
        let engine = try store.makeEngine()
        #expect(engine.reps.count == 3 && engine.reps[r3]?.name == "Вера" && engine.reps[r3]?.managerID == r2)
        #expect(engine.measures(.rep(r3), Day.min, Day.max)[.calls] == Int64(calls))
        #expect(try store.count()[.activity] == calls && store.count()[.deal] == 1)
    }

    /// A record re-sent with other values (a reassigned owner, a new amount, a lead given its SDR) replaces
    /// the stored one under the same id and moves the revision; a fact re-sent changed is still a duplicate.
    @Test(arguments: Kind.allCases)
    func aRecordResentChangedReplacesTheStoredOne(_ kind: Kind) throws {
        let store = try Self.make(kind)
        let sdr = SalesEvent.rep(Rep(externalID: "S1", name: "Сергей", role: .sdr, team: EntityRef("T")))
        let lead = Lead(externalID: "L1", owner: nil, createdAt: Self.t0)
        try store.append(Self.base() + [sdr, .lead(lead)], source: "crm")
        var engine = try store.makeEngine()
        let (r1, s1) = (try #require(engine.rep(externalID: "R1")).id, try #require(engine.rep(externalID: "S1")).id)
        #expect(engine.measures(.company, .min, .max)[.leadsCreated] == 1)
        #expect(engine.measures(.rep(s1), .min, .max)[.leadsCreated] == 0)
        #expect(try store.revision() == 0)

        var assigned = lead
        assigned.owner = EntityRef("S1")
        let reassigned = Deal(
            externalID: "D1", account: EntityRef("A1"), owner: EntityRef("S1"), createdAt: Self.t0, amount: 600_000_00)
        let wonAgain = StageChange(externalID: "D1-won", deal: EntityRef("D1"), stage: .lost, at: Self.t0)
        var batch: [SalesEvent] = [.lead(assigned), .deal(reassigned), .stageChange(wonAgain), .deal(reassigned)]
        let outcomes = try store.write(source: "crm") { try $0.append(batch: &batch) }
        guard case .updated(let leadID) = outcomes[0], case .updated(let dealID) = outcomes[1] else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(outcomes[2] == .duplicate && outcomes[3] == .duplicate)
        #expect(try store.revision() == 2 && store.count()[.deal] == 1 && store.count()[.lead] == 1)
        var replayed: [SalesEvent] = []
        try store.replay { replayed.append($0) }
        let deal = replayed.compactMap { if case .deal(let d) = $0 { d } else { nil } }
        #expect(deal.map(\.id) == [dealID] && deal.map(\.owner.id) == [s1] && deal.map(\.amount) == [600_000_00])
        let leads = replayed.compactMap { if case .lead(let l) = $0 { l } else { nil } }
        #expect(leads.map(\.id) == [leadID] && leads.map(\.owner?.id) == [s1])
        engine = try store.makeEngine()
        #expect(engine.measures(.rep(s1), .min, .max)[.wonRevenue] == 600_000_00)
        #expect(engine.measures(.rep(r1), .min, .max)[.wonRevenue] == 0)
        #expect(engine.measures(.rep(s1), .min, .max)[.leadsCreated] == 1)
        #expect(engine.measures(.company, .min, .max)[.leadsCreated] == 1)
        // Sent again unchanged: nothing moves.
        try store.append([.lead(assigned), .deal(reassigned)], source: "crm")
        #expect(try store.revision() == 2)
    }

    @Test(arguments: Kind.allCases)
    func aFailedWriteLeavesNothing(_ kind: Kind) throws {
        let store = try Self.make(kind)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write(source: "crm") { w in
                for var e in Self.base() { _ = try w.append(&e) }
                throw Boom()
            }
        }
        #expect(try store.count().values.reduce(0, +) == 0)
        // Nothing of the rolled-back write can be referenced afterwards.
        #expect(throws: StoreError.self) {
            try store.append(
                [
                    .deal(
                        Deal(
                            externalID: "D2", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: Self.t0,
                            amount: 1))
                ], source: "crm")
        }
    }

    @Test(arguments: Kind.allCases)
    func unknownReferencesAreRefused(_ kind: Kind) throws {
        let store = try Self.make(kind)
        var orphan = SalesEvent.deal(
            Deal(externalID: "D9", account: EntityRef("nope"), owner: EntityRef("ghost"), createdAt: Self.t0, amount: 1)
        )
        let outcome = try store.write(source: "crm") { try $0.append(&orphan) }
        #expect(
            outcome
                == .unresolved([
                    UnresolvedReference(field: "account_id", kind: .account, external: "nope"),
                    UnresolvedReference(field: "owner_id", kind: .rep, external: "ghost"),
                ]))
        #expect(try store.count()[.deal] ?? 0 == 0)
    }

    @Test(arguments: Kind.allCases)
    func listLookupsReturnDetailsNewestFirstWithinTheHalfOpenRange(_ kind: Kind) throws {
        let store = try Self.make(kind)
        var events = Self.base()
        for (i, offset) in [0, 3600, 7200, 86_400].enumerated() {
            var a = Activity(
                externalID: "C\(i)", rep: EntityRef("R1"), type: i == 2 ? .email : .call, at: Self.t0 + Int64(offset))
            a.durationSeconds = Int32(60 * (i + 1))
            if i == 0 {
                a.account = EntityRef("A1")
                a.outcome = "reached"
            }
            events.append(.activity(a))
        }
        try store.append(events, source: "crm")
        let rep = try #require(try store.makeEngine().rep(externalID: "R1")).id
        let deals = try store.dealDetails(ids: [1, 99])
        #expect(deals.count == 1)
        #expect(
            deals[1]
                == DealDetails(
                    externalID: "D1", account: "Client", amount: 500_000_00, product: nil, kind: .new,
                    createdAt: Self.t0))
        // [t0, t0 + 1 day): the fourth activity is at the end, so outside; newest first; calls only.
        let calls = try store.activities(reps: [rep], from: Self.t0, to: Self.t0 + 86_400, type: .call, limit: 10)
        #expect(calls.map(\.externalID) == ["C1", "C0"])
        #expect(
            calls.last?.account == "Client" && calls.last?.outcome == "reached" && calls.last?.durationSeconds == 60)
        #expect(
            try store.activities(reps: [rep], from: Self.t0, to: Self.t0 + 86_401, type: nil, limit: 2).map(
                \.externalID) == ["C3", "C2"])
        #expect(
            try store.activities(reps: [rep + 1], from: Self.t0, to: Self.t0 + 86_401, type: nil, limit: 10).isEmpty)
    }

    /// A call's evaluation corrected twice: each correction is kept in order, the evaluation holds the last numbers
    /// (so an engine rebuilt from the store has them), the analysis beside the transcript is the corrected one, the
    /// revision moved once per correction; only corrected calls are reviewed calls; a correction of an evaluation
    /// that is not stored stores nothing. The company's call models: the latest is in force.
    @Test(arguments: Kind.allCases)
    func aCorrectedCallKeepsItsCorrectionsAndItsNewNumbers(_ kind: Kind) throws {
        let store = try Self.makeDatabase(kind)
        var events = Self.base()
        for i in 0..<2 {
            events.append(.activity(Activity(externalID: "C\(i)", rep: EntityRef("R1"), type: .call, at: Self.t0)))
        }
        try store.append(events, source: "crm")
        var ids: [Int64] = []
        let measures = CallMeasures(
            repTalkSeconds: 60, clientTalkSeconds: 40, questions: 2, openQuestions: 1, stagesCovered: 2, stagesTotal: 5,
            nextStepAgreed: false)
        try store.write(source: "crm") { w in
            for i in 0..<2 {
                var e = Evaluation(
                    externalID: "speech:C\(i)", rep: EntityRef("R1"), at: Self.t0, score: 2, objectionsRaised: 1,
                    objectionsHandled: 0, call: measures)
                e.activity = EntityRef("C\(i)")
                var event = SalesEvent.evaluation(e)
                guard case .inserted(let id) = try w.append(&event) else { throw StoreError.schema("not inserted") }
                try w.attach(
                    CallTranscriptRecord(file: "c\(i).json", transcript: "{}", analysis: "machine"), toEvaluation: id)
                ids.append(id)
            }
        }
        let revision = try store.revision()
        let (call, _) = try #require(try store.analyzedCall(evaluationID: ids[0]))
        var corrected = Evaluation(
            externalID: "speech:C0", rep: EntityRef("R1", id: call.rep), at: Self.t0, score: 3, objectionsRaised: 1,
            objectionsHandled: 1, call: measures)
        corrected.id = ids[0]
        try store.write(source: "crm") { w in
            try w.correct(
                corrected, analysis: "first",
                by: CallCorrectionRecord(evaluationID: ids[0], at: Self.t0 + 10, userID: nil, correction: "{\"a\":1}"))
        }
        corrected.call!.nextStepAgreed = true
        corrected.score = 4
        try store.write(source: "crm") { w in
            try w.correct(
                corrected, analysis: "second",
                by: CallCorrectionRecord(evaluationID: ids[0], at: Self.t0 + 20, userID: nil, correction: "{\"b\":2}"))
        }
        #expect(throws: (any Error).self) {
            try store.write(source: "crm") { w in
                var missing = corrected
                missing.id = 999
                try w.correct(
                    missing, analysis: "x",
                    by: CallCorrectionRecord(evaluationID: 999, at: Self.t0, userID: nil, correction: "{}"))
            }
        }
        #expect(try store.revision() == revision + 2)
        #expect(try store.callCorrections(evaluationID: ids[0]).map(\.correction) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(try store.callCorrections(evaluationID: ids[1]).isEmpty)
        let (after, record) = try #require(try store.analyzedCall(evaluationID: ids[0]))
        #expect(
            after.score == 4 && after.objectionsHandled == 1 && after.measures.nextStepAgreed
                && record.analysis == "second")
        let reviewed = try store.reviewedCalls()
        #expect(reviewed.map(\.evaluationID) == [ids[0]] && reviewed[0].record.analysis == "second")
        // Rebuilt from the store: two calls, handled 1 of 2, one next step agreed, scores 4 + 2.
        let m = try store.makeEngine().measures(.company, Day.min, Day.max)
        #expect(m[.objectionsRaised] == 2 && m[.objectionsHandled] == 1 && m[.nextStepsAgreed] == 1)
        #expect(m[.argumentationSum] == 6)

        #expect(try store.callModels.latest() == nil)
        try store.callModels.save(StoredCallModel(trainedAt: Self.t0, model: "one", report: "{}"))
        try store.callModels.save(StoredCallModel(trainedAt: Self.t0 + 1, model: "two", report: "{}"))
        #expect(try store.callModels.latest()?.model == "two")
    }

    /// Rows that break the schema's rules, after `base()`: a negative amount, an unknown owner, an unknown role,
    /// an NPS above 10, a second D1 from the same source. Each database must refuse every one.
    static let ruleBreakingInserts = [
        "INSERT INTO deals (source, external_id, account_id, owner_id, created_at, amount, kind) VALUES "
            + "('crm','X',1,1,0,-5,'new')",
        "INSERT INTO deals (source, external_id, account_id, owner_id, created_at, amount, kind) VALUES "
            + "('crm','X',1,99,0,5,'new')",
        "INSERT INTO reps (source, external_id, name, role) VALUES ('crm','R2','x','ceo')",
        "INSERT INTO surveys (source, external_id, account_id, rep_id, at, nps) VALUES ('crm','S',1,1,0,11)",
        "INSERT INTO deals (source, external_id, account_id, owner_id, created_at, amount, kind) VALUES "
            + "('crm','D1',1,1,0,5,'new')",
    ]
    /// The control: a valid row, which the same connection must accept.
    static let validInsert =
        "INSERT INTO deals (source, external_id, account_id, owner_id, created_at, amount, kind) VALUES "
        + "('crm','OK',1,1,0,5,'new')"

    @Test func sqliteSchemaEnforcesTheRules() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).sqlite")
            .path
        let store = try SQLiteEventStore(path: path)
        try store.append(Self.base(), source: "crm")
        let raw = try DatabaseQueue(path: path)  // a second, writable connection (foreign keys on by default)
        for sql in Self.ruleBreakingInserts {
            #expect(throws: (any Error).self, "\(sql)") { try raw.write { db in try db.execute(sql: sql) } }
        }
        // The control: a valid row goes in through the same connection.
        try raw.write { db in
            try db.execute(sql: Self.validInsert)
        }
        #expect(try store.count()[.deal] == 2)
    }

    @Test func sqliteStorePersistsAcrossReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString).sqlite")
            .path
        do { try SQLiteEventStore(path: path).append(Self.base(), source: "crm") }
        let reopened = try SQLiteEventStore(path: path)
        #expect(try reopened.count()[.stageChange] == 1)
        #expect(try reopened.append(Self.base(), source: "crm").isEmpty)
    }
}
