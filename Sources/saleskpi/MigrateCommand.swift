import ArgumentParser
import Foundation
import SalesCore
import SalesPostgres
import SalesStorage

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite store into a new PostgreSQL database, and prove nothing was lost.",
        discussion: """
            saleskpi migrate --from sqlite:sales.sqlite --to postgres://saleskpi:secret@db.local:5432/sales
            Copies every table (events, users, sessions, API tokens, the audit log, KPI system versions, the \
            forecast ledger, sent alerts, call transcripts) with its ids, in one transaction: if anything fails, \
            the PostgreSQL database stays empty. Then reads both databases back and compares, table by table, \
            the number of rows and a SHA-256 over them; exits 1 if any differs. The target must be empty (its \
            schema is created if absent). Then serve it: saleskpi serve --postgres-url postgres://… (docs/scaling.md).
            """)

    @Option(help: "The SQLite store: sqlite:FILE or a path.") var from: String
    @Option(help: "The PostgreSQL database: postgres://user:password@host:5432/database.") var to: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.language
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(lang.message("cli.migrate.no_store", ["path": "\(path)"]))
        }
        guard StoreOptions.isPostgres(to) else { throw CLIError(lang.message("cli.migrate.bad_target")) }
        let (source, target) = (try SQLiteEventStore(path: path), try PostgresEventStore(url: to))
        let bar = ProgressBar(lang.message("cli.progress.copying"), lang: lang)
        let start = Date()
        let checks = try StoreMigration.copy(from: source, to: target, progress: bar.update)
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        if json {
            try printJSON(checks, from: path, to: target.location, seconds: seconds)
        } else {
            printTable(checks, to: target.location, seconds: seconds, lang)
        }
        if !checks.allSatisfy(\.matches) { throw ExitCode(1) }
    }

    private func printJSON(_ checks: [StoreMigration.TableCheck], from: String, to: String, seconds: Double) throws {
        let tables = checks.map {
            [
                "table": $0.table, "rows": $0.sourceRows, "copied": $0.targetRows, "sha256": $0.sourceChecksum,
                "copied_sha256": $0.targetChecksum, "matches": $0.matches,
            ] as [String: Any]
        }
        let obj: [String: Any] = [
            "from": from, "to": to, "seconds": seconds, "matches": checks.allSatisfy(\.matches), "tables": tables,
        ]
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Each table's rows and checksum on both sides, then the verdict.
    private func printTable(_ checks: [StoreMigration.TableCheck], to: String, seconds: Double, _ lang: Language) {
        print(lang.message("cli.migrate.table_header"))
        let pad = { (s: String, n: Int) in s.padding(toLength: n, withPad: " ", startingAt: 0) }
        for c in checks {
            let mark = lang.message(c.matches ? "value.yes" : "cli.migrate.mismatch")
            print(
                "\(pad(c.table, 22))  \(pad(String(c.sourceRows), 8))  \(pad(String(c.targetRows), 11))  "
                    + "\(c.sourceChecksum.prefix(16))     \(mark)")
        }
        let ok = checks.allSatisfy(\.matches)
        let summary: MessageArguments = [
            "count": .count(checks.reduce(0) { $0 + $1.sourceRows }), "seconds": .text(String(format: "%.1f", seconds)),
            "target": .text(to),
            "verdict": .text(lang.message(ok ? "cli.migrate.all_match" : "cli.migrate.differences")),
        ]
        print(lang.message("cli.migrate.summary", summary))
    }
}
