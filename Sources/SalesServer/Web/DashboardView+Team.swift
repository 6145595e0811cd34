import SalesCore

/// A team's dashboard (a head's team, or for an admin the company, a team or a role): revenue against plan,
/// the headline KPIs, the team table, the leaderboard, the funnel and everyone's scorecard.
extension DashboardView {
    func team(_ slice: Slice, title: String, members: [Int64]) -> HTML {
        let cards = members.compactMap { builder.scorecard(rep: $0, period: period) }
        let e = evaluator(slice)
        let revenue = e.value(.revenue)
        let plan = e.target(.revenue)
        let fulfillment = e.value(.planFulfillment)
        let avgIndex = cards.isEmpty ? nil : cards.reduce(0) { $0 + $1.index } / Double(cards.count)
        let toDate = Period(start: period.start, end: min(period.end, max(period.start, engine.lastDay + 1)))
        let elapsed = c.percent(Double(toDate.days) / Double(max(1, period.days)) * 100)
        let atPlan = cards.filter { $0.index >= 100 }.count
        let planShown = c.number(plan, .money)
        let ofPlan = c.percent(fulfillment)
        let fulfillmentTone = tone(fulfillment, catalog[.planFulfillment])
        let outlook = forecast.card(insights.outlook(slice, period: period), slice: slice)
        let advice = forecast.advice(insights.recommendations(slice, period: period), limit: 6, slice: slice)
        let people = c.t("page.dashboard.people", ["count": .count(members.count)])
        return HTML(
            """
            <h1>\(title)</h1><div class="sub">\(period.label) · \(people)</div>
            <div class="summary">
            <div class="card" id="plan-card"><div class="muted">\(c.t("page.dashboard.revenue_against_plan"))</div>
            <div class="big" data-kpi="\(KPI.ID.revenue)" data-value="\(Show.plain(revenue, .money))">\
            \(drill(catalog[.revenue]?.drillDown, slice, c.number(revenue, .money)))</div>
            <div class="muted">\(c.t("page.common.plan")) \(planShown) · \
            <b class="\(fulfillmentTone)">\(ofPlan)</b></div>
            \(Chart.progress(fulfillment, tone: fulfillmentTone))
            <div class="muted">\(c.t("page.dashboard.period_elapsed")): \(elapsed)</div></div>
            \(catalog.kpis(at: .teamHeadline).map { stat($0, e) }) \(velocity(slice))
            <div class="card"><div class="muted">\(c.t("page.dashboard.average_kpi_index"))</div>\
            <div class="big \(Show.tone(avgIndex))">\(c.percent(avgIndex))</div>
            <div class="muted">\(c.t("page.dashboard.at_or_above_plan")): \(atPlan) / \(cards.count)</div></div>
            </div>
            <div class="cols" style="margin:0 0 14px">\(outlook)\(advice)</div>
            \(teamTable(members))
            <div class="cols">\(leaderboard(members))\(teamFunnel(members))</div>
            \(scorecardsSideBySide(cards))
            """)
    }

    /// Open deals × win rate × average deal ÷ cycle, against the previous period.
    func velocity(_ slice: Slice) -> HTML {
        let v = PipelineVelocity(
            engine: engine, slice: slice, period: period, today: engine.calendar.day(of: insights.forecaster.asOf))
        let change = v.change(\.perDay)
        let parts = [
            c.t("page.dashboard.open") + " \(v.current.openDeals)",
            "win rate " + c.percent(v.current.winRate.map { $0 * 100 }),
            c.t("page.dashboard.average") + " " + c.number(v.current.averageDeal.map { $0 / 100 }, .money),
            c.t("page.dashboard.cycle") + " " + c.number(v.current.cycleDays, .days),
        ]
        let versusPrevious =
            change.map {
                " · " + c.t("page.dashboard.vs_previous") + " " + ($0 >= 0 ? "+" : "") + c.percent($0)
            } ?? ""
        return HTML(
            """
            <div class="card" id="velocity"><div class="muted">\(c.t("page.dashboard.pipeline_velocity"))</div>
            <div class="big">\(c.number(v.current.perDay.map { $0 / 100 }, .moneyPerDay))</div>
            <div class="muted">\(parts.joined(separator: " · "))\(versusPrevious)</div></div>
            """)
    }

