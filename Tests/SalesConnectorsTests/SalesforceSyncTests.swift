import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport
import Testing

/// `sync salesforce` against a local org (TestSupport/Simulators): per user, the store's numbers (USD converted at
/// the rate given) and activities equal the org's own data; a later sync reads only what changed; a stopped sync
/// resumes from its keyset; a single-currency org is read without `CurrencyIsoCode`; the daily budget stops a
/// sync before it is spent, and an expired session is reported.
@Suite(.serialized) struct SalesforceSyncTests {
    static let usdRate: Int64 = 90

    static func connect(_ db: any SalesDatabase, _ url: String, token: String) throws -> SalesforceConnector {
        let settings = ConnectionSettings(baseURL: url, token: token, webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "salesforce", settings: try settings.json())
        var rates = ExchangeRates(company: "RUB")
        rates.add("USD", day: CompanyCalendar().day(of: 0), rate: Double(usdRate))
        return try SalesforceConnector(
            settings: settings, conversion: CurrencyConversion(rates: rates), calendar: CompanyCalendar(),
            backoff: .milliseconds(20), perSecond: 1_000)
    }

    @Test func aSyncedOrgHasItsOwnNumbersAndALaterSyncReadsOnlyWhatChanged() async throws {
        let sim = SalesforceSimulator(data: .company(opportunities: 700), batchSize: 200)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let first = try await runner.run(try Self.connect(db, url, token: sim.token))
        #expect(first.status == .ok, "\(first)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager(usdRate: Self.usdRate))
        #expect(try db.makeEngine().activitiesByManager() == sim.data.activitiesByManager())
        #expect(try db.makeEngine().teams.values.map(\.name).sorted() == ["Field Sales", "Inside Sales"])
        // Every move keeps the forecast category it was made in: a row at Negotiation/Review is a Commit.
        let forecasts = try db.makeEngineAndHistory().1.deals.flatMap(\.forecasts)
        #expect(
            forecasts.filter { $0.category == "Commit" }.count
                == sim.data.history.filter { $0.stage == "Negotiation/Review" }.count)
        #expect(forecasts.allSatisfy { $0.close != nil })

        let quiet = try await runner.run(try Self.connect(db, url, token: sim.token))
        #expect(quiet.stored == 0 && quiet.changed == 0 && quiet.fetched < 20, "\(quiet)")
        // One open opportunity is won (a history row), another handed to Marco.
        let now = Int64(Date().timeIntervalSince1970)
        sim.change { d in
            let open = d.opportunities.indices.first { !d.opportunities[$0].stage.hasPrefix("Closed") }!
            d.opportunities[open].stage = "Closed Won"
            d.opportunities[open].stamp = now
            d.history.append(
                .init(
                    id: "0085g00000HNEW0001", opportunity: d.opportunities[open].id, stage: "Closed Won", created: now))
            let moved = d.opportunities.indices.first { d.opportunities[$0].owner != d.users[5].id && $0 != open }!
            d.opportunities[moved].owner = d.users[5].id
            d.opportunities[moved].stamp = now
        }
        let later = try await runner.run(try Self.connect(db, url, token: sim.token))
        #expect(later.changed == 1 && later.stored == 1, "\(later)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager(usdRate: Self.usdRate))
    }

    @Test func aStoppedSyncResumesFromItsKeysetAndASingleCurrencyOrgIsRead() async throws {
        var data = SalesforceSimulator.Data.company(opportunities: 600, seed: 8)
        data.multiCurrency = false
        for i in data.opportunities.indices { data.opportunities[i].currency = "RUB" }
        let sim = SalesforceSimulator(data: data, batchSize: 150, failEvery: 4)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        var stops = 0
        for pages in [1, 3, 2, 4, 2] {
            do {
                try await runner.run(Stopping(inner: try Self.connect(db, url, token: sim.token), after: pages))
                break
            } catch is SyncFailure {
                stops += 1
            }
        }
        #expect(stops >= 3)
        try await runner.run(try Self.connect(db, url, token: sim.token))
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager(usdRate: 1))

        sim.expireSession()
        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, url, token: sim.token)) }
        let c = try #require(try db.connections.connection(crm: "salesforce"))
        #expect(c.status == .failed && c.lastError?.contains("refused the token") == true, "\(c)")
        #expect(c.lastError?.contains("sim-session") == false)
    }

    /// An org that has spent 89.9 % of its daily API calls: the sync stops at 90 %, says why, and the next day
    /// (a fresh budget) goes on from where it stopped.
    @Test func theDailyBudgetStopsASyncBeforeItIsSpent() async throws {
        let data = SalesforceSimulator.Data.company(opportunities: 400, seed: 2)
        let tight = SalesforceSimulator(data: data, batchSize: 100, dailyLimit: 10_000, usedBefore: 8_990)
        let url = try await tight.start()
        defer { tight.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, url, token: tight.token)) }
        let c = try #require(try db.connections.connection(crm: "salesforce"))
        #expect(c.lastError?.contains("9000 of its 10000 API calls") == true, "\(c)")
        #expect(tight.calls == 10)

        let fresh = SalesforceSimulator(data: data, batchSize: 100)
        let freshURL = try await fresh.start()
        defer { fresh.stop() }
        try await runner.run(try Self.connect(db, freshURL, token: fresh.token))
        #expect(try db.makeEngine().figuresByManager() == data.figuresByManager(usdRate: Self.usdRate))
    }

    /// Every third call a 503: the sync finishes with the org's numbers, in half again as many calls as an
    /// unrefused one and no more.
    @Test func anUnavailableAPIIsWaitedOutWithinItsBudget() async throws {
        let data = SalesforceSimulator.Data.company(opportunities: 500, seed: 5)
        let open = SalesforceSimulator(data: data, batchSize: 100)
        let openURL = try await open.start()
        defer { open.stop() }
        let needed = try await syncedStore { try Self.connect($0, openURL, token: open.token) }.run.requests
        let sim = SalesforceSimulator(data: data, batchSize: 100, failEvery: 3)
        let url = try await sim.start()
        defer { sim.stop() }
        let (run, db) = try await syncedStore { try Self.connect($0, url, token: sim.token) }
        #expect(try db.makeEngine().figuresByManager() == data.figuresByManager(usdRate: Self.usdRate))
        expectWithinBudget(run, answered: sim.calls, needed: needed)
    }
}
