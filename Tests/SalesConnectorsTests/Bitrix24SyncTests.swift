import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport
import Testing

/// `sync bitrix24` against a local portal (TestSupport/Simulators): per manager, the store's numbers equal the
/// portal's own data; a later sync reads only what changed; a stopped sync resumes; the leaky bucket's 503s and
/// a wrong webhook secret are survived or reported.
@Suite(.serialized) struct Bitrix24SyncTests {
    static func connect(_ db: any SalesDatabase, _ url: String) throws -> Bitrix24Connector {
        let settings = ConnectionSettings(baseURL: url, token: "", webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "bitrix24", settings: try settings.json())
        return try Bitrix24Connector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar(),
            backoff: .milliseconds(20))
    }

    @Test func aSyncedPortalHasItsOwnNumbersAndALaterSyncReadsOnlyWhatChanged() async throws {
        let sim = Bitrix24Simulator(data: .company(deals: 230))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let first = try await runner.run(try Self.connect(db, url))
        #expect(first.status == .ok)
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.makeEngine().activitiesByManager() == sim.data.activitiesByManager())
        #expect(try db.makeEngine().teams.values.map(\.name).sorted() == ["Ключевые клиенты", "Отдел продаж"])
        // The loss reason is the failure stage's name.
        var reasons = Set<String>()
        try db.replay { if case .stageChange(let c) = $0, let r = c.lostReason { reasons.insert(r) } }
        #expect(reasons == ["Сделка провалена", "Анализ причины провала"])

        let quiet = try await runner.run(try Self.connect(db, url))
        #expect(quiet.stored == 0 && quiet.changed == 0, "\(quiet)")
        let now = Int64(Date().timeIntervalSince1970)
        sim.change { d in
            let open = d.deals.indices.first { !["WON", "LOSE", "APOLOGY"].contains(d.deals[$0].stage) }!
            d.deals[open].stage = "WON"
            d.deals[open].modified = now
            d.history.append(.init(id: d.history.count + 1, deal: d.deals[open].id, stage: "WON", at: now))
            let moved = d.deals.indices.first { d.deals[$0].assigned != 15 && $0 != open }!
            d.deals[moved].assigned = 15
            d.deals[moved].modified = now
        }
        let later = try await runner.run(try Self.connect(db, url))
        #expect(later.changed == 1 && later.stored == 1, "\(later)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
    }

    @Test func aStoppedSyncResumesAndTheBucketIsWaitedOut() async throws {
        let sim = Bitrix24Simulator(data: .company(deals: 250, seed: 9), limitEvery: 4)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        var stops = 0
        for pages in [1, 3, 2, 5] {
            do {
                try await runner.run(Stopping(inner: try Self.connect(db, url), after: pages))
                break
            } catch is SyncFailure {
                stops += 1
            }
        }
        #expect(stops >= 2)
        try await runner.run(try Self.connect(db, url))
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())

        let wrong = url.replacingOccurrences(of: sim.secret, with: "s3cr3tGONE")
        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, wrong)) }
        let c = try #require(try db.connections.connection(crm: "bitrix24"))
        #expect(c.status == .failed && c.lastError?.contains("refused the token") == true, "\(c)")
        #expect(c.lastError?.contains("s3cr3tGONE") == false && c.lastError?.contains(sim.secret) == false)
    }
}
