import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesPostgres
import SalesStorage

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure generation, import, engine rebuild, scorecard latency and memory, per store.",
        discussion: """
            saleskpi bench --reps 1000 --days 365 --seed 1                      about 10 million events, SQLite
            saleskpi bench --reps 100 --store sqlite --store postgres \\
                           --postgres-url postgres://saleskpi:…@127.0.0.1/saleskpi   both stores side by side
            Generates a bundle once, then for each store imports it into a new store (a new SQLite file; a new \
            database beside --postgres-url's, dropped afterwards), rebuilds the engine from the store (cold), times \
            the full department scorecard for the last whole quarter (warm) and reports p50/p99 and the engine's \
            memory per event. The process's peak memory covers the whole run.

            saleskpi bench --query-store sales.sqlite --period 2026-Q3 --json
            Only the department query of benchmarks/compare.py, on an already imported store: opens it (engine \
            snapshot plus the events after it), answers the query once (cold start), then --repeats times (warm); \
            prints the timings and every rep's numbers.
            """)

    enum Store: String, ExpressibleByArgument, CaseIterable { case sqlite, postgres }

    @Option(help: "Number of people.") var reps = 1000
    @Option(help: "Days of history.") var days = 365
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Scorecard repetitions for the latency figures.") var repeats = 200
    @Option(help: "The store to measure: sqlite or postgres; repeat the option for both, side by side.") var store:
        [Store] = [.sqlite]
    @Option(
        help: """
            A PostgreSQL server for --store postgres (SALESKPI_POSTGRES_URL): the bench makes a database of its own \
            there.
            """
    )
    var postgresURL = ProcessInfo.processInfo.environment["SALESKPI_POSTGRES_URL"]
    @Option(help: "Work folder (default: a temporary one, removed afterwards).") var dir: String?
    @Option(help: "Time only the department query on this imported SQLite store (see below).") var queryStore: String?
    @Option(help: "The quarter for --query-store, e.g. 2026-Q3.") var period = "2026-Q3"
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if store.contains(.postgres) && postgresURL == nil {
            throw ValidationError("--store postgres needs --postgres-url (or SALESKPI_POSTGRES_URL)")
        }
    }

    typealias Figure = (key: String, label: String, value: Double, unit: String)

    func run() throws {
        if let queryStore { return try runQuery(queryStore) }
        let work = dir ?? NSTemporaryDirectory() + "saleskpi-bench-\(ProcessInfo.processInfo.processIdentifier)"
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: work) } }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let end = CivilDate(year: 2026, month: 9, day: 30)
        let bundle = work + "/bundle"
        let bar = ProgressBar("generate")
        let (summary, genTime) = try Self.time {
            try DemoGenerator(reps: reps, days: days, seed: seed, end: end).write(to: bundle, progress: bar.update)
        }
        bar.finish()
        var columns: [(Store, [Figure])] = []
        for kind in store {
            let (db, cleanup) = try open(kind, work: work)
            defer { cleanup() }
            columns.append((kind, try measure(db, bundle: bundle, end: end, label: kind.rawValue)))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let common: [Figure] = [
            ("generate_events_per_s", "generation", Double(summary.events) / genTime, "events/s"),
            ("peak_rss_mb", "process peak memory", Double(usage.ru_maxrss) / 1024, "MiB"),
        ]
        if json { return try printJSON(columns, common) }
        printTable(columns, common)
    }

    private func printJSON(_ columns: [(Store, [Figure])], _ common: [Figure]) throws {
        var obj: [String: Any] = Dictionary(uniqueKeysWithValues: common.map { ($0.key, $0.value) })
        for (kind, figures) in columns {
            obj[kind.rawValue] = Dictionary(uniqueKeysWithValues: figures.map { ($0.key, $0.value) })
        }
        // One store: its figures also at the top level, as before `--store` existed.
        if columns.count == 1 { for f in columns[0].1 { obj[f.key] = f.value } }
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// A row per figure, a column per store.
    private func printTable(_ columns: [(Store, [Figure])], _ common: [Figure]) {
        let pad = { (s: String, n: Int) in s.padding(toLength: n, withPad: " ", startingAt: 0) }
        let show = { (v: Double) in pad(v >= 1000 ? String(format: "%.0f", v) : String(format: "%.2f", v), 12) }
        let width = 52
        print(pad("", width) + columns.map { pad($0.0.rawValue, 12) }.joined())
        for (i, f) in (columns.first?.1 ?? []).enumerated() {
            print(pad(f.label, width) + columns.map { show($0.1[i].value) }.joined() + f.unit)
        }
        for f in common { print(pad(f.label, width) + show(f.value) + f.unit) }
    }

    func runQuery(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no store file at \(path)") }
        let system = try KPISystemFile.standard()
        let catalog = try system.catalog()
        // Per rep: deals won, revenue, win rate, average deal, calls, meetings held, proposals, lead → deal.
        let kpis = catalog.kpis(at: .benchQuery)
        let quarter = try Period.resolve(period: period, from: nil, to: nil, fallback: Period(start: 0, end: 0))
        // Cold: open the store, load the engine, answer once.
        let ((engine, source, first), cold) = try Self.time {
            () -> (SalesEngine, EngineSnapshotFile.Source, KPIReport) in
            let store = try SQLiteEventStore(path: path)
            let (engine, source) = try EngineSnapshotFile.engine(of: store, calendar: system.calendar)
            return (engine, source, KPIReport(engine: engine, catalog: catalog, kpis: kpis, by: .rep, period: quarter))
        }
        var warm: [Double] = []
        for _ in 0..<max(1, repeats) {
            let (_, t) = Self.time {
                KPIReport(engine: engine, catalog: catalog, kpis: kpis, by: .rep, period: quarter)
            }
            warm.append(t)
        }
        warm.sort()
        let rows = first.rows.map { row -> [String: Any] in
            guard case .rep(let id) = row.slice else { return [:] }
            var out: [String: Any] = ["rep": engine.reps[id]?.externalID ?? ""]
            for (k, v) in zip(kpis, row.values) { out[k.id.rawValue] = v ?? NSNull() }
            return out
        }
        let sourceText: String
        switch source {
        case .snapshot(let n): sourceText = "snapshot + \(n) events replayed"
        case .fullReplay(let reason): sourceText = "full replay (\(reason))"
        }
        let obj: [String: Any] = [
            "cold_start_s": cold, "warm_query_s_median": warm[warm.count / 2], "warm_query_s_min": warm[0],
            "engine": sourceText, "events": engine.eventCount, "period": quarter.label, "rows": rows,
        ]
        if json {
            print(
                String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self)
            )
        } else {
            print("cold start (open + engine + first answer): \(String(format: "%.3f", cold)) s, \(sourceText)")
            print(
                "warm query median: \(String(format: "%.3f", warm[warm.count / 2] * 1000)) ms over \(warm.count) runs, "
                    + "\(rows.count) reps, \(engine.eventCount) events"
            )
        }
    }

    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let t = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        return (r, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
    }

    /// A new, empty store of this kind, and what removes it afterwards.
    func open(_ kind: Store, work: String) throws -> (any SalesDatabase, () -> Void) {
        switch kind {
        case .sqlite:
            let path = work + "/bench.sqlite"
            try? FileManager.default.removeItem(atPath: path)
            return (try SQLiteEventStore(path: path), {})
        case .postgres:
            let server = try PostgresLocation(url: postgresURL!)
            let name = "saleskpi_bench_\(ProcessInfo.processInfo.processIdentifier)"
            let url = try server.createDatabase(named: name, url: postgresURL!)
            return (try PostgresEventStore(url: url), { try? server.dropDatabase(named: name) })
        }
    }

    func measure(_ store: any SalesDatabase, bundle: String, end: CivilDate, label: String) throws -> [Figure] {
        let system = try KPISystemFile.standard()
        let importer = Importer(store: store, source: "bench", calendar: system.calendar)
        let bar = ProgressBar("import into \(label)")
        importer.progress = bar.update
        let (report, importTime) = try Self.time { try importer.run(bundle: bundle) }
        bar.finish()
        let events = report.totalInserted
        let (engine, rebuildTime) = try Self.time { try store.makeEngine(calendar: system.calendar) }
        let builder = ScorecardBuilder(engine: engine, system: system, catalog: try system.catalog())
        let quarter = Period.quarter(end.year, (end.month - 1) / 3 + 1)
        var latencies: [Double] = []
        var people = 0
        for _ in 0..<max(1, repeats) {
            let (cards, t) = Self.time { builder.department(quarter) }
            people = cards.count
            latencies.append(t * 1000)
        }
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * p))] }
        return [
            ("events", "events", Double(events), ""),
            ("import_events_per_s", "import", Double(events) / importTime, "events/s"),
            ("rebuild_events_per_s", "cold engine rebuild from the store", Double(events) / rebuildTime, "events/s"),
            ("scorecard_p50_ms", "warm department scorecard p50 (\(people) people, \(quarter.label))", pct(0.5), "ms"),
            ("scorecard_p99_ms", "warm department scorecard p99", pct(0.99), "ms"),
            (
                "engine_bytes_per_event", "engine memory per event",
                Double(engine.approximateBytes) / Double(max(1, events)), "bytes"
            ),
        ]
    }
}
