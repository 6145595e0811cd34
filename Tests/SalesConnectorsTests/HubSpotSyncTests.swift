import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport
import Testing

/// `sync hubspot` against a local HubSpot account (TestSupport/Simulators): per owner, the store's numbers equal
/// the account's own data; a later sync reads only what changed; a stopped sync resumes; the 429s of its search
/// and ten-second limits are waited out, an expired token reported.
@Suite(.serialized) struct HubSpotSyncTests {
    static func connect(_ db: any SalesDatabase, _ url: String, token: String = "pat-na1-sim") throws
        -> HubSpotConnector
    {
        let settings = ConnectionSettings(baseURL: url, token: token, webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "hubspot", settings: try settings.json())
        return try HubSpotConnector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar(),
            backoff: .milliseconds(20), perSecond: 1_000)
    }

    @Test func aSyncedAccountHasItsOwnNumbersAndALaterSyncReadsOnlyWhatChanged() async throws {
        let sim = HubSpotSimulator(data: .company(deals: 430), enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let first = try await runner.run(try Self.connect(db, url))
        #expect(first.status == .ok, "\(first)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.makeEngine().activitiesByManager() == sim.data.activitiesByManager())
        #expect(try db.makeEngine().teams.values.map(\.name).sorted() == ["Enterprise", "Inside Sales"])
        var reasons = Set<String>()
        try db.replay { if case .stageChange(let c) = $0, let r = c.lostReason { reasons.insert(r) } }
        #expect(reasons == ["Price", "Went with a competitor", "No budget"])

        let quiet = try await runner.run(try Self.connect(db, url))
        #expect(quiet.stored == 0 && quiet.changed == 0, "\(quiet)")
        // One open deal won, another handed to Eva: the numbers move by exactly those two deals.
        let now = Int64(Date().timeIntervalSince1970) * 1000
        sim.change { d in
            let open = d.deals.indices.first { !["closedwon", "closedlost"].contains(d.deals[$0].stage) }!
            d.deals[open].stage = "closedwon"
            d.deals[open].history.append(("closedwon", now))
            d.deals[open].modified = now
            let moved = d.deals.indices.first { d.deals[$0].owner != 505 && $0 != open }!
            d.deals[moved].owner = 505
            d.deals[moved].modified = now
        }
        let later = try await runner.run(try Self.connect(db, url))
        #expect(later.changed == 1 && later.stored == 1, "\(later)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
    }

    @Test func aStoppedSyncResumesAndTheLimitsAreWaitedOut() async throws {
        let sim = HubSpotSimulator(data: .company(deals: 520, seed: 5), limitEvery: 3, enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        var stops = 0
        for pages in [1, 2, 4, 1, 3] {
            do {
                try await runner.run(Stopping(inner: try Self.connect(db, url), after: pages))
                break
            } catch is SyncFailure {
                stops += 1
            }
        }
        #expect(stops >= 3)
        try await runner.run(try Self.connect(db, url))
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())

        sim.expireToken()
        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, url)) }
        let c = try #require(try db.connections.connection(crm: "hubspot"))
        #expect(c.status == .failed && c.lastError?.contains("refused the token") == true, "\(c)")
        #expect(c.lastError?.contains("pat-na1-sim") == false)
    }

    /// Without `perSecond` raised, the connector keeps to HubSpot's 4 searches a second and 100 calls in 10
    /// seconds: a simulator enforcing both refuses next to nothing (a call held up on a busy machine, then sent
    /// close behind the next, may be one).
    @Test func theDocumentedRatesAreKept() async throws {
        let sim = HubSpotSimulator(data: .company(deals: 250, seed: 2))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let settings = ConnectionSettings(
            baseURL: url, token: sim.token, webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "hubspot", settings: try settings.json())
        let connector = try HubSpotConnector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar())
        let run = try await SyncRunner(db: db, calendar: CompanyCalendar()).run(connector)
        #expect(
            run.requests == sim.calls && sim.overLimit <= max(1, sim.calls / 50), "\(sim.overLimit) refused: \(run)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
    }

    /// Every third call refused with a 429: the sync finishes with the account's numbers, in half again as many
    /// calls as an unrefused one and no more.
    @Test func aLimitedAPIIsWaitedOutWithinItsBudget() async throws {
        let open = HubSpotSimulator(data: .company(deals: 300, seed: 6), enforcesRate: false)
        let openURL = try await open.start()
        defer { open.stop() }
        let needed = try await syncedStore { try Self.connect($0, openURL) }.run.requests
        let sim = HubSpotSimulator(data: .company(deals: 300, seed: 6), limitEvery: 3, enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let (run, db) = try await syncedStore { try Self.connect($0, url) }
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        expectWithinBudget(run, answered: sim.calls, needed: needed)
    }
}
