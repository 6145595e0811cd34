import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesStorage

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract:
            "Where the period's revenue will land against plan, with a P10–P90 range, and which open deals will close.",
        discussion: """
            saleskpi forecast --db sales.sqlite                      this month, the company and each team
            saleskpi forecast --db sales.sqlite --period 2026-Q4 --by rep --format xlsx -o q4.xlsx
            saleskpi forecast --db sales.sqlite --deals 20           the open deals most likely to be won, with reasons
            saleskpi forecast --db sales.sqlite --ledger             past forecasts against what happened
            Expected = revenue won so far + each open deal's amount × its chance to be won before the \
            period ends + new deals expected to open and close in time (from the last 90 days). P10 and \
            P90: in 8 of 10 simulated outcomes the revenue lands between them. Fulfillment is against the \
            revenue plan (stored plans, else the KPI system's targets). The win probability model is \
            trained on the deals closed before --as-of; with too few of them it uses historical win \
            rates by stage and rep, and says so. Every forecast is saved to the store's ledger (unless \
            --no-save) so that `--ledger` can show its error once the period is over.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Forecast for: company, team (the company and each team) or rep (everyone with deals).")
    var by: Slice.Kind = .team
    @Option(help: "The instant of the forecast, YYYY-MM-DD (default: now); only what was known by then is used.")
    var asOf: String?
    @Option(
        help:
            "Method: model (win-probability model), stage_rates (historical rates) or run_rate (last 90 days pro rata)."
    )
    var method: RevenueForecast.Method = .model
    @Option(help: "List the N open deals with the highest expected value, with their win probability and reasons.")
    var deals: Int?
    @Flag(help: "Do not save this forecast to the ledger.") var noSave = false
    @Flag(help: "Show the ledger of past forecasts with their errors instead.") var ledger = false

    func run() throws {
        let lang = language.language
        let opened = try ForecastingStore(store, configOption, periodOptions, lang: lang) { try instant($0, lang) }
        if ledger { return try showLedger(opened.db, opened.engine, opened.system.calendar, lang) }
        let forecaster = SalesForecaster(engine: opened.engine, history: opened.history, asOf: opened.now)
        if let note = forecaster.model.note, method == .model { printError(note(lang)) }
        if let n = deals {
            let table = ReportTable(openDeals: forecaster, owners: nil, limit: n, lang: lang)
            return try output.emit(table, sheet: lang.message("cli.sheet.deals"), lang: lang)
        }
        let answer = ForecastQuestion(by: by, period: opened.period, method: method).answer(
            forecaster, system: opened.system, catalog: try opened.system.catalog())
        try output.emit(ReportTable(outlooks: answer.outlooks, lang: lang), sheet: opened.period.label, lang: lang)
        if !noSave { try opened.db.forecastLedger.append(answer.ledger) }
        guard output.format == .table && output.output == nil else { return }
        let about: MessageArguments = [
            "period": "\(opened.period.label)", "day": "\(CivilDate(opened.system.calendar.day(of: opened.now)))",
            "method": .text(forecaster.model.method.rawValue), "count": .count(forecaster.model.trainedOn),
        ]
        print(lang.message("cli.forecast.title", about))
    }

    /// The instant of the forecast: `--as-of`'s day, else now.
    private func instant(_ calendar: CompanyCalendar, _ lang: Language) throws -> Timestamp {
        guard let asOf else { return Timestamp(Date().timeIntervalSince1970) }
        guard let day = CivilDate(iso: asOf) else {
            throw CLIError(lang.message("cli.forecast.bad_as_of", ["date": "\(asOf)"]))
        }
        return calendar.start(of: day.dayNumber)
    }

    /// Past forecasts against what happened, and each method's mean error.
    private func showLedger(
        _ db: any SalesDatabase, _ engine: SalesEngine, _ calendar: CompanyCalendar, _ lang: Language
    )
        throws
    {
        let today = calendar.day(of: Timestamp(Date().timeIntervalSince1970))
        let lines = ForecastLedger.lines(try db.forecastLedger.latest(limit: 1000), engine: engine, today: today)
        let table = Self.ledgerTable(lines, calendar: calendar, lang: lang)
        try output.emit(table, sheet: lang.message("cli.sheet.forecast_ledger"), lang: lang)
        guard output.format == .table && output.output == nil else { return }
        for (method, a) in ForecastLedger.accuracy(lines).sorted(by: { $0.key < $1.key }) {
            let error: MessageArguments = [
                "method": "\(method)", "error": .text(String(format: "%.1f", a.meanAbsoluteError)),
                "count": .count(a.count),
            ]
            print(lang.message("cli.forecast.ledger_error", error))
        }
    }

    static func money(_ m: Money?) -> ReportTable.Cell { .number(m.map { Double($0) / 100 }, decimals: 0) }

    static func ledgerTable(_ lines: [ForecastLedger.Line], calendar: CompanyCalendar, lang: Language) -> ReportTable {
        var t = ReportTable(
            lang, titles: "forecast_ledger",
            columns: ["made", "period", "who", "method", "expected", "p10", "p90", "actual", "error_pct", "in_range"])
        for l in lines {
            let r = l.record
            t.rows.append([
                .text(CivilDate(calendar.day(of: r.madeAt)).description), .text(r.period.label),
                .text(r.slice == "company" ? (lang.message("report.company")) : r.name), .text(r.method),
                money(r.expected), money(r.p10), money(r.p90), money(l.actual), .number(l.errorPercent, decimals: 1),
                .text(
                    l.insideRange.map { $0 ? (lang.message("value.yes")) : (lang.message("value.no")) }
                        ?? (lang.message("cli.forecast.running"))),
            ])
        }
        return t
    }
}

extension RevenueForecast.Method: ExpressibleByArgument {}
