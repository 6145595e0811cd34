import SalesCore
import SalesImport

/// The dashboards, rendered from the engine under its lock: a rep's own page and a team's page
/// (a head's team, or for an admin the company, a team or a role).
struct DashboardView {
    let engine: SalesEngine
    let system: KPISystem
    let catalog: KPICatalog
    let c: PageContext
    let period: Period
    let insights: InsightTables

    var builder: ScorecardBuilder { ScorecardBuilder(engine: engine, system: system, catalog: catalog) }
    var forecast: ForecastView { ForecastView(c: c, period: period, insights: insights) }

    func evaluator(_ slice: Slice, _ p: Period? = nil) -> KPIEvaluator {
        KPIEvaluator(engine: engine, catalog: catalog, slice: slice, period: p ?? period)
    }

    /// `text` as a link to the list behind the KPI's number for `slice`, when there is one.
    func drill(_ kpi: KPIDefinition, _ slice: Slice, _ text: String) -> HTML { drill(kpi.drillDown, slice, text) }

    func drill(_ list: DrillDown?, _ slice: Slice, _ text: String) -> HTML {
        let keep: [String: String?] = ["slice": WebController.key(slice), "board": nil, "set": nil, "type": nil]
        let href: String
        switch list {
        case .deals(let set)?: href = c.link(keep.merging(["set": set.rawValue]) { $1 }, to: .deals)
        case .activities(let type)?: href = c.link(keep.merging(["type": type.rawValue]) { $1 }, to: .activities)
        case nil: return HTML("\(text)")
        }
        return HTML(
            "<a class=\"drill\" href=\"\(href)\" title=\"\(c.t("page.dashboard.show_the_list"))\">\(text)</a>")
    }
}
