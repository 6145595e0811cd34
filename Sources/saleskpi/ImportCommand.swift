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
            Ways to read data:
              saleskpi import --db sales.sqlite demo-bundle/                 a canonical bundle (docs/data-format.md)
              saleskpi import --db sales.sqlite --preset bitrix24 deals.csv  a CRM's own export, as it writes it
              saleskpi import --db sales.sqlite --preset auto export.csv     the CRM recognised from the headers
              saleskpi import --db sales.sqlite --recipe my.yaml a.csv b.csv   any export, by a recipe (docs/recipes.md)
              saleskpi import --db sales.sqlite --mapping deals.yaml deals.csv   one file of one kind, by a mapping
              saleskpi import --db sales.sqlite --preset maven-crm maven-crm/    the Maven CRM sample
            Presets: \(Recipe.presetNames.joined(separator: ", ")), maven-crm. Files are read in the encoding \
            their bytes show (UTF-8 with or without BOM, UTF-16, Windows-1251, Windows-1252) unless --encoding \
            says; `,` `;` or tab; Bitrix24's .xls (an HTML table) too. Stage names the preset does not know are \
            listed together with a stub to fill in and pass with --stage-map FILE (YAML: "Stage name": won).
            The whole import is one transaction: if any row is bad nothing is stored, and every problem \
            is listed with its file, line and field. --skip-invalid stores the good rows and lists the bad; \
            --dry-run reads and checks everything, prints what would be stored and stores nothing. \
            Records are idempotent by (source, external id): importing the same file again adds nothing.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var configOption: ConfigOption
    @Argument(help: "A bundle folder, export files or a folder of them.")
    var paths: [String]
    @Option(help: "A column mapping (YAML) for a single CSV file.")
    var mapping: String?
    @Option(help: "A known export layout: canonical, auto, maven-crm, \(Recipe.presetNames.joined(separator: ", ")).")
    var preset = "canonical"
    @Option(help: "A recipe (YAML) that says how the files become records: docs/recipes.md.")
    var recipe: String?
    @Option(
        help: "Your pipeline's stage names (YAML: \"Stage name\": new|contacted|meeting|proposal|contract|won|lost).")
    var stageMap: String?
    @Option(
        help: ArgumentHelp(
            "Exchange rates into the company currency: currency,date,rate (CSV), the Bank of Russia's daily XML or "
                + "the ECB's eurofxref CSV. Repeatable.", valueName: "file"))
    var rates: [String] = []
    @Option(help: "The files' encoding: utf-8, utf-16, windows-1251, windows-1252 (default: as the bytes show).")
    var encoding: String?
    @Option(
        help: "Name of the data's source; ids are unique within a source. Default: the preset's name or the file's.")
    var source: String?
    @Flag(help: "Store the valid rows and report the invalid ones instead of cancelling the import.")
    var skipInvalid = false
    @Flag(help: "Read and check everything, print what would be stored, store nothing.")
    var dryRun = false

    func validate() throws {
        if (mapping != nil || preset == "canonical" || preset == "maven-crm") && recipe == nil && paths.count != 1 {
            throw ValidationError(language.language.message("cli.import.one_path"))
        }
    }

    func run() throws {
        let lang = language.language
        let db = try store.open()
        let system = try reportFailures(lang) { try configOption.load(store: db).system }
        let chosen = try reportFailures(lang) { try recipeToUse(lang) }
        let importer = Importer(
            store: db, source: source ?? chosen?.name ?? (preset == "canonical" ? "crm" : preset),
            calendar: system.calendar)
        importer.skipInvalid = skipInvalid
        importer.dryRun = dryRun
        importer.conversion = try reportFailures(lang) { try conversion(company: system.currency) }
        // The engine as the store holds it now, fed each record as it is stored: the snapshot is written without
        // a second pass over the store (unless a record is replaced: then it is rebuilt).
        let engine = try dryRun ? nil : snapshotEngine(db, calendar: system.calendar)
        importer.onStored = engine.map { engine in { engine.apply($0) } }
        let bar = ProgressBar(lang.message("cli.progress.import"), lang: lang)
        importer.progress = { bar.update($0, count: importer.recordsRead) }
        let started = Date()
        let (report, reader) = try reportFailures(lang) { try read(into: importer, recipe: chosen, system, lang) }
        bar.finish()
        for (file, note) in reader?.notes ?? [] { printError("\(file): \(note(lang))") }
        if dryRun { return printDryRun(report, reader, lang) }
        printSummary(report, seconds: Date().timeIntervalSince(started), lang)
        try refreshSnapshot(
            db, changed: report.totalInserted + report.totalUpdated > 0, system, lang,
            current: report.totalUpdated == 0 ? engine : nil)
        printSkipped(report, lang)
    }

    /// Reads the paths by the recipe, the mapping or the preset into the importer.
    private func read(into importer: Importer, recipe: Recipe?, _ system: KPISystem, _ lang: Language) throws -> (
        ImportReport, RecipeReader?
    ) {
        if let recipe {
            let reader = try RecipeReader(
                recipe: recipe, filesAndRatesIn: paths, calendar: system.calendar, conversion: importer.conversion)
            reader.encoding = try encoding.map(Self.encoding(lang))
            return (try importer.run { emit in try reader.records(emit: emit) }, reader)
        }
        let path = paths[0]
        if let mapping { return (try importer.run(files: [ColumnMapping.load(mapping, file: path)]), nil) }
        switch preset {
        case "canonical": return (try importer.run(bundle: path), nil)
        case "maven-crm":
            let maven = MavenCRMPreset(dir: path)
            return (try importer.run { emit in try maven.records(calendar: system.calendar, emit: emit) }, nil)
        default:
            let presets: MessageArguments = [
                "preset": "\(preset)", "presets": .text(Self.presets.joined(separator: ", ")),
            ]
            throw CLIError(lang.message("cli.import.unknown_preset", presets))
        }
    }

    private func printSummary(_ report: ImportReport, seconds: TimeInterval, _ lang: Language) {
        let kinds = Self.perKind(report.inserted)
        let summary: MessageArguments = [
            "count": .count(report.totalInserted),
            "kinds": .text(kinds.isEmpty ? lang.message("cli.import.nothing_new") : kinds),
            "duplicates": "\(report.duplicates)", "seconds": .text(String(format: "%.1f", seconds)),
        ]
        print(lang.message("cli.import.summary", summary))
        if report.totalUpdated > 0 {
            let changed = Self.perKind(report.updated)
            print(lang.message("cli.import.updated", ["count": .count(report.totalUpdated), "kinds": .text(changed)]))
        }
    }

    /// `deal 3, deal_stage 7`, in the store's kind order.
    private static func perKind(_ counts: [EventKind: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    }

    private func printSkipped(_ report: ImportReport, _ lang: Language) {
        guard report.skippedCount > 0 else { return }
        print(lang.message("cli.skipped_invalid", ["count": "\(report.skippedCount)"]))
        for i in report.skipped.prefix(20) { print("  " + i.message(lang)) }
        if report.skippedCount > 20 { print(lang.message("cli.and_more", ["count": "\(report.skippedCount - 20)"])) }
    }

    /// The company currency and the `--rates` files (an `exchange_rates.csv` among the paths is read with them: by
    /// the recipe reader, or by the importer in a bundle).
    private func conversion(company: String) throws -> CurrencyConversion {
        var all = ExchangeRates(company: company)
        for file in rates { all.merge(try ExchangeRates.read(path: file, company: company)) }
        return CurrencyConversion(rates: all)
    }

    static let presets = ["canonical", "auto"] + Recipe.presetNames + ["maven-crm"]

    /// The recipe: `--recipe`, a preset that is one, or the preset `auto` recognises.
    private func recipeToUse(_ lang: Language) throws -> Recipe? {
        var chosen: Recipe?
        if let recipe {
            chosen = try Recipe.load(recipe)
        } else if preset == "auto" {
            guard let found = try Recipe.detect(paths) else {
                throw CLIError(
                    lang.message(
                        "cli.import.not_recognised", ["presets": .text(Recipe.presetNames.joined(separator: ", "))]))
            }
            printError(lang.message("cli.import.recognised", ["preset": .text(found.name)]))
            chosen = found
        } else {
            chosen = try Recipe.preset(preset)
        }
        if let stageMap, chosen != nil { chosen!.addStages(try StageMapFile.load(stageMap)) }
        return chosen
    }

    static func encoding(_ lang: Language) -> (String) throws -> TextDecoding.Encoding {
        { name in
            guard let e = TextDecoding.Encoding(name: name) else {
                let all = TextDecoding.Encoding.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError(
                    lang.message("cli.import.bad_encoding", ["encoding": .text(name), "values": .text(all)]))
            }
            return e
        }
    }

    /// What would be stored, per kind, and the stage names met.
    private func printDryRun(_ report: ImportReport, _ reader: RecipeReader?, _ lang: Language) {
        print(lang.message("cli.import.dry_run"))
        for (kind, n) in report.inserted.sorted(by: { $0.key < $1.key }) { print("  \(kind.rawValue): \(n)") }
        if report.totalUpdated > 0 {
            let changed = Self.perKind(report.updated)
            print(
                lang.message(
                    "cli.import.dry_run_changed", ["count": .count(report.totalUpdated), "kinds": .text(changed)]))
        }
        if report.duplicates > 0 {
            print(lang.message("cli.import.dry_run_known", ["count": .count(report.duplicates)]))
        }
        if !report.currencies.isEmpty {
            print(lang.message("cli.import.currencies_met", ["currencies": .text(report.currencyList)]))
        }
        if let stages = reader?.stagesMet, !stages.isEmpty {
            print(lang.message("cli.import.stage_map_used"))
            for (name, met) in stages.sorted(by: { $0.value.rows > $1.value.rows }) {
                print("  \(name) → \(met.stage) (\(met.rows))")
            }
        }
        for i in report.skipped.prefix(20) { print("  " + i.message(lang)) }
    }
}