    func stat(_ k: KPIDefinition, _ e: KPIEvaluator) -> HTML {
        let v = e.value(k.id)
        return HTML(
            """
            <div class="card"><div class="muted">\(c.t(k.name))</div>\
            <div class="big" data-kpi="\(k.id)" data-value="\(Show.plain(v, k.unit))">\
            \(drill(k, e.slice, c.number(v, k.unit)))</div></div>
            """)
    }

    func teamTable(_ members: [Int64]) -> HTML {
        let kpis = catalog.kpis(at: .teamTable)
        let heads: [HTML] = kpis.map { HTML("<th class=\"num\" title=\"\($0.id)\">\(c.t($0.name))</th>") }
        let rows: [HTML] = members.compactMap { id in
            guard let rep = engine.reps[id] else { return nil }
            let e = evaluator(.rep(id))
            let card = builder.scorecard(rep: id, period: period)
            let cells: [HTML] = kpis.map { k in
                let v = e.value(k.id)
                let shown = drill(k, .rep(id), c.number(v, k.unit))
                return HTML(
                    "<td class=\"num\" data-kpi=\"\(k.id)\" data-value=\"\(Show.plain(v, k.unit))\">\(shown)</td>")
            }
            let repPage = c.link(["slice": "rep:\(id)"], to: .dashboard)
            return HTML(
                """
                <tr data-rep="\(rep.externalID)"><td><a href="\(repPage)">\(rep.name)</a></td>\
                <td>\(rep.role.rawValue)</td>\(cells)
                <td class="num"><span class="pill \(Show.tone(card?.index))">\
                \(c.percent(card?.index))</span></td>\
                <td class="num">\(c.number(card?.bonusCoefficient, .ratio))</td></tr>
                """)
        }
        let from = CivilDate(period.start)
        let to = CivilDate(period.end)
        let query = "kpis=\(kpis.map(\.id.rawValue).joined(separator: ","))&by=rep&from=\(from)&to=\(to)"
        let scorecards: HTML = "<a href=\"\(Route.apiScorecards)?from=\(from)&to=\(to)&format=xlsx\">XLSX</a>"
        let download = c.t("page.common.download")
        return HTML(
            """
            <div class="card">\
            <span class="downloads">\(download): <a href="\(Route.apiReports)?\(query)&format=csv">CSV</a>\
            <a href="\(Route.apiReports)?\(query)&format=xlsx">XLSX</a>
            · \(c.t("page.dashboard.scorecards")): \(scorecards)</span>
            <h2>\(c.t("page.dashboard.team_heading"))</h2><div class="scroll"><table id="team-table">
            <tr><th>\(c.t("page.common.person"))</th><th>\(c.t("page.common.role"))</th>\(heads)\
            <th class="num">\(c.t("page.dashboard.kpi_index"))</th>\
            <th class="num">\(c.t("page.dashboard.bonus"))</th></tr>
            \(rows)</table></div></div>
            """)
    }

