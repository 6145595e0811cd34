// Measures the connectors against their local simulators, without the CRMs' rate limits, so that the time is the
// connector's and the store's own; prints the calls each sync took and the time the CRM's documented rate would
// add. swift run -c release sync-bench [DEALS [CRM…]]   (default 100 000, every CRM)
import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport

let deals = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let chosen = Set(CommandLine.arguments.dropFirst(2))
/// Whether `crm` is measured in this run.
func runs(_ crm: String) -> Bool { chosen.isEmpty || chosen.contains(crm) }
let dir = NSTemporaryDirectory() + "sync-bench-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

/// One full sync into a new SQLite store: the run and its wall time.
func measure(_ crm: String, _ url: String, _ make: (ConnectionSettings) throws -> any CRMConnector) async throws
    -> (SyncRun, Double)
{
    let db = try SQLiteEventStore(path: "\(dir)/\(crm).sqlite")
    let settings = ConnectionSettings(
        baseURL: url, token: "sim-token", webhookSecret: "s", stages: [:], currency: "RUB")
    try db.connections.save(crm: crm, settings: try settings.json())
    let started = Date()
    var runner = SyncRunner(db: db, calendar: CompanyCalendar())
    runner.progress = { run, page in
        FileHandle.standardError.write(Data("\r\(crm): \(page), \(run.fetched) records, \(run.requests) calls   ".utf8))
    }
    let run = try await runner.run(try make(settings))
    FileHandle.standardError.write(Data("\n".utf8))
    return (run, Date().timeIntervalSince(started))
}

/// `rate`: the calls a second the connector keeps to (nil: the CRM has a daily budget, not a rate).
func report(_ crm: String, _ run: SyncRun, _ seconds: Double, rate: Double?) {
    let budget =
        rate.map { "at the CRM's \(Int($0)) calls/s: \(String(format: "%.1f", Double(run.requests) / $0 / 60)) min" }
        ?? "of a 100 000-call daily budget: \(String(format: "%.1f", Double(run.requests) / 1_000)) %"
    let line =
        "\(crm): \(deals) deals, \(run.fetched) records (\(run.stored) new) in \(String(format: "%.1f", seconds)) s, "
        + "\(run.requests) API calls; \(budget)\n"
    FileHandle.standardOutput.write(Data(line.utf8))
}

let calendar = CompanyCalendar()
if runs("amocrm") {
    let amo = AmoCRMSimulator(data: .company(leads: deals), enforcesRate: false)
    let amoURL = try await amo.start()
    let (amoRun, amoSeconds) = try await measure("amocrm", amoURL) {
        try AmoCRMConnector(
            settings: $0, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
    }
    report("amocrm", amoRun, amoSeconds, rate: 7)
    amo.stop()
}

if runs("bitrix24") {
    let b24 = Bitrix24Simulator(data: .company(deals: deals), enforcesRate: false)
    let b24URL = try await b24.start()
    let (b24Run, b24Seconds) = try await measure("bitrix24", b24URL) {
        var s = $0
        s.token = ""
        return try Bitrix24Connector(
            settings: s, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
    }
    report("bitrix24", b24Run, b24Seconds, rate: 2)
    b24.stop()
}

if runs("hubspot") {
    let hubspot = HubSpotSimulator(data: .company(deals: deals), enforcesRate: false)
    let hubspotURL = try await hubspot.start()
    let (hubspotRun, hubspotSeconds) = try await measure("hubspot", hubspotURL) {
        var s = $0
        s.token = hubspot.token
        return try HubSpotConnector(
            settings: s, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
    }
    report("hubspot", hubspotRun, hubspotSeconds, rate: 4)
    hubspot.stop()
}

if runs("pipedrive") {
    let pipedrive = PipedriveSimulator(data: .company(deals: deals), enforcesRate: false)
    let pipedriveURL = try await pipedrive.start()
    let (pipedriveRun, pipedriveSeconds) = try await measure("pipedrive", pipedriveURL) {
        var s = $0
        s.token = pipedrive.token
        return try PipedriveConnector(
            settings: s, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
    }
    report("pipedrive", pipedriveRun, pipedriveSeconds, rate: 9)
    pipedrive.stop()
}

if runs("salesforce") {
    var org = SalesforceSimulator.Data.company(opportunities: deals)
    for i in org.opportunities.indices { org.opportunities[i].currency = "RUB" }
    let salesforce = SalesforceSimulator(data: org, dailyLimit: .max)
    let salesforceURL = try await salesforce.start()
    let (salesforceRun, salesforceSeconds) = try await measure("salesforce", salesforceURL) {
        var s = $0
        s.token = salesforce.token
        return try SalesforceConnector(
            settings: s, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
    }
    report("salesforce", salesforceRun, salesforceSeconds, rate: nil)
    salesforce.stop()
}
try? FileManager.default.removeItem(atPath: dir)
