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
        guard StoreOptions.isPostgres(to) else {
            throw CLIError(
                lang.message("cli.migrate.bad_target"))
        }
        let source = try SQLiteEventStore(path: path)
        let target = try PostgresEventStore(url: to)
        let bar = ProgressBar(lang.message("cli.progress.copying"))
        let start = Date()
        let checks = try StoreMigration.copy(from: source, to: target, progress: bar.update)
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        let ok = checks.allSatisfy(\.matches)
        if json {
            let tables = checks.map {
                [
                    "table": $0.table, "rows": $0.sourceRows, "copied": $0.targetRows, "sha256": $0.sourceChecksum,
                    "copied_sha256": $0.targetChecksum, "matches": $0.matches,
                ] as [String: Any]
            }
            let obj: [String: Any] = [
                "from": path, "to": target.location, "seconds": seconds, "matches": ok, "tables": tables,
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]),
                    as: UTF8.self))
        } else {
            print(
                lang.message("cli.migrate.table_header"))
            for c in checks {
                let mark = c.matches ? (lang.message("value.yes")) : (lang.message("cli.migrate.mismatch"))
                print(
                    "\(c.table.padding(toLength: 22, withPad: " ", startingAt: 0))  "
                        + "\(String(c.sourceRows).padding(toLength: 8, withPad: " ", startingAt: 0))  "
                        + "\(String(c.targetRows).padding(toLength: 11, withPad: " ", startingAt: 0))  "
                        + "\(c.sourceChecksum.prefix(16))     \(mark)"
                )
            }
            let rows = checks.reduce(0) { $0 + $1.sourceRows }
            print(
                lang.message(
                    "cli.migrate.summary",
                    [
                        "count": .count(rows), "seconds": .text(String(format: "%.1f", seconds)),
                        "target": "\(target.location)",
                        "verdict": .text(lang.message(ok ? "cli.migrate.all_match" : "cli.migrate.differences")),
                    ])
            )
        }
        if !ok { throw ExitCode(1) }
    }
}
