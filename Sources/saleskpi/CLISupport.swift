import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesPostgres
import SalesSpeech
import SalesStorage

struct LanguageOption: ParsableArguments {
    @Option(help: "Language of names and messages: ru or en (default: from SALESKPI_LANG or LANG).")
    var lang: Language?

    var language: Language { lang ?? Language.fromEnvironment() }
}

extension Language: ExpressibleByArgument {}
extension ReportTable.Format: ExpressibleByArgument {}
extension Slice.Kind: ExpressibleByArgument {}

struct StoreOptions: ParsableArguments {
    @Option(help: "The store: a SQLite file (created if absent; SALESKPI_DB), or a postgres:// URL.")
    var db = ProcessInfo.processInfo.environment["SALESKPI_DB"] ?? "saleskpi.sqlite"
    @Option(
        help: """
            A PostgreSQL store instead of the file: postgres://user:password@host:5432/database[?sslmode=require] \
            (SALESKPI_POSTGRES_URL). docs/scaling.md
            """
    )
    var postgresURL = ProcessInfo.processInfo.environment["SALESKPI_POSTGRES_URL"]

    /// What `--db` or `--postgres-url` name, as messages may show it (no password).
    var location: String {
        let given = postgresURL ?? db
        return Self.isPostgres(given) ? (try? PostgresLocation(url: given))?.description ?? "postgres://…" : given
    }

    func open() throws -> any SalesDatabase { try Self.open(postgresURL ?? db) }

    static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// `postgres://…` or `postgresql://…` opens PostgreSQL; `sqlite:FILE` or a plain path opens a SQLite file.
    static func open(_ location: String) throws -> any SalesDatabase {
        if isPostgres(location) { return try PostgresEventStore(url: location) }
        return try SQLiteEventStore(
            path: location.hasPrefix("sqlite:") ? String(location.dropFirst("sqlite:".count)) : location)
    }
}

/// The engine of a store: for a SQLite file, its snapshot plus what was stored after it (`EngineSnapshotFile`),
/// else every event replayed.
func openEngine(_ db: any SalesDatabase, calendar: CompanyCalendar) throws -> SalesEngine {
    try snapshotEngine(db, calendar: calendar) ?? db.makeEngine(calendar: calendar)
}

/// A SQLite store's engine from its snapshot plus what was stored after it; nil for a store without snapshots.
func snapshotEngine(_ db: any SalesDatabase, calendar: CompanyCalendar) throws -> SalesEngine? {
    try (db as? SQLiteEventStore).map { try EngineSnapshotFile.engine(of: $0, calendar: calendar).0 }
}

/// The engine's snapshot beside a SQLite store, brought up to date after a write (import, sync): later commands
/// replay only what is stored after it. `current`: an engine already holding exactly what the store holds.
func refreshSnapshot(
    _ db: any SalesDatabase, changed: Bool, _ system: KPISystem, _ lang: Language, current: SalesEngine? = nil
) throws {
    guard let file = db as? SQLiteEventStore else { return }
    let started = Date()
    if let current {
        try EngineSnapshotFile.save(current, of: file)
    } else {
        let (engine, source) = try EngineSnapshotFile.engine(of: file, calendar: system.calendar)
        if changed || source != .snapshot(replayed: 0) { try EngineSnapshotFile.save(engine, of: file) }
    }
    let took = String(format: "%.1f", Date().timeIntervalSince(started))
    print(lang.message("cli.import.snapshot", ["path": "\(EngineSnapshotFile.path(for: file))", "took": "\(took)"]))
}

/// A store opened to answer a question about numbers: its KPI system, catalog and engine, and the period asked.
struct OpenedStore {
    let db: any SalesDatabase
    let system: KPISystem
    let catalog: KPICatalog
    let engine: SalesEngine
    let period: Period

    init(_ store: StoreOptions, _ config: ConfigOption, _ period: PeriodOptions, lang: Language) throws {
        let db = try store.open()
        self.db = db
        system = try reportFailures(lang) { try config.load(store: db).system }
        catalog = try system.catalog()
        engine = try openEngine(db, calendar: system.calendar)
        self.period = try period.resolve(engine: engine, lang: lang)
    }
}

/// A store opened to look ahead (forecast, advice, what-if): as `OpenedStore`, with the deal history the
/// forecaster learns from, the instant it stands at (now, unless told) and the period — that instant's month
/// unless asked.
struct ForecastingStore {
    let db: any SalesDatabase
    let system: KPISystem
    let engine: SalesEngine
    let history: DealHistory
    let now: Timestamp
    let period: Period

    init(
        _ store: StoreOptions, _ config: ConfigOption, _ period: PeriodOptions, lang: Language,
        at instant: (CompanyCalendar) throws -> Timestamp = { _ in Timestamp(Date().timeIntervalSince1970) }
    ) throws {
        let db = try store.open()
        self.db = db
        system = try reportFailures(lang) { try config.load(store: db).system }
        (engine, history) = try db.makeEngineAndHistory(calendar: system.calendar)
        now = try instant(system.calendar)
        let month = CivilDate(system.calendar.day(of: now))
        self.period =
            period.period == nil && period.from == nil
            ? Period.month(month.year, month.month) : try period.resolve(engine: engine, lang: lang)
    }

