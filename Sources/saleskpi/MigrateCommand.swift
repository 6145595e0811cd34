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
        let ru = language.language == .ru
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(ru ? "нет файла хранилища \(path)" : "no store file at \(path)")
        }
        guard StoreOptions.isPostgres(to) else {
            throw CLIError(
                ru
                    ? "--to: нужен адрес postgres://пользователь:пароль@хост:5432/база"
                    : "--to: a postgres://user:password@host:5432/database URL expected")
        }
        let source = try SQLiteEventStore(path: path)
        let target = try PostgresEventStore(url: to)
        let bar = ProgressBar(ru ? "копирование" : "copying")
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
                ru
                    ? "Таблица                 строк     скопировано  SHA-256 (первые 16)  совпадает"
                    : "Table                   rows      copied       SHA-256 (first 16)   matches")
            for c in checks {
                let mark = c.matches ? (ru ? "да" : "yes") : (ru ? "НЕТ" : "NO")
                print(
                    "\(c.table.padding(toLength: 22, withPad: " ", startingAt: 0))  "
                        + "\(String(c.sourceRows).padding(toLength: 8, withPad: " ", startingAt: 0))  "
                        + "\(String(c.targetRows).padding(toLength: 11, withPad: " ", startingAt: 0))  "
                        + "\(c.sourceChecksum.prefix(16))     \(mark)"
                )
            }
            let rows = checks.reduce(0) { $0 + $1.sourceRows }
            print(
                ru
                    ? "\(rows) строк за \(String(format: "%.1f", seconds)) с в \(target.location): "
                        + "\(ok ? "всё совпадает" : "ЕСТЬ РАСХОЖДЕНИЯ")"
                    : "\(rows) rows in \(String(format: "%.1f", seconds)) s into \(target.location): "
                        + "\(ok ? "everything matches" : "THERE ARE DIFFERENCES")"
            )
        }
        if !ok { throw ExitCode(1) }
    }
}
