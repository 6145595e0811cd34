import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SalesCore
import SalesImport
import SalesServer
import SalesStorage
import Testing

/// An SDR's dashboard speaks of SQLs: their outlook is SQLs by the period's end, and no revenue forecast (an SDR
/// closes no deals) appears; a sales manager's keeps the revenue forecast.
@Suite struct SDRDashboardTests {
    /// A server over a fresh SQLite store holding `events`, with a rep sign-in per (login, rep external id).
    static func serve(_ events: [SalesEvent], logins: [(String, String)]) throws -> Router<AppContext> {
        let store = try SQLiteEventStore(path: NSTemporaryDirectory() + "dash-\(UUID().uuidString).sqlite")
        _ = try store.append(events, source: "crm")
        let live = try LiveEngine(store: store, system: try KPISystemFile.standard())
        let scheduler = ConnectorScheduler(live: live, connections: store.connections, logger: Logger(label: "test"))
        var settings = ServerSettings()
        settings.passwordCost = 4
        ServerMetrics.bootstrap()
        for (login, rep) in logins {
            _ = try store.users.add(
                UserAccount(
                    login: login, name: login, role: .rep, repExternalID: rep,
                    passwordHash: PasswordHasher(cost: 4).hash(ServerFixture.password)))
        }
        return buildRouter(live: live, stores: ServerStores(store), settings: settings, scheduler: scheduler)
    }

    @Test func anSDRSeesAnSQLOutlookAndNoRevenueForecast() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "North")),
            .rep(Rep(externalID: "S1", name: "Sofia", role: .sdr, team: EntityRef("T"))),
            .rep(Rep(externalID: "A1", name: "Anna", role: .ae, team: EntityRef("T"))),
        ]
        for i in 0..<6 {
            var lead = Lead(externalID: "L\(i)", owner: EntityRef("S1"), createdAt: now - Int64(i + 2) * 86_400)
            lead.qualifiedAt = now - Int64(i + 1) * 3_600
            events.append(.lead(lead))
        }
        let router = try Self.serve(events, logins: [("sofia", "S1"), ("anna", "A1")])
        try await Application(router: router).test(.router) { client in
            let (sofia, _) = try await client.signIn("sofia")
            let (status, page) = try await client.get("/", [.cookie: sofia])
            #expect(status == .ok)
            #expect(page.contains("id=\"sql-outlook\"") && !page.contains("id=\"forecast-card\""), "\(page)")
            // Six SQLs in the last hours: some expected by the period's end (SQLOutlookTests has the arithmetic).
            let expected = page.components(separatedBy: "id=\"sql-outlook\" data-expected=\"").dropFirst().first
                .flatMap { Double($0.prefix { $0 != "\"" }) }
            #expect((expected ?? 0) > 0, "\(expected ?? -1)")
            let (anna, _) = try await client.signIn("anna")
            let (_, hers) = try await client.get("/", [.cookie: anna])
            #expect(hers.contains("id=\"forecast-card\"") && !hers.contains("id=\"sql-outlook\""))
        }
    }
    /// An account manager's dashboard lists the clients due to buy again: Bolt bought 120 and 60 days ago (a
    /// 60-day rhythm), so it is due today, and a deal is open on it — shown as a pill, not as escaped markup.
    @Test func anAccountManagerSeesTheRenewalsDue() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "North")),
            .rep(Rep(externalID: "K1", name: "Kira", role: .am, team: EntityRef("T"))),
            .account(Account(externalID: "B", name: "Bolt")),
        ]
        for (i, daysAgo) in [120, 60, 5].enumerated() {
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef("B"), owner: EntityRef("K1"),
                        createdAt: now - Int64(daysAgo + 3) * 86_400, amount: 100_000_00)))
            if daysAgo > 5 {
                events.append(
                    .stageChange(
                        StageChange(
                            externalID: "W\(i)", deal: EntityRef("D\(i)"), stage: .won,
                            at: now - Int64(daysAgo) * 86_400)))
            }
        }
        let router = try Self.serve(events, logins: [("kira", "K1")])
        try await Application(router: router).test(.router) { client in
            let (kira, _) = try await client.signIn("kira")
            let (status, page) = try await client.get("/", [.cookie: kira])
            #expect(status == .ok)
            let panel = page.components(separatedBy: "id=\"renewals-panel\"").dropFirst().first ?? ""
            #expect(panel.contains("Bolt") && panel.contains("<span class=\"pill good\">"), "\(panel.prefix(600))")
            #expect(!panel.contains("&lt;span"))
        }
    }
}
