import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SalesConnectors
import SalesCore
import SalesImport
import SalesServer
import SalesStorage
import TestSupport
import Testing

/// amoCRM's webhook on a running server: a wrong secret is refused with nothing done; the right one syncs the
/// connection through the live engine, so the numbers (and open dashboards' version) move; the same delivery
/// twice counts once.
@Suite struct HookTests {
    /// amoCRM's status-change body, form-encoded as it sends it.
    static func statusHook(lead: Int64, status: Int64) -> String {
        "leads%5Bstatus%5D%5B0%5D%5Bid%5D=\(lead)&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=\(status)"
            + "&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=1&account%5Bsubdomain%5D=firm&account%5Bid%5D=1"
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// A server over a new SQLite store holding one connection, with the scheduler its webhooks ask.
    static func server(_ crm: String, _ settings: ConnectionSettings) throws -> (
        SQLiteEventStore, LiveEngine, ConnectorScheduler, Router<AppContext>
    ) {
        let store = try SQLiteEventStore(path: NSTemporaryDirectory() + "hooks-\(UUID().uuidString).sqlite")
        try store.connections.save(crm: crm, settings: try settings.json())
        let live = try LiveEngine(store: store, system: try KPISystemFile.standard())
        let scheduler = ConnectorScheduler(live: live, connections: store.connections, logger: Logger(label: "test"))
        var serverSettings = ServerSettings()
        serverSettings.passwordCost = 4
        ServerMetrics.bootstrap()
        let router = buildRouter(
            live: live, stores: ServerStores(store), settings: serverSettings, scheduler: scheduler)
        return (store, live, scheduler, router)
    }

    @Test func aWebhookSyncsTheConnectionAndARepeatCountsOnce() async throws {
        let sim = AmoCRMSimulator(data: .company(leads: 150, seed: 5))
        let url = try await sim.start()
        defer { sim.stop() }
        let (store, live, scheduler, router) = try Self.server(
            "amocrm",
            ConnectionSettings(
                baseURL: url, token: sim.token, webhookSecret: "0123456789abcdef", stages: [:], currency: "RUB"))
        _ = try store.users.add(
            UserAccount(
                login: "admin", name: "Admin", role: .admin, repExternalID: nil,
                passwordHash: PasswordHasher(cost: 4).hash(ServerFixture.password)))
        let form = Self.form
        let connections = store.connections
        try await Application(router: router).test(.router) { client in
            let refused = try await client.execute(
                uri: "/hooks/amocrm/wrong", method: .post, headers: form,
                body: ByteBuffer(string: Self.statusHook(lead: 20_001, status: 142))
            ) { $0.status }
            #expect(refused == .unauthorized)
            await scheduler.idle("amocrm")
            #expect(try connections.runs(crm: "amocrm", limit: 5).isEmpty && sim.calls == 0)

            let first = try await client.execute(
                uri: "/hooks/amocrm/0123456789abcdef", method: .post, headers: form,
                body: ByteBuffer(string: Self.statusHook(lead: 20_001, status: 103))
            ) { $0.status }
            #expect(first == .ok)
            await scheduler.idle("amocrm")
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
            let version = live.version

            // A lead is won in amoCRM; the webhook arrives twice.
            let now = Int64(Date().timeIntervalSince1970)
            sim.change { d in
                let i = d.leads.indices.first { ![142, 143].contains(d.leads[$0].status) }!
                d.leads[i].status = 142
                d.leads[i].closedAt = now
                d.leads[i].updatedAt = now
            }
            for _ in 0..<2 {
                _ = try await client.execute(
                    uri: "/hooks/amocrm/0123456789abcdef", method: .post, headers: form,
                    body: ByteBuffer(string: Self.statusHook(lead: 20_001, status: 142))
                ) { $0.status }
            }
            await scheduler.idle("amocrm")
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
            #expect(live.version > version)
            let won = live.read { $0.measures(.company, .min, .max)[.dealsWon] }
            #expect(won == Int64(sim.data.leads.filter { $0.status == 142 }.count))

            // The admin page shows the connection and its runs, never its token or webhook secret.
            let (cookie, csrf) = try await client.signIn("admin")
            let (status, page) = try await client.get("/admin/connections", [.cookie: cookie])
            #expect(status == .ok && page.contains("id=\"connection-amocrm\"") && page.contains("работает"), "\(page)")
            // Three runs: the first, and one per delivery of the win (the second asked for one more run).
            #expect(page.components(separatedBy: "<tr><td>").count - 1 == 3)
            #expect(!page.contains(sim.token) && !page.contains("0123456789abcdef"))
            var headers = form
            headers[.cookie] = cookie
            let sync = try await client.execute(
                uri: "/admin/connections/sync", method: .post, headers: headers,
                body: ByteBuffer(string: "_csrf=\(csrf)&crm=amocrm")
            ) { $0.headers[.location] }
            #expect(sync == "/admin/connections?notice=started")
            await scheduler.idle("amocrm")
            #expect(try connections.runs(crm: "amocrm", limit: 10).count == 4)
        }
    }

    /// Bitrix24's outbound webhook: the path's secret and the stored application token must both match.
    @Test func aBitrix24WebhookNeedsItsApplicationToken() async throws {
        let sim = Bitrix24Simulator(data: .company(deals: 60, seed: 2))
        let url = try await sim.start()
        defer { sim.stop() }
        let (_, live, scheduler, router) = try Self.server(
            "bitrix24",
            ConnectionSettings(
                baseURL: url, token: "", webhookSecret: "fedcba9876543210", stages: [:], currency: "RUB",
                hookToken: "app-token-1"))
        let form = Self.form
        let body = { @Sendable (token: String) in
            "event=ONCRMDEALUPDATE&event_handler_id=7&data%5BFIELDS%5D%5BID%5D=1001&ts=1767225600"
                + "&auth%5Bdomain%5D=firm.bitrix24.ru&auth%5Bmember_id%5D=abc&auth%5Bapplication_token%5D=\(token)"
        }
        try await Application(router: router).test(.router) { client in
            for (token, expected) in [("forged", HTTPResponse.Status.unauthorized), ("app-token-1", .ok)] {
                let status = try await client.execute(
                    uri: "/hooks/bitrix24/fedcba9876543210", method: .post, headers: form,
                    body: ByteBuffer(string: body(token))
                ) { $0.status }
                #expect(status == expected, "\(token)")
                await scheduler.idle("bitrix24")
                if expected == .unauthorized { #expect(sim.calls == 0) }
            }
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
        }
    }
}
