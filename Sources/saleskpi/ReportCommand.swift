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

    /// The columns of a report that names no KPIs, for the help.
    static let defaultKPIs = KPICatalog.standard.kpis(at: .defaultReport).map(\.id.rawValue).joined(separator: ",")

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Rows: rep, team, role or company.")
    var by: Slice.Kind = .rep
    @Option(help: "Comma-separated KPI ids (default: \(ReportCommand.defaultKPIs)).")
    var kpis: String?

    func run() throws {
        let lang = language.language
        let opened = try OpenedStore(store, configOption, periodOptions, lang: lang)
        let question: KPIReportQuestion
        do {
            question = try KPIReportQuestion(kpis: kpis, by: by, period: opened.period, catalog: opened.catalog)
        } catch {
            throw CLIError(lang.message("cli.report.unknown_kpi", ["id": "\(error.id)"]))
        }
        let report = question.answer(opened.engine, catalog: opened.catalog, lang: lang)
        try output.emit(ReportTable(report, by: by), sheet: opened.period.label, lang: lang)
    }
}
