import Foundation
import SalesCore
import SalesStorage
import TestSupport
import Testing

/// `saleskpi sync` as a user runs it against the local CRMs. amoCRM: connected once, then killed with SIGKILL at random
/// points ten times and finally let to finish: the store's numbers are an uninterrupted sync's (the simulator's
/// own, computed from its data), and the token never appears in what the commands print.
@Suite(.serialized) struct SyncKillTests {
    @Test func aSyncKilledTenTimesThenCompletedHasTheSimulatorsNumbers() async throws {
        let sim = AmoCRMSimulator(data: .company(leads: 1_200, seed: 11))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = CLITests.tempDB()
        let connect = try CLITests.run([
            "connect", "amocrm", "--db", db, "--base-url", url, "--token", sim.token, "--lang", "en",
            "--public-url", "https://kpi.firm.ru",
        ])
        #expect(connect.status == 0, "\(connect.err)")
        #expect(
            connect.out.contains(
                "Webhook URL to paste into the CRM (docs/connectors.md): https://kpi.firm.ru/hooks/amocrm/"))
        #expect(!connect.out.contains(sim.token) && !connect.err.contains(sim.token))
        var killed = 0
        for _ in 0..<10 {
            let p = Process()
            p.executableURL = CLITests.binary
            p.arguments = ["sync", "amocrm", "--db", db]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...2_000)))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killed += 1
            }
            p.waitUntilExit()
        }
        #expect(killed >= 5)
        let done = try CLITests.run(["sync", "amocrm", "--db", db, "--lang", "en"])
        #expect(done.status == 0 && done.out.contains("Synced amocrm:"), "\(done.out) \(done.err)")
        #expect(!done.out.contains(sim.token) && !done.err.contains(sim.token))
        let store = try SQLiteEventStore(path: db)
        #expect(try store.makeEngine().figuresByManager() == sim.data.figuresByManager())
        #expect(try store.connections.connection(crm: "amocrm")?.status == .ok)
    }

    /// `sync bitrix24 --webhook-url …` with no stored connection: the flags make one, and the secret in the URL
    /// is shown nowhere; the portal's numbers arrive.
    @Test func aBitrix24SyncFromItsWebhookURLAlone() async throws {
        let sim = Bitrix24Simulator(data: .company(deals: 80, seed: 4))
        let url = try await sim.start()
        defer { sim.stop() }
        let db = CLITests.tempDB()
        let done = try CLITests.run(["sync", "bitrix24", "--db", db, "--webhook-url", url, "--lang", "en"])
        #expect(done.status == 0 && done.out.contains("Synced bitrix24:"), "\(done.out) \(done.err)")
        #expect(!done.out.contains(sim.secret) && !done.err.contains(sim.secret))
        let store = try SQLiteEventStore(path: db)
        #expect(try store.makeEngine().figuresByManager() == sim.data.figuresByManager())
        let wrong = try CLITests.run([
            "sync", "bitrix24", "--db", db, "--webhook-url", url.replacingOccurrences(of: sim.secret, with: "gone123"),
            "--lang", "en",
        ])
        #expect(wrong.status != 0 && wrong.err.contains("refused the token"), "\(wrong.err)")
        #expect(!wrong.err.contains("gone123"))
    }

    /// A simulated CRM as a user reaches it: started, with the flags `connect` takes and the figures its own data
    /// gives.
    struct Simulated {
        let url: String
        let token: String
        let flags: [String]
        let figures: @Sendable () -> [String: [Int64]]
        let stop: @Sendable () -> Void

        static func start(_ crm: String) async throws -> Simulated {
            switch crm {
            case "hubspot":
                let sim = HubSpotSimulator(data: .company(deals: 1_500, seed: 12))
                let url = try await sim.start()
                return Simulated(
                    url: url, token: sim.token, flags: ["--base-url", url], figures: { sim.data.figuresByManager() },
                    stop: sim.stop)
            case "pipedrive":
                let sim = PipedriveSimulator(data: .company(deals: 500, seed: 12))
                let url = try await sim.start()
                return Simulated(
                    url: url, token: sim.token, flags: ["--base-url", url], figures: { sim.data.figuresByManager() },
                    stop: sim.stop)
            default:
                let sim = SalesforceSimulator(data: .company(opportunities: 3_000, seed: 12), batchSize: 250)
                let url = try await sim.start()
                return Simulated(
                    url: url, token: sim.token, flags: ["--instance-url", url],
                    figures: { sim.data.figuresByManager(usdRate: 90) }, stop: sim.stop)
            }
        }
    }

    /// The same for HubSpot, Pipedrive and Salesforce, through `connect` with each one's own flags (Salesforce's
    /// USD opportunities converted at the `--rates` file's rate).
    @Test(arguments: ["hubspot", "pipedrive", "salesforce"])
    func eachCRMsSyncKilledTenTimesThenCompletedHasItsNumbers(_ crm: String) async throws {
        let sim = try await Simulated.start(crm)
        defer { sim.stop() }
        let db = CLITests.tempDB()
        let rates = NSTemporaryDirectory() + "rates-\(UUID().uuidString).csv"
        try "currency,date,rate\nUSD,2025-12-01,90\n".write(toFile: rates, atomically: true, encoding: .utf8)
        let connect = try CLITests.run(["connect", crm, "--db", db, "--token", sim.token, "--lang", "en"] + sim.flags)
        #expect(connect.status == 0, "\(connect.err)")
        #expect(!connect.out.contains(sim.token) && !connect.err.contains(sim.token))
        var killed = 0
        for _ in 0..<10 {
            let p = Process()
            p.executableURL = CLITests.binary
            p.arguments = ["sync", crm, "--db", db, "--rates", rates]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...1_200)))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killed += 1
            }
            p.waitUntilExit()
        }
        #expect(killed >= 3)
        let done = try CLITests.run(["sync", crm, "--db", db, "--rates", rates, "--lang", "en"])
        #expect(done.status == 0 && done.out.contains("Synced \(crm):"), "\(done.out) \(done.err)")
        #expect(!done.out.contains(sim.token) && !done.err.contains(sim.token))
        let store = try SQLiteEventStore(path: db)
        #expect(try store.makeEngine().figuresByManager() == sim.figures())
        #expect(try store.connections.connection(crm: crm)?.status == .ok)
    }
}
