// Measures the connectors against their local simulators, without the CRMs' rate limits, so that the time is the
// connector's and the store's own; prints the calls each sync took and the time the CRM's documented rate would
// add. swift run -c release sync-bench [DEALS]   (default 100 000)
import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import TestSupport

let deals = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
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

func report(_ crm: String, _ run: SyncRun, _ seconds: Double, rate: Double) {
    let atRate = Double(run.requests) / rate
    let line =
        "\(crm): \(deals) deals, \(run.fetched) records (\(run.stored) new) in \(String(format: "%.1f", seconds)) s, "
        + "\(run.requests) API calls; at the CRM's \(Int(rate)) calls/s: "
        + "\(String(format: "%.1f", atRate / 60)) min\n"
    FileHandle.standardOutput.write(Data(line.utf8))
}

let calendar = CompanyCalendar()
let amo = AmoCRMSimulator(data: .company(leads: deals), enforcesRate: false)
let amoURL = try await amo.start()
let (amoRun, amoSeconds) = try await measure("amocrm", amoURL) {
    try AmoCRMConnector(
        settings: $0, conversion: CurrencyConversion(company: "RUB"), calendar: calendar, perSecond: 1_000_000)
}
report("amocrm", amoRun, amoSeconds, rate: 7)
amo.stop()

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
try? FileManager.default.removeItem(atPath: dir)