    func leaderboard(_ members: [Int64]) -> HTML {
        let id = c.query["board"].map { KPI.ID($0) }.flatMap { catalog[$0] != nil ? $0 : nil } ?? .revenue
        let k = catalog[id]!
        var ranked = members.compactMap { m -> (String, Double)? in
            guard let name = engine.reps[m]?.name, let v = evaluator(.rep(m)).value(id) else { return nil }
            return (name, v)
        }
        ranked.sort { k.higherIsBetter ? $0.1 > $1.1 : $0.1 < $1.1 }
        let top = ranked.map { abs($0.1) }.max() ?? 1
        let rows: [HTML] = ranked.prefix(15).enumerated().map { i, r in
            let width = Int(abs(r.1) / max(top, 1e-9) * 100)
            return HTML(
                """
                <div class="row"><span>\(i + 1). \(r.0)</span>\
                <div class="track"><div class="fillbar" style="width:\(width)%"></div></div>\
                <span>\(c.number(r.1, k.unit))</span></div>
                """)
        }
        let options: [HTML] = catalog.kpis(at: .teamTable).map { o in
            HTML("<option value=\"\(o.id)\"\(o.id == id ? HTML(" selected") : "")>\(c.t(o.name))</option>")
        }
        let hidden: [HTML] = c.query.filter { $0.key != "board" }.sorted { $0.key < $1.key }.map {
            HTML("<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">")
        }
        return HTML(
            """
            <div class="card funnel" id="leaderboard"><h2>\(c.t("page.dashboard.leaderboard"))</h2>
            <form method="get" action="\(c.path)">\(hidden)<select name="board" data-submit>\(options)</select></form>
            \(rows)</div>
            """)
    }

    func teamFunnel(_ members: [Int64]) -> HTML {
        let sellers = members.filter { engine.reps[$0]?.role != .sdr }
        guard !sellers.isEmpty else { return "" }
        let funnels = sellers.map { ($0, Funnel(role: .ae, measures: engine.measures(.rep($0), in: period))) }
        let medians = Funnel.medianConversions(funnels.map(\.1))
        let stages = Funnel.measures(for: .ae)
        let heads: [HTML] = stages.dropFirst().map { HTML("<th class=\"num\">→ \(c.t($0.1))</th>") }
        let rows: [HTML] = funnels.map { id, f in
            let weakest = f.weakestStage(against: medians)
            // A bottleneck: a conversion behind the rest of the team that a test says is no accident.
            let bottlenecks = Dictionary(
                insights.bottlenecks(rep: id, period: period).filter { $0.kind == .conversion }.map { ($0.step, $0) },
                uniquingKeysWith: { a, _ in a })
            let cells: [HTML] = f.stages.enumerated().dropFirst().map { i, s in
                let b = bottlenecks[i]
                let title =
                    b.map { bottleneck -> String in
                        let own = c.percent(bottleneck.value)
                        let team = c.percent(bottleneck.team)
                        let p = String(format: "%.3f", bottleneck.pValue)
                        return c.t(
                            "page.dashboard.bottleneck", ["own": .text(own), "team": .text(team), "p": .text(p)])
                    }
                    ?? (i == weakest
                        ? c.t("page.dashboard.weakest_within_chance") : nil)
                let weakestMark: HTML = i == weakest ? " data-weakest=\"1\"" : ""
                let bottleneckMark: HTML = b != nil ? " data-bottleneck=\"1\"" : ""
                let tooltip: HTML = title.map { HTML(" title=\"\($0)\"") } ?? ""
                let sign = b != nil ? " ⚠" : i == weakest ? " ▼" : ""
                return HTML(
                    """
                    <td class="num\(i == weakest || b != nil ? " weak" : "")"\(weakestMark)\(bottleneckMark)\(tooltip)>\
                    \(c.percent(s.conversion))\(sign)</td>
                    """)
            }
            return HTML(
                "<tr><td>\(engine.reps[id]?.name ?? "")</td><td class=\"num\">\(f.stages[0].count)</td>\(cells)</tr>")
        }
        let medianCells: [HTML] = medians.dropFirst().map { HTML("<td class=\"num\">\(c.percent($0))</td>") }
        let title = c.t("page.dashboard.funnel_by_person")
        return HTML(
            """
            <div class="card" id="team-funnel"><h2>\(title)</h2>
            <div class="scroll"><table><tr><th>\(c.t("page.common.person"))</th>\
            <th class="num">\(c.t(stages[0].1))</th>\(heads)</tr>\(rows)
            <tr><td><b>\(c.t("page.dashboard.team_median"))</b></td><td></td>\(medianCells)</tr></table></div></div>
            """)
    }

    func scorecardsSideBySide(_ cards: [Scorecard]) -> HTML {
        let items: [HTML] = cards.map { card in
            let lines: [HTML] = card.lines.map { l in
                HTML(
                    """
                    <tr><td>\(c.t(l.kpi.name))</td>\
                    <td class="num">\(drill(l.kpi, card.slice, c.number(l.actual, l.kpi.unit)))</td>\
                    <td class="num">\
                    <span class="pill \(tone(l.fulfillment, l.kpi))">\
                    \(c.percent(l.fulfillment))</span></td></tr>
                    """)
            }
            let indexTone = Show.tone(card.index)
            let index = c.percent(card.index)
            let bonus = c.number(card.bonusCoefficient, .ratio)
            let indexLabel = c.t("page.dashboard.index")
            let bonusLabel = c.t("page.dashboard.bonus")
            return HTML(
                """
                <div class="card"><h2>\(card.name) <span class="muted">· \(card.role.rawValue)</span></h2>\
                <table>\(lines)</table>
                <p>\(indexLabel) <b class="\(indexTone)">\(index)</b> · \(bonusLabel) <b>\(bonus)</b></p></div>
                """)
        }
        let heading = c.t("page.dashboard.scorecards_heading")
        return HTML("<h2 style=\"margin-top:18px\">\(heading)</h2><div class=\"cols\">\(items)</div>")
    }
}
