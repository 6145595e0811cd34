import SalesCore

/// Weekly charts and the call-quality card, shown on both dashboards and on the calls pages.
extension DashboardView {
    /// A KPI's weekly bars, up to 13 weeks ending with the period.
    func weekly(_ k: KPIDefinition, _ slice: Slice) -> HTML {
        let weeks = weekPeriods()
        let values = weeks.map { evaluator(slice, $0).value(k.id) ?? 0 }
        let labels = weeks.map { p in
            let d = CivilDate(p.start)
            return "\(d.day).\(d.month)"
        }
        let chart = Chart.bars(values, labels: labels, unit: k.unit, lang: c.lang)
        return HTML("<h2>\(c.t(k.name)) \(c.t("page.dashboard.by_week"))</h2>\(chart)")
    }

    /// The speech-analytics KPIs of the slice in the period against their targets, with the list of
    /// calls behind them; nothing when no call was analysed.
    func callQuality(_ slice: Slice, trend: Bool = false) -> HTML {
        let e = evaluator(slice)
        guard let n = e.value(.callsAnalyzed), n > 0 else { return "" }
        let rows: [HTML] = catalog.kpis(at: .callQuality).map { k in
            let value = e.value(k.id)
            return HTML(
                """
                <tr data-kpi="\(k.id)"><td>\(c.t(k.name))</td>\
                <td class="num" data-value="\(Show.plain(value, k.unit))">\(c.number(value, k.unit))</td>\
                <td class="muted">\(k.seedTarget ?? "")</td></tr>
                """)
        }
        let list = c.link(["slice": WebController.key(slice), "board": nil], to: .calls)
        let analysed = c.t("page.dashboard.calls_analysed", ["count": .count(Int(n))])
        let trendCharts: HTML =
            trend ? HTML("\(catalog.kpis(at: .callQualityTrend).map { weekly($0, slice) })") : ""
        return HTML(
            """
            <div class="card" id="call-quality"><h2>\(c.t("page.dashboard.call_quality"))</h2>
            <div class="muted"><a href="\(list)" id="calls-link">\(analysed) →</a></div>
            <table>\(rows)</table>\(trendCharts)</div>
            """)
    }

    /// Monday-started weeks that end within the period, the last 13 of them.
    func weekPeriods() -> [Period] {
        let lastDay = min(period.end, max(period.start + 1, engine.lastDay + 1)) - 1
        let monday = lastDay - Day(CivilDate.weekday(lastDay))
        return (0..<13).reversed().map { Period(start: monday - Day($0 * 7), end: monday - Day($0 * 7) + 7) }.filter {
            $0.end > period.start
        }
    }
}
