import SalesCore

/// A rep's dashboard: their scorecard, weekly trends, funnel against the team, activity against the norms.
extension DashboardView {
    func rep(_ id: Int64) -> HTML {
        guard let rep = engine.reps[id], let card = builder.scorecard(rep: id, period: period) else {
            let noKPIs = c.t("page.dashboard.no_kpis_for_role")
            return HTML("<h1>\(c.t("page.dashboard.no_scorecard"))</h1><p class=\"muted\">\(noKPIs)</p>")
        }
        let team = rep.teamID.flatMap { engine.teams[$0]?.name }
        let peers =
            rep.teamID.map { t in engine.members(of: .team(t)).filter { engine.reps[$0]?.role == rep.role } } ?? [id]
        let role = c.roleName(rep.role)
        // An SDR is paid for SQLs, not revenue: their outlook is in SQLs.
        let outlook =
            rep.role == .sdr
            ? forecast.sqlCard(insights.sqlOutlook(.rep(id), period: period))
            : forecast.card(insights.outlook(.rep(id), period: period), slice: .rep(id))
        let advice = forecast.advice(insights.recommendations(.rep(id), period: period), limit: 3, slice: .rep(id))
        // An account manager's accounts at risk and renewals due, an SDR's leads to call first.
        let rolePanel: HTML
        switch rep.role {
        case .am:
            let churn = forecast.churn(insights.churn(.rep(id)), limit: 5)
            let renewals = forecast.renewals(insights.renewals(.rep(id), period: period), limit: 6)
            rolePanel = "\(churn)\(renewals)"
        case .sdr: rolePanel = forecast.leads(insights.leads(.rep(id)), limit: 5)
        default: rolePanel = ""
        }
        return HTML(
            """
            <h1>\(rep.name)</h1>
            <div class="sub">\(role)\(team.map { " · " + $0 } ?? "") · \(period.label)</div>
            \(summary(card, peers: peers, id: id))
            <div class="cols" style="margin:0 0 14px">\(outlook)\(advice)\(rolePanel)</div>
            <div class="grid">\(card.lines.map { gaugeCard($0, .rep(id)) })</div>
            <div class="cols">\(trends(.rep(id), role: rep.role))\(funnel(rep: id, role: rep.role, peers: peers))\
            \(activity(.rep(id), role: rep.role))\(callQuality(.rep(id)))</div>
            """)
    }

    /// Index and bonus, and where the rep stands in the team without naming anyone.
    func summary(_ card: Scorecard, peers: [Int64], id: Int64) -> HTML {
        let indexes = peers.compactMap { builder.scorecard(rep: $0, period: period)?.index }.sorted(by: >)
        let median = indexes.isEmpty ? nil : indexes[indexes.count / 2]
        let place = (indexes.firstIndex { $0 <= card.index } ?? indexes.count) + 1
        let teamMedian = c.percent(median)
        return HTML(
            """
            <div class="summary">
            <div class="card"><div class="muted">\(c.t("page.dashboard.weighted_kpi_index"))</div>
            <div class="big \(Show.tone(card.index))" id="kpi-index">\(c.percent(card.index))</div>\
            \(Chart.progress(card.index, tone: Show.tone(card.index)))</div>
            <div class="card"><div class="muted">\(c.t("page.dashboard.bonus_coefficient"))</div>\
            <div class="big" id="bonus">\(c.number(card.bonusCoefficient, .ratio))</div>
            <div class="muted">\(c.t("page.dashboard.from_the_bonus_schedule"))</div></div>
            <div class="card">\
            <div class="muted">\(c.t("page.dashboard.team_benchmark_anonymised"))</div>
            <div class="big">\(place) / \(indexes.count)</div>\
            <div class="muted">\(c.t("page.dashboard.team_median_index")): \(teamMedian)</div></div>
            </div>
            """)
    }

    func gaugeCard(_ line: Scorecard.Line, _ slice: Slice) -> HTML {
        let state = tone(line.fulfillment, line.kpi)
        let paced = pace(line.fulfillment, line.kpi)
        let onPace =
            paced != line.fulfillment ? " · " + c.t("page.dashboard.on_pace", ["pace": .text(c.percent(paced))]) : ""
        let actual = c.number(line.actual, line.kpi.unit)
        let plan = c.number(line.plan, line.kpi.unit)
        let weight = c.number(line.weight, .count)
        return HTML(
            """
            <div class="card kpi" data-kpi="\(line.kpi.id)"><div class="name">\(c.t(line.kpi.name))</div>
            \(Chart.gauge(line.fulfillment, tone: state))
            <div class="val" data-value="\(Show.plain(line.actual, line.kpi.unit))">\
            \(drill(line.kpi, slice, actual))</div>
            <div class="plan">\(c.t("page.common.plan")) \(plan) · \(c.t("page.common.weight")) \(weight) %</div>
            <div class="ful \(state)">\(c.percent(line.fulfillment)) \(c.t("page.dashboard.of_plan"))\(onPace)</div>\
            </div>
            """)
    }

