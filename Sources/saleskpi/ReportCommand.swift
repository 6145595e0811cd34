import ArgumentParser
import Foundation
import SalesCore
import SalesImport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "KPIs by rep, team, role or the company for a period.",
        discussion: """
            saleskpi report --db sales.sqlite --period 2017-Q2 --by rep --kpis deals_won,revenue,win_rate --format csv
            The first column is the slice's name, then one column per KPI id. Money is in major units of \
            the company currency, percent as 0–100; an empty cell means the KPI has no value (nothing to \
            divide by). Without a period, all the data is used. `saleskpi kpis` lists the KPI ids.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Rows: rep, team, role or company.")
    var by: Slice.Kind = .rep
    @Option(help: "Comma-separated KPI ids.")
    var kpis = KPICatalog.standard.kpis(at: .defaultReport).map(\.id.rawValue).joined(separator: ",")

    func run() throws {
        let lang = language.language
        let db = try store.open()
        let system = try reportFailures(lang) { try configOption.load(store: db).system }
        let catalog = try system.catalog()
        let engine = try openEngine(db, calendar: system.calendar)
        let period = try periodOptions.resolve(engine: engine, lang: lang)
        let ids = kpis.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let defs = try ids.map { id -> KPIDefinition in
            guard let k = catalog[KPI.ID(id)] else {
                throw CLIError(
                    lang.message("cli.report.unknown_kpi", ["id": "\(id)"]))
            }
            return k
        }
        let report = KPIReport(
            engine: engine, catalog: catalog, kpis: defs, by: by, period: period,
            companyName: lang.message("report.company"))
        try output.emit(ReportTable(report, by: by), sheet: period.label, lang: lang)
    }
}
