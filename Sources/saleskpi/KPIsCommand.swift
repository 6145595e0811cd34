import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesServer

struct KPIsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpis",
        abstract: "The KPI catalog: ids, names, formulas, units, direction and roles.",
        discussion: """
            saleskpi kpis                      the catalog (with your custom KPIs if --config has them)
            saleskpi kpis --measures           the base measures formulas are written in
            saleskpi kpis --explain win_rate   the whole path of a number: formula → KPIs and measures it \
            reads → the records, fields and tables behind them → where it is shown, its routes, its list
            saleskpi kpis --docs               docs/kpis.md, the reference made of every KPI's path
            saleskpi kpis --format json        for scripts (with --explain too)
            Formulas use + - * / and parentheses over base measures and other KPIs; plan(kpi) is the \
            target, prev(expr) the previous period's value, todate(expr) the value from the beginning \
            of history (stocks such as open deals), and days, workdays, weeks, months the period's length.
            """)

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Flag(help: "List the base measures instead of the KPIs.")
    var measures = false
    @Option(help: "Explain one KPI: formula, measures, records and tables, where it is shown, routes, drill-down.")
    var explain: String?
    @Flag(help: "Print docs/kpis.md: every KPI's path and every base measure's source (English).")
    var docs = false

    func run() throws {
        let lang = language.language
        if docs {
            return print(KPIPath.document(catalog: .standard, system: try KPISystemFile.standard()), terminator: "")
        }
        if let explain { return try self.explain(explain, lang: lang) }
        if measures {
            var t = ReportTable(lang, titles: "measures", columns: ["measure", "unit", "meaning"])
            t.rows = BaseMeasure.allCases.map { [.text($0.id), .text("\($0.unit)"), .text($0.feed.meaning(lang))] }
            return try output.emit(t, sheet: "measures", lang: lang)
        }
        let catalog = try reportFailures(lang) { try configOption.load().system }.catalog()
        // Codes stay codes in every language (unit, direction, category, roles); only the name is translated.
        var t = ReportTable(
            lang, titles: "kpis",
            columns: ["id", "name", "formula", "unit", "direction", "category", "roles", "seed_target"])
        t.rows = catalog.kpis.map { k in
            [
                .text(k.id.rawValue), .text(k.name(lang)), .text(k.formulaText), .text(k.unit.rawValue),
                .text(k.higherIsBetter ? "higher" : "lower"), .text(k.category.rawValue),
                .text(RepRole.allCases.filter(k.roles.contains).map(\.rawValue).joined(separator: " ")),
                .text(k.seedTarget ?? ""),
            ]
        }
        try output.emit(t, sheet: "kpis", lang: lang)
    }

    private func explain(_ id: String, lang: Language) throws {
        let system = try reportFailures(lang) { try configOption.load().system }
        guard let path = KPIPath(KPI.ID(id), catalog: try system.catalog(), system: system, lang: lang) else {
            throw CLIError(lang.message("cli.report.unknown_kpi", ["id": .text(id)]))
        }
        switch output.format {
        case .json: print(String(decoding: try MachineJSON.encoder(pretty: true).encode(path), as: UTF8.self))
        default: print(path.text(lang), terminator: "")
        }
    }
}
