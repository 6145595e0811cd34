import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport
import Testing

/// `sync amocrm` against a local amoCRM (TestSupport/Simulators): the store's numbers per manager equal what
/// the simulator's own leads say, computed here from its data without the connector; a later sync reads only
/// what changed; a sync stopped part-way and resumed ends where an uninterrupted one does; a limited API and an
/// expired token are survived or reported.
@Suite(.serialized) struct AmoCRMSyncTests {
    static func connect(_ db: any SalesDatabase, _ url: String, token: String = "sim-token") throws -> AmoCRMConnector {
        let settings = ConnectionSettings(
            baseURL: url, token: token, webhookSecret: "s", stages: [:], currency: "RUB")
        try db.connections.save(crm: "amocrm", settings: try settings.json())
        return try AmoCRMConnector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar(),
            backoff: .milliseconds(20))
    }

    @Test func aSyncedCompanyHasTheSimulatorsNumbersAndALaterSyncReadsOnlyWhatChanged() async throws {
        let sim = AmoCRMSimulator(data: .company(leads: 620))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let first = try await runner.run(try Self.connect(db, url))
        #expect(first.status == .ok && first.stored > 620 * 2, "\(first)")
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.makeEngine().activitiesByManager() == sim.data.activitiesByManager())
        let teams = try db.makeEngine().teams.values.map(\.name).sorted()
        #expect(teams == ["Продажи Москва", "Продажи Санкт-Петербург"])

        // Nothing changed: nothing new, and far fewer calls than the first run.
        let quiet = try await runner.run(try Self.connect(db, url))
        #expect(quiet.stored == 0 && quiet.changed == 0, "\(quiet)")
        // One lead is won and another handed to Егор: the numbers move by exactly those two deals.
        let now = Int64(Date().timeIntervalSince1970)
        sim.change { d in
            let open = d.leads.indices.first { ![142, 143].contains(d.leads[$0].status) }!
            d.leads[open].status = 142
            d.leads[open].closedAt = now
            d.leads[open].updatedAt = now
            d.events.append(.init(id: "won-\(d.leads[open].id)", lead: d.leads[open].id, status: 142, at: now))
            let moved = d.leads.indices.first { d.leads[$0].responsible != 1006 && $0 != open }!
            d.leads[moved].responsible = 1006
            d.leads[moved].updatedAt = now
        }
        let later = try await runner.run(try Self.connect(db, url))
        #expect(later.changed == 1 && later.stored == 1, "\(later)")  // the reassigned deal; the win
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.connections.runs(crm: "amocrm", limit: 5).count == 3)
    }

    /// A sync stopped after every few pages and started again, until done, ends with an uninterrupted one's numbers.
    @Test func aSyncStoppedAndResumedEndsWhereAnUninterruptedOneDoes() async throws {
        let sim = AmoCRMSimulator(data: .company(leads: 900, seed: 7))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        var stops = 0
        for pages in [1, 2, 3, 1, 4, 2] {
            let stopping = Stopping(inner: try Self.connect(db, url), after: pages)
            do {
                try await runner.run(stopping)
                break
            } catch is SyncFailure {
                stops += 1
            }
        }
        #expect(stops >= 3)
        try await runner.run(try Self.connect(db, url))
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try db.connections.connection(crm: "amocrm")?.status == .ok)
    }

    @Test func aLimitedAPIIsWaitedOutAndAnExpiredTokenIsReported() async throws {
        // The calls one sync needs, from a simulator that never refuses.
        // Neither refuses above 7 a second: a call that arrives early under load would add a refusal of its own.
        let open = AmoCRMSimulator(data: .company(leads: 300, seed: 3), enforcesRate: false)
        let openURL = try await open.start()
        defer { open.stop() }
        let baseline = InMemoryDatabase()
        let needed = try await SyncRunner(db: baseline, calendar: CompanyCalendar()).run(
            try Self.connect(baseline, openURL)
        ).requests
        let sim = AmoCRMSimulator(data: .company(leads: 300, seed: 3), limitEvery: 3, enforcesRate: false)
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let runner = SyncRunner(db: db, calendar: CompanyCalendar())
        let run = try await runner.run(try Self.connect(db, url))
        #expect(try db.makeEngine().figuresByManager() == sim.data.figuresByManager())
        // Every third call refused and retried: half again as many calls as needed, and no more.
        #expect(run.requests == sim.calls && run.requests > needed && run.requests <= needed * 3 / 2 + 1, "\(run)")

        await #expect(throws: SyncFailure.self) { try await runner.run(try Self.connect(db, url, token: "expired")) }
        let c = try #require(try db.connections.connection(crm: "amocrm"))
        #expect(c.status == .failed && c.lastError?.contains("refused the token") == true, "\(c)")
        #expect(c.lastError?.contains("expired") == true && c.settings.contains("expired"))
        #expect(c.lastError?.contains("sim-token") == false)
    }

    /// An amoCRM export named its owners by name; the connection's rep map says which CRM user each is (one by
    /// e-mail, one by id): their deals count for those reps, who keep the export's names and team, and no second
    /// rep appears for either.
    @Test func aRepMapSendsTheCRMsUsersToTheRepsAnExportMade() async throws {
        let sim = AmoCRMSimulator(data: .company(leads: 240, seed: 4))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = InMemoryDatabase()
        let export: [SalesEvent] = [
            .team(Team(externalID: "Отдел продаж", name: "Отдел продаж")),
            .rep(
                Rep(
                    externalID: "Анна Смирнова", name: "Смирнова А. (выгрузка)", role: .ae,
                    team: EntityRef("Отдел продаж"))),
            .rep(Rep(externalID: "Борис Иванов", name: "Иванов Б. (выгрузка)", role: .ae)),
        ]
        _ = try SyncPage(label: "export", records: export, cursor: "").store(
            through: Importer(store: db, source: "amocrm", calendar: CompanyCalendar()))
        let settings = ConnectionSettings(
            baseURL: url, token: sim.token, webhookSecret: "s", stages: [:], currency: "RUB",
            reps: ["1001@FIRM.ru": "Анна Смирнова", "1002": "Борис Иванов"])
        try db.connections.save(crm: "amocrm", settings: try settings.json())
        let connector = try AmoCRMConnector(
            settings: settings, conversion: CurrencyConversion(company: "RUB"), calendar: CompanyCalendar(),
            backoff: .milliseconds(20))
        try await SyncRunner(db: db, calendar: CompanyCalendar()).run(connector)
        var expected = sim.data.figuresByManager()
        expected["Смирнова А. (выгрузка)"] = expected.removeValue(forKey: "Анна Смирнова")
        expected["Иванов Б. (выгрузка)"] = expected.removeValue(forKey: "Борис Иванов")
        let engine = try db.makeEngine()
        #expect(engine.figuresByManager() == expected)
        let anna = try #require(engine.repsByName.first { $0.name == "Смирнова А. (выгрузка)" })
        #expect(anna.teamID.flatMap { engine.teams[$0]?.name } == "Отдел продаж")
    }
}
