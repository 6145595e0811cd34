import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesServer
import SalesStorage

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a demo company into a SQLite file (once), show its scorecards and serve its dashboards.",
        discussion: """
            swift run saleskpi demo                 then open http://127.0.0.1:8080 and sign in with a printed login
            swift run saleskpi demo --no-serve      only the scorecards in the terminal
            The first run writes 40 people and a year of history ending today into demo/saleskpi.sqlite, \
            with five logins (an admin, a head of sales, a sales manager, an SDR, an account manager); later runs \
            reuse it. Then try report, scorecard and kpis on the same --db.
            """)

    @Option(help: "The demo store.") var db = "demo/saleskpi.sqlite"
    @Option(help: "People in the demo company.") var reps = 40
    @Option(help: "Days of history.") var days = 365
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print the scorecards and exit instead of serving the dashboards.") var noServe = false
    @OptionGroup var server: ServerOptions
    @OptionGroup var language: LanguageOption

    /// The demo's logins, the same on every run: an admin, and the first team's head, first sales manager,
    /// first SDR and first account manager — one per dashboard. Everyone's password is `demo-password`.
    static func logins(_ engine: SalesEngine) -> [(
        login: String, role: UserRole, rep: SalesEngine.RepInfo?, who: LocalizedText
    )] {
        let head = engine.repsByTeam.first { $0.role == .head }
        func first(_ role: RepRole) -> SalesEngine.RepInfo? {
            engine.repsByTeam.first { $0.role == role && $0.teamID == head?.teamID }
        }
        let (rep, sdr, am) = (first(.ae), first(.sdr), first(.am))
        let team = head?.teamID.flatMap { engine.teams[$0]?.name } ?? ""
        return [
            ("admin", .admin, nil, LocalizedText("cli.demo.login.admin")),
            (
                "head", .head, head,
                LocalizedText("cli.demo.login.head", ["name": "\(head?.name ?? "")", "team": .text(team)])
            ),
            (
                "rep", .rep, rep,
                LocalizedText("cli.demo.login.rep", ["name": "\(rep?.name ?? "")", "team": .text(team)])
            ),
            (
                "sdr", .rep, sdr,
                LocalizedText("cli.demo.login.sdr", ["name": "\(sdr?.name ?? "")", "team": .text(team)])
            ),
            ("am", .rep, am, LocalizedText("cli.demo.login.am", ["name": "\(am?.name ?? "")", "team": .text(team)])),
        ]
    }
    static let password = "demo-password"

    func run() async throws {
        let lang = language.language
        let folder = (db as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        let store = try SQLiteEventStore(path: db)
        // The KPI system as edited on the admin page.
        let (system, yaml) = try reportFailures(lang) { try ConfigOption.load(config: nil, store: store) }
        let today = CivilDate(system.calendar.day(of: Timestamp(Date().timeIntervalSince1970)))
        if try store.count().values.reduce(0, +) == 0 { try fill(store, system, today: today, lang) }
        let engine = try store.makeEngine(calendar: system.calendar)
        try addLogins(store, engine)
        try printScorecards(engine, system, today: today, lang)
        if !noServe {
            let url = "http://\(server.host):\(server.port)"
            let logins = Self.logins(engine).map {
                "  \($0.login.padding(toLength: 6, withPad: " ", startingAt: 0)) / \(Self.password)   " + $0.who(lang)
            }.joined(separator: "\n")
            return try await server.serve(
                store: store, system: system, yaml: yaml, engine: engine, language: lang,
                banner: lang.message("cli.demo.banner", ["url": "\(url)", "logins": "\(logins)"]))
        }
        let quarter = "\(today.year)-Q\((today.month - 1) / 3 + 1)"
        print(lang.message("cli.demo.next", ["db": .text(db), "quarter": .text(quarter)]))
    }

    /// Generates the company's history up to today, imports it, and analyses the last two months' call
    /// transcripts into the quality KPIs.
    private func fill(_ store: SQLiteEventStore, _ system: KPISystem, today: CivilDate, _ lang: Language) throws {
        // A folder of this run's own: two demos at once (a test run beside a user's) must not share one.
        let bundle = NSTemporaryDirectory() + "saleskpi-demo-\(seed)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        let bar = ProgressBar(lang.message("cli.progress.generating"), lang: lang)
        let summary = try DemoGenerator(reps: reps, days: days, seed: seed, end: today).write(
            to: bundle, progress: bar.update)
        bar.finish()
        let importer = Importer(store: store, source: "demo", calendar: system.calendar)
        let importBar = ProgressBar(lang.message("cli.progress.import"), lang: lang)
        importer.progress = importBar.update
        _ = try reportFailures(lang) { try importer.run(bundle: bundle) }
        importBar.finish()
        let calls = try reportFailures(lang) {
            try DemoTranscripts(seed: seed).importInto(
                store, engine: try store.makeEngine(calendar: system.calendar), source: "demo",
                until: system.calendar.start(of: today.dayNumber + 1))
        }
        let counts: MessageArguments = [
            "events": .localized(LocalizedText("cli.count.events", ["count": .count(summary.events)])),
            "transcripts": .localized(LocalizedText("cli.count.transcripts", ["count": .count(calls)])),
            "db": .text(db),
        ]
        print(lang.message("cli.demo.summary", counts))
    }

    /// One sign-in per dashboard, each the first time (a demo made by an older version gets the new ones).
    private func addLogins(_ store: SQLiteEventStore, _ engine: SalesEngine) throws {
        let hasher = PasswordHasher(cost: 10)
        for l in Self.logins(engine) where try store.users.user(login: l.login) == nil {
            _ = try store.users.add(
                UserAccount(
                    login: l.login, name: l.rep?.name ?? "Admin", role: l.role, repExternalID: l.rep?.externalID,
                    passwordHash: hasher.hash(Self.password)))
        }
    }

    /// The department's scorecards for the quarter so far.
    private func printScorecards(_ engine: SalesEngine, _ system: KPISystem, today: CivilDate, _ lang: Language) throws
    {
        let quarterStart = CivilDate(year: today.year, month: (today.month - 1) / 3 * 3 + 1, day: 1)
        let period = Period(start: quarterStart.dayNumber, end: today.dayNumber + 1)
        let cards = ScorecardBuilder(engine: engine, system: system, catalog: try system.catalog()).department(period)
        print(lang.message("cli.demo.scorecards_title", ["start": "\(CivilDate(period.start))", "today": "\(today)"]))
        print(ScorecardCommand.table(cards, lang: lang).text())
        print(ScorecardCommand.summary(cards, period: period, lang: lang))
    }
}
