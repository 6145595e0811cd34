import ArgumentParser
import Foundation
import SalesCore
import SalesImport

struct ScorecardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "Each person's KPIs against plan, weighted KPI index and bonus coefficient.",
        discussion: """
            saleskpi scorecard --db sales.sqlite --period 2026-Q3
            saleskpi scorecard --db sales.sqlite --period 2026-10 --rep "Anna" --format xlsx -o october.xlsx
            For every KPI of the person's role: actual, plan, fulfillment % (plan ÷ actual for \
            lower-is-better KPIs), weight, score (0 below the threshold, capped above the cap). The \
            weighted KPI index is Σ weight × score ÷ 100; the bonus schedule maps it to a coefficient. \
            Plans come from the store (plans.csv), else from the role's default target in the KPI system. \
            A head's scorecard is measured on their team.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Only people whose name contains this text.")
    var rep: String?

    func run() throws {
        let lang = language.language
        let opened = try OpenedStore(store, configOption, periodOptions, lang: lang)
        let period = opened.period
        var cards = ScorecardBuilder(engine: opened.engine, system: opened.system, catalog: opened.catalog)
            .department(period)
        if let rep { cards = cards.filter { $0.name.localizedCaseInsensitiveContains(rep) } }
        // The terminal shows each person once; files and scripts get every column on every row.
        try output.emit(
            Self.table(cards, lang: lang, grouped: output.format == .table), sheet: period.label, lang: lang)
        if output.format == .table && output.output == nil { print(Self.summary(cards, period: period, lang: lang)) }
    }

    static func table(_ cards: [Scorecard], lang: Language, grouped: Bool = true) -> ReportTable {
        ReportTable(scorecards: cards, lang: lang, grouped: grouped)
    }

    static func summary(_ cards: [Scorecard], period: Period, lang: Language) -> String {
        guard !cards.isEmpty else {
            return lang.message("cli.scorecard.nobody")
        }
        let avg = cards.reduce(0) { $0 + $1.index } / Double(cards.count)
        let atPlan = cards.filter { $0.index >= 100 }.count
        return lang.message(
            "cli.scorecard.summary",
            [
                "period": "\(period.label)", "count": .count(cards.count), "index": .text(String(format: "%.1f", avg)),
                "at_plan": "\(atPlan)",
            ])
    }
}