    /// The tables the API and the pages answer from, as of now — or the period's end, if it is over.
    func insights(_ lang: Language) throws -> InsightTables {
        let asOf = min(now, system.calendar.start(of: period.end))
        return InsightTables(
            engine: engine, forecaster: SalesForecaster(engine: engine, history: history, asOf: asOf), system: system,
            catalog: try system.catalog(), lang: lang)
    }
}

struct ConfigOption: ParsableArguments {
    @Option(
        help: """
            The KPI system (YAML): roles, KPIs, weights, targets, bonus. Default: the one last saved on the admin \
            page of the store, else the built-in one from the seeds (see `saleskpi lint --print-default`).
            """
    )
    var config: String?

    /// The KPI system in force and its text: `--config`, else the store's saved version, else the built-in one.
    func load(store: (any SalesDatabase)? = nil) throws -> (system: KPISystem, yaml: String) {
        try Self.load(config: config, store: store)
    }

    /// Static, for commands without the option (an unparsed option group cannot be read).
    static func load(config: String?, store: (any SalesDatabase)?) throws -> (system: KPISystem, yaml: String) {
        if let config {
            return (try KPISystemFile.load(config), (try? String(contentsOfFile: config, encoding: .utf8)) ?? "")
        }
        if let saved = try store?.kpiSystems.latest() {
            return (try KPISystemFile.parse(saved, file: KPISystemFile.savedName), saved)
        }
        return (try KPISystemFile.standard(), KPISystemFile.defaultText)
    }
}

struct PeriodOptions: ParsableArguments {
    @Option(help: "The period: 2017, 2017-Q2, 2017-04, or 2017-04-01..2017-07-01 (end exclusive).")
    var period: String?
    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: String?
    @Option(help: "The day after the period, YYYY-MM-DD (periods are half-open: --to 2017-07-01 ends on June 30).")
    var to: String?

    /// The chosen period; all the data's days if nothing was chosen.
    func resolve(engine: SalesEngine, lang: Language) throws -> Period {
        do {
            return try Period.resolve(
                period: period, from: from, to: to, fallback: engine.allTime ?? Period(start: 0, end: 0))
        } catch {
            throw CLIError(error.message(lang))
        }
    }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output: table, csv, json or xlsx.")
    var format: ReportTable.Format = .table
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output (required for xlsx).")
    var output: String?

    func emit(_ table: ReportTable, sheet: String, lang: Language) throws {
        let data: Data
        switch format {
        case .table: data = Data(table.text().utf8)
        case .csv: data = Data(table.csv().utf8)
        case .json: data = Data(table.json().utf8)
        case .xlsx:
            guard output != nil else {
                throw CLIError(
                    lang.message("cli.xlsx_needs_file"))
            }
            data = try table.xlsx(sheet: sheet)
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

/// A message for the user, printed without a stack of types.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A one-line progress bar on standard error, drawn only on a terminal: the share done and, once a couple of
/// seconds have passed, the time left at the pace so far and (given a count) records a second.
final class ProgressBar {
    let title: String
    let lang: Language
    private var last = -1
    private let enabled = isatty(2) == 1
    private let started = Date()
    init(_ title: String, lang: Language = .en) {
        self.title = title
        self.lang = lang
    }
    func update(_ fraction: Double) { update(fraction, count: nil) }

    func update(_ fraction: Double, count: Int?) {
        guard enabled else { return }
        let share = min(1, max(0, fraction))
        let pct = Int(share * 100)
        guard pct != last else { return }
        last = pct
        let filled = pct * 30 / 100
        var line =
            "\r\(title) [\(String(repeating: "█", count: filled))\(String(repeating: "·", count: 30 - filled))] \(pct)%"
        let elapsed = Date().timeIntervalSince(started)
        if elapsed >= 2, share > 0, share < 1 {
            if let count {
                let rate = ReportNumber.grouped((Double(count) / elapsed).rounded())
                line += " · " + lang.message("cli.progress.rate", ["rate": .text(rate)])
            }
            let left = Int((elapsed * (1 - share) / share).rounded())
            let time =
                left >= 3600
                ? String(format: "%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
                : String(format: "%d:%02d", left / 60, left % 60)
            line += " · " + lang.message("cli.progress.left", ["time": .text(time)])
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))  // erase what a longer line left
    }
    func finish() { if enabled && last >= 0 { FileHandle.standardError.write(Data("\n".utf8)) } }
}

func printError(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Prints an import failure's issues and exits 1; other errors are rethrown.
func reportFailures<T>(_ lang: Language, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let f as ImportFailure {
        printError(
            lang.message("cli.import_cancelled", ["count": .count(f.total)]))
        // A terminal shows the first problems; they usually share one cause.
        let shown = f.issues.prefix(20)
        for i in shown { printError("  " + i.message(lang)) }
        if f.total > shown.count {
            printError(lang.message("cli.and_more", ["count": "\(f.total - shown.count)"]))
        }
        throw ExitCode(1)
    } catch let c as ConfigError {
        printError(c.message(lang))
        throw ExitCode(2)
    } catch let t as TranscriptError {
        printError(t.text(lang))
        throw ExitCode(1)
    }
}
