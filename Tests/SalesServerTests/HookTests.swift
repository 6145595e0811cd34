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
        let (store, live, scheduler, router) = try Self.server(
            "bitrix24",
            ConnectionSettings(
                baseURL: url, token: "", webhookSecret: "fedcba9876543210", stages: [:], currency: "RUB",
                hookToken: "app-token-1"))
        _ = try store.users.add(
            UserAccount(
                login: "admin", name: "Admin", role: .admin, repExternalID: nil,
                passwordHash: PasswordHasher(cost: 4).hash(ServerFixture.password)))
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
            // A deal is won in the portal: its ONCRMDEALUPDATE brings the win, and only it.
            let now = Int64(Date().timeIntervalSince1970)
            sim.change { d in
                let i = d.deals.indices.first { !["WON", "LOSE", "APOLOGY"].contains(d.deals[$0].stage) }!
                d.deals[i].stage = "WON"
                d.deals[i].modified = now
                d.history.append(.init(id: d.history.count + 1, deal: d.deals[i].id, stage: "WON", at: now))
            }
            let before = live.read { $0.measures(.company, .min, .max)[.dealsWon] }
            _ = try await client.execute(
                uri: "/hooks/bitrix24/fedcba9876543210", method: .post, headers: form,
                body: ByteBuffer(string: body("app-token-1"))
            ) { $0.status }
            await scheduler.idle("bitrix24")
            #expect(live.read { $0.measures(.company, .min, .max)[.dealsWon] } == before + 1)
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
            // The inbound webhook's URL is its credential: the page shows the portal, not the URL.
            let (cookie, _) = try await client.signIn("admin")
            let (status, page) = try await client.get("/admin/connections", [.cookie: cookie])
            #expect(status == .ok && page.contains("http://127.0.0.1:"), "\(page)")
            #expect(!page.contains(sim.secret) && !page.contains("app-token-1"))
        }
    }

    /// HubSpot's signed batches: a bad signature or a stale timestamp is refused; a signed one syncs; the same
    /// batch again (HubSpot retries) starts no sync; a batch of events out of order syncs what changed.
    @Test func aHubSpotWebhookIsCheckedByItsSignatureAndARepeatedBatchStartsNoSync() async throws {
        let sim = HubSpotSimulator(data: .company(deals: 80, seed: 4))
        let url = try await sim.start()
        defer { sim.stop() }
        let (store, live, scheduler, router) = try Self.server(
            "hubspot",
            ConnectionSettings(
                baseURL: url, token: sim.token, webhookSecret: "a1b2c3d4e5f60718", stages: [:], currency: "RUB",
                hookToken: sim.clientSecret))
        let path = "/hooks/hubspot/a1b2c3d4e5f60718"
        let event = { @Sendable (id: Int, deal: Int64, stage: String) -> [String: Any] in
            [
                "eventId": id, "subscriptionId": 12, "portalId": 62515, "appId": 99, "occurredAt": 1_767_225_600_000,
                "subscriptionType": "deal.propertyChange", "attemptNumber": 0, "objectId": deal,
                "propertyName": "dealstage", "propertyValue": stage, "changeSource": "CRM_UI",
            ]
        }
        let send = { @Sendable (client: any TestClientProtocol, events: [[String: Any]], ms: Int64, forge: Bool) in
            var (body, headers) = sim.webhook(events, to: "https://kpi.firm.example" + path, at: ms)
            if forge { headers["X-HubSpot-Signature-v3"] = "AAAA" + (headers["X-HubSpot-Signature-v3"] ?? "") }
            // Behind the company's proxy, as a server reached from HubSpot is.
            var fields: HTTPFields = [HTTPField.Name("X-Forwarded-Host")!: "kpi.firm.example"]
            for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
            return try await client.execute(
                uri: path, method: .post, headers: fields, body: ByteBuffer(bytes: body)
            ) { $0.status }
        }
        let now = Int64(Date().timeIntervalSince1970) * 1000
        let connections = store.connections
        try await Application(router: router).test(.router) { client in
            #expect(try await send(client, [event(1, 70_001, "closedwon")], now, true) == .unauthorized)
            #expect(try await send(client, [event(1, 70_001, "closedwon")], now - 360_000, false) == .unauthorized)
            await scheduler.idle("hubspot")
            #expect(sim.calls == 0)

            #expect(try await send(client, [event(1, 70_001, "closedwon")], now, false) == .ok)
            await scheduler.idle("hubspot")
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())

            // A deal is won; HubSpot sends its events in one batch (the later one first), then retries it.
            let won = sim.data.deals.first { !["closedwon", "closedlost"].contains($0.stage) }!.id
            sim.change { d in
                let i = d.deals.firstIndex { $0.id == won }!
                d.deals[i].history += [("contractsent", now - 1_000), ("closedwon", now)]
                d.deals[i].stage = "closedwon"
                d.deals[i].modified = now
            }
            let batch = [event(3, won, "closedwon"), event(2, won, "contractsent")]
            #expect(try await send(client, batch, now, false) == .ok)
            await scheduler.idle("hubspot")
            let runs = try connections.runs(crm: "hubspot", limit: 10).count
            #expect(try await send(client, batch, now + 5_000, false) == .ok)
            await scheduler.idle("hubspot")
            #expect(try connections.runs(crm: "hubspot", limit: 10).count == runs)
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
        }
    }

    /// Pipedrive does not sign: its webhook carries the HTTP Basic credentials set on it. Wrong ones are refused;
    /// a v2 `change` with the right ones syncs the move it reports.
    @Test func aPipedriveWebhookNeedsItsBasicCredentials() async throws {
        let sim = PipedriveSimulator(data: .company(deals: 70, seed: 6))
        let url = try await sim.start()
        defer { sim.stop() }
        let (store, live, scheduler, router) = try Self.server(
            "pipedrive",
            ConnectionSettings(
                baseURL: url, token: sim.token, webhookSecret: "5f4e3d2c1b0a9988", stages: [:], currency: "RUB",
                hookToken: "basic-pass-1"))
        let path = "/hooks/pipedrive/5f4e3d2c1b0a9988"
        let connections = store.connections
        try await Application(router: router).test(.router) { client in
            let deal = sim.data.deals.first { $0.status == "open" }!.id
            for (n, (password, expected)) in [("guess", HTTPResponse.Status.unauthorized), ("basic-pass-1", .ok)]
                .enumerated()
            {
                let now = Int64(Date().timeIntervalSince1970)
                sim.change { d in
                    let i = d.deals.firstIndex { $0.id == deal }!
                    d.deals[i].moves.append((Int64(90_000 + n), d.deals[i].stage, 4 + Int64(n), now))
                    d.deals[i].stage = 4 + Int64(n)
                    d.deals[i].updated = now
                }
                let (body, headers) = sim.webhook(
                    deal: deal, previous: ["stage_id": 1], user: "saleskpi", password: password)
                var fields = HTTPFields()
                for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
                let status = try await client.execute(
                    uri: path, method: .post, headers: fields, body: ByteBuffer(bytes: body)
                ) { $0.status }
                #expect(status == expected, "\(password)")
                await scheduler.idle("pipedrive")
                if expected == .unauthorized { #expect(sim.calls == 0) }
            }
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager())
            let c = try connections.connection(crm: "pipedrive")
            #expect(c?.status == .ok, "\(c?.lastError ?? "")")
        }
    }

    /// Salesforce's Outbound Message: another organisation's is refused; the org's own is answered with the SOAP
    /// `Ack` (else Salesforce sends it again for a day) and syncs; the same notifications again start no sync.
    @Test func aSalesforceOutboundMessageIsAcknowledgedAndChecked() async throws {
        var data = SalesforceSimulator.Data.company(opportunities: 60, seed: 3)
        for i in data.opportunities.indices { data.opportunities[i].currency = "RUB" }  // the server has no rates
        let sim = SalesforceSimulator(data: data)
        let url = try await sim.start()
        defer { sim.stop() }
        let (store, live, scheduler, router) = try Self.server(
            "salesforce",
            ConnectionSettings(
                baseURL: url, token: sim.token, webhookSecret: "99aa88bb77cc66dd", stages: [:], currency: "RUB",
                hookToken: String(sim.data.organization.prefix(15))))
        let path = "/hooks/salesforce/99aa88bb77cc66dd"
        let connections = store.connections
        let soap: HTTPFields = [.contentType: "text/xml; charset=utf-8", HTTPField.Name("SOAPAction")!: "\"\""]
        try await Application(router: router).test(.router) { client in
            let ids = Array(sim.data.opportunities.prefix(2).map(\.id))
            let foreign = try await client.execute(
                uri: path, method: .post, headers: soap,
                body: ByteBuffer(string: sim.outboundMessage(ids, organization: "00D000000000OTHER"))
            ) { $0.status }
            #expect(foreign == .unauthorized)
            await scheduler.idle("salesforce")
            #expect(sim.calls == 0)

            let (status, ack) = try await client.execute(
                uri: path, method: .post, headers: soap, body: ByteBuffer(string: sim.outboundMessage(ids))
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(status == .ok && ack.contains("<Ack>true</Ack>"), "\(ack)")
            await scheduler.idle("salesforce")
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager(usdRate: 1))

            // An opportunity is won; its workflow sends a new message: the win arrives, and only it.
            let now = Int64(Date().timeIntervalSince1970)
            let won = sim.data.opportunities.first { !$0.stage.hasPrefix("Closed") }!.id
            sim.change { d in
                let i = d.opportunities.firstIndex { $0.id == won }!
                d.opportunities[i].stage = "Closed Won"
                d.opportunities[i].stamp = now
                d.history.append(.init(id: "0085g00000HHOOK001", opportunity: won, stage: "Closed Won", created: now))
            }
            let before = live.read { $0.measures(.company, .min, .max)[.dealsWon] }
            _ = try await client.execute(
                uri: path, method: .post, headers: soap, body: ByteBuffer(string: sim.outboundMessage([won], batch: 1))
            ) { $0.status }
            await scheduler.idle("salesforce")
            #expect(live.read { $0.measures(.company, .min, .max)[.dealsWon] } == before + 1)
            #expect(live.read { $0.figuresByManager() } == sim.data.figuresByManager(usdRate: 1))
            // Salesforce resends a message it thinks was lost: no sync.
            let runs = try connections.runs(crm: "salesforce", limit: 10).count
            _ = try await client.execute(
                uri: path, method: .post, headers: soap, body: ByteBuffer(string: sim.outboundMessage([won], batch: 1))
            ) { $0.status }
            await scheduler.idle("salesforce")
            #expect(try connections.runs(crm: "salesforce", limit: 10).count == runs)
        }
    }
}
