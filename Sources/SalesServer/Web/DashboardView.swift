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

    /// The share of the period gone by the data's last day, while the period runs (nil before and after it).
    var elapsedShare: Double? {
        let gone = Double(min(period.end, engine.lastDay + 1) - period.start) / Double(max(1, period.days))
        return gone > 0 && gone < 1 ? gone : nil
    }

    /// The fulfilment on pace: a KPI that builds up through the period (`accumulates`) against the share gone —
    /// 60 % of the quarter's plan two thirds into it is a 90 % pace — any other as it is.
    func pace(_ fulfillment: Double?, _ kpi: KPIDefinition?) -> Double? {
        guard let f = fulfillment, let share = elapsedShare, kpi?.accumulates == true else { return fulfillment }
        return f / share
    }

    /// The state of a KPI's fulfilment, judged on pace while the period runs.
    func tone(_ fulfillment: Double?, _ kpi: KPIDefinition?) -> String { Show.tone(pace(fulfillment, kpi)) }

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