    /// Weekly bars of the role's main result and main activity, up to 13 weeks ending with the period.
    func trends(_ slice: Slice, role: RepRole) -> HTML {
        let charts = (catalog.kpis(at: .weeklyResult(role)) + catalog.kpis(at: .weeklyActivity(role))).map {
            weekly($0, slice)
        }
        return HTML("<div class=\"card\">\(charts)</div>")
    }

    func funnel(rep id: Int64, role: RepRole, peers: [Int64]) -> HTML {
        let own = Funnel(role: role, measures: engine.measures(.rep(id), in: period))
        let medians = Funnel.medianConversions(
            peers.map { Funnel(role: role, measures: engine.measures(.rep($0), in: period)) })
        let weakest = own.weakestStage(against: medians)
        let top = max(own.stages.first?.count ?? 1, 1)
        let rows: [HTML] = own.stages.enumerated().map { i, s in
            let conv: HTML =
                s.conversion == nil && i > 0
                ? HTML("<span class=\"conv\">—</span>")
                : i == 0
                    ? ""
                    : conversion(s.conversion, team: medians[i], weakest: i == weakest)
            let width = Int(Double(s.count) / Double(top) * 100)
            let count: HTML =
                i == 0 && role != .sdr ? drill(.deals(.opened), .rep(id), String(s.count)) : HTML("\(s.count)")
            return HTML(
                """
                <div class="row\(i == weakest ? " weakest" : "")"><span>\(c.t(s.name))</span>\
                <div class="track"><div class="fillbar" style="width:\(width)%"></div></div>
                <span><b>\(count)</b> \(conv)</span></div>
                """)
        }
        let weakestLabel = c.t("page.dashboard.weakest_stage")
        let note: HTML =
            weakest.map {
                HTML("<p class=\"weak\">\(weakestLabel): \(c.t(own.stages[$0].name))</p>")
            } ?? ""
        let title = c.t("page.dashboard.funnel_and_stage_conversions")
        return HTML("<div class=\"card funnel\"><h2>\(title)</h2>\(rows)\(note)</div>")
    }

    /// A stage's conversion and the team's median for it.
    func conversion(_ own: Double?, team: Double?, weakest: Bool) -> HTML {
        let own = c.percent(own)
        let team = c.percent(team)
        return HTML(
            "<span class=\"conv\(weakest ? " weak" : "")\">\(own) · \(c.t("page.dashboard.team")) \(team)</span>")
    }

    func activity(_ slice: Slice, role: RepRole) -> HTML {
        let e = evaluator(slice)
        // The seeds' activity norms: ≥ 50 calls a day, ≥ 10 meetings a week, 15–20 proposals, 5–7 contracts a month.
        let rows: [HTML] = catalog.kpis.compactMap { k in
            guard let norm = k.norm, k.roles.contains(role) else { return nil }
            let target = ScorecardKPI(kpi: k.id, weight: 0, target: norm.target, per: norm.per).scaledTarget(
                for: period, additive: k.isAdditive)
            let actual = e.value(k.id)
            let f = ScorecardBuilder.fulfillment(actual: actual, plan: target, higherIsBetter: true)
            return HTML(
                """
                <tr><td>\(c.t(k.name))</td>\
                <td class="num">\(drill(k, slice, c.number(actual, k.unit)))</td>\
                <td class="num">\(c.number(target, k.unit))</td>
                <td class="num"><span class="pill \(tone(f, k))">\(c.percent(f))</span></td></tr>
                """)
        }
        guard !rows.isEmpty else { return "" }
        return HTML(
            """
            <div class="card">\
            <h2>\(c.t("page.dashboard.activity_against_the_role_s_norms"))</h2><table>
            <tr><th>\(c.t("page.common.activity"))</th><th class="num">\(c.t("page.dashboard.actual"))</th>\
            <th class="num">\(c.t("page.dashboard.norm"))</th><th class="num">%</th></tr>\(rows)</table></div>
            """)
    }
}
