import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesStorage

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure generation, import, engine rebuild, scorecard latency and memory.",
        discussion: """
            saleskpi bench --reps 1000 --days 365 --seed 1      about 10 million events
            Generates a bundle, imports it into a new SQLite file, rebuilds the engine from the store \
            (cold), then times the full department scorecard for the last whole quarter (warm) and \
            reports p50/p99, the engine's memory per event and the process's peak memory.
            """)

    @Option(help: "Number of people.") var reps = 1000
    @Option(help: "Days of history.") var days = 365
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Scorecard repetitions for the latency figures.") var repeats = 200
    @Option(help: "Work folder (default: a temporary one, removed afterwards).") var dir: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let work = dir ?? NSTemporaryDirectory() + "saleskpi-bench-\(ProcessInfo.processInfo.processIdentifier)"
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: work) } }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let system = try KPISystemFile.standard()
        func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
            let t = DispatchTime.now().uptimeNanoseconds
            let r = try body()
            return (r, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        }
        let end = CivilDate(year: 2026, month: 9, day: 30)
        let bundle = work + "/bundle", dbPath = work + "/bench.sqlite"
        let bar = ProgressBar("generate")
        let (summary, genTime) = try time { try DemoGenerator(reps: reps, days: days, seed: seed, end: end).write(to: bundle, progress: bar.update) }
        bar.finish()
        try? FileManager.default.removeItem(atPath: dbPath)
        let store = try SQLiteEventStore(path: dbPath)
        let importer = Importer(store: store, source: "bench", calendar: system.calendar)
        let bar2 = ProgressBar("import")
        importer.progress = bar2.update
        let (report, importTime) = try time { try importer.run(bundle: bundle) }
        bar2.finish()
        let events = report.totalInserted
        let (engine, rebuildTime) = try time { try store.makeEngine(calendar: system.calendar) }
        let catalog = try system.catalog()
        let builder = ScorecardBuilder(engine: engine, system: system, catalog: catalog)
        let quarter = Period.quarter(end.year, (end.month - 1) / 3 + 1)
        var latencies: [Double] = []
        var people = 0
        for _ in 0..<max(1, repeats) {
            let (cards, t) = time { builder.department(quarter) }
            people = cards.count
            latencies.append(t * 1000)
        }
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * p))] }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024
        let figures: [(String, String, Double, String)] = [
            ("events", "events", Double(events), ""),
            ("generate_events_per_s", "generation", Double(summary.events) / genTime, "events/s"),
            ("import_events_per_s", "import into SQLite", Double(events) / importTime, "events/s"),
            ("rebuild_events_per_s", "cold engine rebuild", Double(events) / rebuildTime, "events/s"),
            ("scorecard_p50_ms", "warm department scorecard p50 (\(people) people, \(quarter.label))", pct(0.5), "ms"),
            ("scorecard_p99_ms", "warm department scorecard p99", pct(0.99), "ms"),
            ("engine_bytes_per_event", "engine memory per event", Double(engine.approximateBytes) / Double(max(1, events)), "bytes"),
            ("peak_rss_mb", "process peak memory", peakMB, "MiB"),
        ]
        if json {
            let obj = Dictionary(uniqueKeysWithValues: figures.map { ($0.0, $0.2) })
            print(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
        } else {
            for f in figures {
                let v = f.2 >= 1000 ? String(format: "%.0f", f.2) : String(format: "%.2f", f.2)
                print("\(f.1.padding(toLength: 58, withPad: " ", startingAt: 0)) \(v) \(f.3)")
            }
        }
    }
}
