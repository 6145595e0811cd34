import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesStorage

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CRM data into the store: all or nothing, and never twice.",
        discussion: """
            Three ways to read data:
              saleskpi import --db sales.sqlite demo-bundle/                 a canonical bundle (docs/data-format.md)
              saleskpi import --db sales.sqlite --mapping deals.yaml deals.csv   any CRM export, described by a mapping
              saleskpi import --db sales.sqlite --preset maven-crm maven-crm/    a known export
            The whole import is one transaction: if any row is bad nothing is stored, and every problem \
            is listed with its file, line and field. --skip-invalid stores the good rows and lists the bad. \
            Records are idempotent by (source, external id): importing the same file again adds nothing.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var configOption: ConfigOption
    @Argument(help: "A bundle folder, a CSV file (with --mapping) or a preset's folder.")
    var path: String
    @Option(help: "A column mapping (YAML) for a single CSV file.")
    var mapping: String?
    @Option(help: "A known export layout: canonical or maven-crm.")
    var preset = "canonical"
    @Option(
        help: "Name of the data's source; ids are unique within a source. Default: the preset's name or the file's.")
    var source: String?
    @Flag(help: "Store the valid rows and report the invalid ones instead of cancelling the import.")
    var skipInvalid = false

    func run() throws {
        let lang = language.language
        let db = try store.open()
        let system = try reportFailures(lang) { try configOption.load(store: db).system }
        let importer = Importer(
            store: db, source: source ?? (preset == "canonical" ? "crm" : preset), calendar: system.calendar)
        importer.skipInvalid = skipInvalid
        let bar = ProgressBar(lang.message("cli.progress.import"))
        importer.progress = bar.update
        let started = Date()
        let report = try reportFailures(lang) { () throws -> ImportReport in
            if let mapping {
                return try importer.run(files: [ColumnMapping.load(mapping, file: path)])
            }
            switch preset {
            case "canonical": return try importer.run(bundle: path)
            case "maven-crm":
                return try importer.run { emit in
                    try MavenCRMPreset(dir: path).records(calendar: system.calendar, emit: emit)
                }
            default:
                throw CLIError(
                    lang.message("cli.import.unknown_preset", ["preset": "\(preset)"]))
            }
        }
        bar.finish()
        let seconds = Date().timeIntervalSince(started)
        let kinds = report.inserted.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(
            separator: ", ")
        print(
            lang.message(
                "cli.import.summary",
                [
                    "count": .count(report.totalInserted),
                    "kinds": .text(kinds.isEmpty ? lang.message("cli.import.nothing_new") : kinds),
                    "duplicates": "\(report.duplicates)", "seconds": .text(String(format: "%.1f", seconds)),
                ]))
        // The engine's snapshot, brought up to date: later commands replay only what is stored after it.
        if let file = db as? SQLiteEventStore {
            let started = Date()
            let (engine, source) = try EngineSnapshotFile.engine(of: file, calendar: system.calendar)
            if report.totalInserted > 0 || source != .snapshot(replayed: 0) {
                try EngineSnapshotFile.save(engine, of: file)
            }
            let took = String(format: "%.1f", Date().timeIntervalSince(started))
            print(
                lang.message(
                    "cli.import.snapshot", ["path": "\(EngineSnapshotFile.path(for: file))", "took": "\(took)"]))
        }
        if report.skippedCount > 0 {
            print(
                lang.message("cli.skipped_invalid", ["count": "\(report.skippedCount)"]))
            for i in report.skipped.prefix(20) { print("  " + i.message(lang)) }
            if report.skippedCount > 20 {
                print(
                    lang.message("cli.and_more", ["count": "\(report.skippedCount - 20)"]))
            }
        }
    }
}
