import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport
import Testing

/// `sync pipedrive` against a local Pipedrive company (TestSupport/Simulators): per user, the store's numbers and
/// activities equal the company's own data; a later sync reads only what changed; a stopped sync resumes; 429s
/// are waited out and the documented burst kept; a revoked token is reported.
@Suite(.serialized) struct PipedriveSyncTests {
    static func connect(_ db: any SalesDatabase, _ url: String, token: String = "pd-sim-token", fast: Bool = true)
        throws -> PipedriveConnector
    {
        let settings = ConnectionSettings(baseURL: url, token: token, webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "pipedrive", settings: try settings.json())
        return try PipedriveConnector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar(),
            backoff: .milliseconds(20), perSecond: fast ? 1_000 : 9)
    }

    @Test func aSyncedCompanyHasItsOwnNumbersAndALaterSyncReadsOnlyWhatChanged() async throws {
        let sim = PipedriveSimulator(data: .company(deals: 640), enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let first = try await runner.run(try Self.connect(db, url))
        #expect(first.status == .ok, "\(first)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.makeEngine().activitiesByManager() == sim.data.activitiesByManager())
        var reasons = Set<String>()
        try db.replay { if case .stageChange(let c) = $0, let r = c.lostReason { reasons.insert(r) } }
        #expect(reasons == ["Too expensive", "Chose a competitor", "No decision"])

        let quiet = try await runner.run(try Self.connect(db, url))
        #expect(quiet.stored == 0 && quiet.changed == 0, "\(quiet)")
        // One open deal moves to a proposal and is won; another is handed to Elif.
        let now = Int64(Date().timeIntervalSince1970)
        sim.change { d in
            let open = d.deals.indices.first { d.deals[$0].status == "open" && d.deals[$0].stage < 4 }!
            d.deals[open].moves.append((99_001, d.deals[open].stage, 4, now - 60))
            d.deals[open].stage = 4
            d.deals[open].status = "won"
            d.deals[open].closed = now
            d.deals[open].updated = now
            let moved = d.deals.indices.first { d.deals[$0].owner != 11_004 && $0 != open }!
            d.deals[moved].owner = 11_004
            d.deals[moved].updated = now
        }
        let later = try await runner.run(try Self.connect(db, url))
        #expect(later.changed == 1 && later.stored == 2, "\(later)")  // the reassigned deal; the move and the win
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
    }

    @Test func aStoppedSyncResumesAndTheBurstLimitIsKept() async throws {
        let sim = PipedriveSimulator(data: .company(deals: 700, seed: 3), limitEvery: 3, enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        var stops = 0
        for pages in [1, 2, 1, 3] {
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

        // At the connector's own pace a simulator enforcing 20 calls in 2 seconds refuses next to nothing (a call
        // held up on a busy machine, then sent close behind the next, may be one).
        let strict = PipedriveSimulator(data: .company(deals: 90, seed: 4))
        let strictURL = try await strict.start()
        defer { strict.stop() }
        let fresh = InMemoryDatabase()
        let run = try await SyncRunner(db: fresh, calendar: CompanyCalendar()).run(
            try Self.connect(fresh, strictURL, fast: false))
        #expect(
            run.requests == strict.calls && strict.overLimit <= max(1, strict.calls / 50),
            "\(strict.overLimit) refused: \(run)"
        )
        #expect(try fresh.makeEngine().figuresByManager() == strict.data.figuresByManager())

        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, url, token: "revoked")) }
        let c = try #require(try db.connections.connection(crm: "pipedrive"))
        #expect(c.status == .failed && c.lastError?.contains("refused the token") == true, "\(c)")
    }

    /// Every third call refused with a 429: the sync finishes with the company's numbers, in half again as many
    /// calls as an unrefused one and no more.
    @Test func aLimitedAPIIsWaitedOutWithinItsBudget() async throws {
        let open = PipedriveSimulator(data: .company(deals: 200, seed: 8), enforcesRate: false)
        let openURL = try await open.start()
        defer { open.stop() }
        let needed = try await syncedStore { try Self.connect($0, openURL) }.run.requests
        let sim = PipedriveSimulator(data: .company(deals: 200, seed: 8), limitEvery: 3, enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let (run, db) = try await syncedStore { try Self.connect($0, url) }
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        expectWithinBudget(run, answered: sim.calls, needed: needed)
    }
}
