import SalesCore

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
            "<a class=\"drill\" href=\"\(href)\" title=\"\(c.t("Show the list", "Показать список"))\">\(text)</a>")
    }

    // MARK: A rep's page

    func rep(_ id: Int64) -> HTML {
        guard let rep = engine.reps[id], let card = builder.scorecard(rep: id, period: period) else {
            let noKPIs = c.t(
                "This person's role has no KPIs in the KPI system.",
                "Для роли этого сотрудника в системе KPI нет показателей.")
            return HTML("<h1>\(c.t("No scorecard", "Нет скоркарда"))</h1><p class=\"muted\">\(noKPIs)</p>")
        }
        let team = rep.teamID.flatMap { engine.teams[$0]?.name }
        let peers =
            rep.teamID.map { t in engine.members(of: .team(t)).filter { engine.reps[$0]?.role == rep.role } } ?? [id]
        let role = Layout.repRoleName(rep.role, c.lang)
        let outlook = forecast.card(insights.outlook(.rep(id), period: period), slice: .rep(id))
        let advice = forecast.advice(insights.recommendations(.rep(id), period: period), limit: 3, slice: .rep(id))
        // An account manager's accounts at risk, an SDR's leads to call first.
        let rolePanel: HTML =
            rep.role == .am
            ? forecast.churn(insights.churn(.rep(id)), limit: 5)
            : rep.role == .sdr ? forecast.leads(insights.leads(.rep(id)), limit: 5) : ""
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
    private func summary(_ card: Scorecard, peers: [Int64], id: Int64) -> HTML {
        let indexes = peers.compactMap { builder.scorecard(rep: $0, period: period)?.index }.sorted(by: >)
        let median = indexes.isEmpty ? nil : indexes[indexes.count / 2]
        let place = (indexes.firstIndex { $0 <= card.index } ?? indexes.count) + 1
        let teamMedian = Show.percent(median, c.lang)
        return HTML(
            """
            <div class="summary">
            <div class="card"><div class="muted">\(c.t("Weighted KPI index", "Взвешенный индекс KPI"))</div>
            <div class="big \(Show.tone(card.index))" id="kpi-index">\(Show.percent(card.index, c.lang))</div>\
            \(Chart.progress(card.index, tone: Show.tone(card.index)))</div>
            <div class="card"><div class="muted">\(c.t("Bonus coefficient", "Коэффициент премии"))</div>\
            <div class="big" id="bonus">\(Show.number(card.bonusCoefficient, .ratio, c.lang))</div>
            <div class="muted">\(c.t("from the bonus schedule", "по шкале премирования"))</div></div>
            <div class="card">\
            <div class="muted">\(c.t("Team benchmark (anonymised)", "Сравнение с командой (анонимно)"))</div>
            <div class="big">\(place) / \(indexes.count)</div>\
            <div class="muted">\(c.t("team median index", "медиана индекса команды")): \(teamMedian)</div></div>
            </div>
            """)
    }

    private func gaugeCard(_ line: Scorecard.Line, _ slice: Slice) -> HTML {
        let tone = Show.tone(line.fulfillment)
        let actual = Show.number(line.actual, line.kpi.unit, c.lang)
        let plan = Show.number(line.plan, line.kpi.unit, c.lang)
        let weight = Show.number(line.weight, .count, c.lang)
        return HTML(
            """
            <div class="card kpi" data-kpi="\(line.kpi.id)"><div class="name">\(line.kpi.name(c.lang))</div>
            \(Chart.gauge(line.fulfillment, tone: tone))
            <div class="val" data-value="\(Show.plain(line.actual, line.kpi.unit))">\
            \(drill(line.kpi, slice, actual))</div>
            <div class="plan">\(c.t("plan", "план")) \(plan) · \(c.t("weight", "вес")) \(weight) %</div>
            <div class="ful \(tone)">\(Show.percent(line.fulfillment, c.lang)) \(c.t("of plan", "плана"))</div></div>
            """)
    }

    /// Weekly bars of the role's main result and main activity, up to 13 weeks ending with the period.
    private func trends(_ slice: Slice, role: RepRole) -> HTML {
        let charts = (catalog.kpis(at: .weeklyResult(role)) + catalog.kpis(at: .weeklyActivity(role))).map {
            weekly($0, slice)
        }
        return HTML("<div class=\"card\">\(charts)</div>")
    }

    /// A KPI's weekly bars, up to 13 weeks ending with the period.
    func weekly(_ k: KPIDefinition, _ slice: Slice) -> HTML {
        let weeks = weekPeriods()
        let values = weeks.map { evaluator(slice, $0).value(k.id) ?? 0 }
        let labels = weeks.map { p in
            let d = CivilDate(p.start)
            return "\(d.day).\(d.month)"
        }
        let chart = Chart.bars(values, labels: labels, unit: k.unit, lang: c.lang)
        return HTML("<h2>\(k.name(c.lang)) \(c.t("by week", "по неделям"))</h2>\(chart)")
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
                <tr data-kpi="\(k.id)"><td>\(k.name(c.lang))</td>\
                <td class="num" data-value="\(Show.plain(value, k.unit))">\(Show.number(value, k.unit, c.lang))</td>\
                <td class="muted">\(k.seedTarget ?? "")</td></tr>
                """)
        }
        let list = c.link(["slice": WebController.key(slice), "board": nil], to: .calls)
        let analysed = c.t(
            "\(Int(n)) calls analysed from transcripts", "Проанализировано звонков по расшифровкам: \(Int(n))")
        let trendCharts: HTML =
            trend ? HTML("\(catalog.kpis(at: .callQualityTrend).map { weekly($0, slice) })") : ""
        return HTML(
            """
            <div class="card" id="call-quality"><h2>\(c.t("Call quality", "Качество звонков"))</h2>
            <div class="muted"><a href="\(list)" id="calls-link">\(analysed) →</a></div>
            <table>\(rows)</table>\(trendCharts)</div>
            """)
    }

    /// Monday-started weeks that end within the period, the last 13 of them.
    private func weekPeriods() -> [Period] {
        let lastDay = min(period.end, max(period.start + 1, engine.lastDay + 1)) - 1
        let monday = lastDay - Day((Int(lastDay) + 3) % 7)  // 1970-01-01 was a Thursday
        return (0..<13).reversed().map { Period(start: monday - Day($0 * 7), end: monday - Day($0 * 7) + 7) }.filter {
            $0.end > period.start
        }
    }

    private func funnel(rep id: Int64, role: RepRole, peers: [Int64]) -> HTML {
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
                <div class="row\(i == weakest ? " weakest" : "")"><span>\(s.name(c.lang))</span>\
                <div class="track"><div class="fillbar" style="width:\(width)%"></div></div>
                <span><b>\(count)</b> \(conv)</span></div>
                """)
        }
        let weakestLabel = c.t(
            "Weakest stage against the team median", "Самый слабый этап относительно медианы команды")
        let note: HTML =
            weakest.map {
                HTML("<p class=\"weak\">\(weakestLabel): \(own.stages[$0].name(c.lang))</p>")
            } ?? ""
        let title = c.t("Funnel and stage conversions", "Воронка и конверсии этапов")
        return HTML("<div class=\"card funnel\"><h2>\(title)</h2>\(rows)\(note)</div>")
    }

    /// A stage's conversion and the team's median for it.
    private func conversion(_ own: Double?, team: Double?, weakest: Bool) -> HTML {
        let own = Show.percent(own, c.lang)
        let team = Show.percent(team, c.lang)
        return HTML("<span class=\"conv\(weakest ? " weak" : "")\">\(own) · \(c.t("team", "команда")) \(team)</span>")
    }

    private func activity(_ slice: Slice, role: RepRole) -> HTML {
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
                <tr><td>\(k.name(c.lang))</td>\
                <td class="num">\(drill(k, slice, Show.number(actual, k.unit, c.lang)))</td>\
                <td class="num">\(Show.number(target, k.unit, c.lang))</td>
                <td class="num"><span class="pill \(Show.tone(f))">\(Show.percent(f, c.lang))</span></td></tr>
                """)
        }
        guard !rows.isEmpty else { return "" }
        return HTML(
            """
            <div class="card">\
            <h2>\(c.t("Activity against the role's norms", "Активность относительно норм роли"))</h2><table>
            <tr><th>\(c.t("activity", "активность"))</th><th class="num">\(c.t("actual", "факт"))</th>\
            <th class="num">\(c.t("norm", "норма"))</th><th class="num">%</th></tr>\(rows)</table></div>
            """)
    }

    // MARK: A team's page

    func team(_ slice: Slice, title: String, members: [Int64]) -> HTML {
        let cards = members.compactMap { builder.scorecard(rep: $0, period: period) }
        let e = evaluator(slice)
        let revenue = e.value(.revenue)
        let plan = e.target(.revenue)
        let fulfillment = e.value(.planFulfillment)
        let avgIndex = cards.isEmpty ? nil : cards.reduce(0) { $0 + $1.index } / Double(cards.count)
        let toDate = Period(start: period.start, end: min(period.end, max(period.start, engine.lastDay + 1)))
        let elapsed = Show.percent(Double(toDate.days) / Double(max(1, period.days)) * 100, c.lang)
        let atPlan = cards.filter { $0.index >= 100 }.count
        let planShown = Show.number(plan, .money, c.lang)
        let ofPlan = Show.percent(fulfillment, c.lang)
        let fulfillmentTone = Show.tone(fulfillment)
        let outlook = forecast.card(insights.outlook(slice, period: period), slice: slice)
        let advice = forecast.advice(insights.recommendations(slice, period: period), limit: 6, slice: slice)
        return HTML(
            """
            <h1>\(title)</h1><div class="sub">\(period.label) · \(members.count) \(c.t("people", "чел."))</div>
            <div class="summary">
            <div class="card" id="plan-card"><div class="muted">\(c.t("Revenue against plan", "Выручка к плану"))</div>
            <div class="big" data-kpi="revenue" data-value="\(Show.plain(revenue, .money))">\
            \(drill(catalog[.revenue]?.drillDown, slice, Show.number(revenue, .money, c.lang)))</div>
            <div class="muted">\(c.t("plan", "план")) \(planShown) · <b class="\(fulfillmentTone)">\(ofPlan)</b></div>
            \(Chart.progress(fulfillment, tone: fulfillmentTone))
            <div class="muted">\(c.t("period elapsed", "прошло периода")): \(elapsed)</div></div>
            \(catalog.kpis(at: .teamHeadline).map { stat($0, e) }) \(velocity(slice))
            <div class="card"><div class="muted">\(c.t("Average KPI index", "Средний индекс KPI"))</div>\
            <div class="big \(Show.tone(avgIndex))">\(Show.percent(avgIndex, c.lang))</div>
            <div class="muted">\(c.t("at or above plan", "на плане и выше")): \(atPlan) / \(cards.count)</div></div>
            </div>
            <div class="cols" style="margin:0 0 14px">\(outlook)\(advice)</div>
            \(teamTable(members))
            <div class="cols">\(leaderboard(members))\(teamFunnel(members))</div>
            \(scorecardsSideBySide(cards))
            """)
    }

    /// Open deals × win rate × average deal ÷ cycle, against the previous period.
    private func velocity(_ slice: Slice) -> HTML {
        let v = PipelineVelocity(
            engine: engine, slice: slice, period: period, today: engine.calendar.day(of: insights.forecaster.asOf))
        let change = v.change(\.perDay)
        let parts = [
            c.t("open", "открыто") + " \(v.current.openDeals)",
            "win rate " + Show.percent(v.current.winRate.map { $0 * 100 }, c.lang),
            c.t("average", "чек") + " " + Show.number(v.current.averageDeal.map { $0 / 100 }, .money, c.lang),
            c.t("cycle", "цикл") + " " + Show.number(v.current.cycleDays, .days, c.lang),
        ]
        let versusPrevious =
            change.map {
                " · " + c.t("vs previous", "к прошлому") + " " + ($0 >= 0 ? "+" : "") + Show.percent($0, c.lang)
            } ?? ""
        return HTML(
            """
            <div class="card" id="velocity"><div class="muted">\(c.t("Pipeline velocity", "Скорость воронки"))</div>
            <div class="big">\(Show.number(v.current.perDay.map { $0 / 100 }, .moneyPerDay, c.lang))</div>
            <div class="muted">\(parts.joined(separator: " · "))\(versusPrevious)</div></div>
            """)
    }

    private func stat(_ k: KPIDefinition, _ e: KPIEvaluator) -> HTML {
        let v = e.value(k.id)
        return HTML(
            """
            <div class="card"><div class="muted">\(k.name(c.lang))</div>\
            <div class="big" data-kpi="\(k.id)" data-value="\(Show.plain(v, k.unit))">\
            \(drill(k, e.slice, Show.number(v, k.unit, c.lang)))</div></div>
            """)
    }

    private func teamTable(_ members: [Int64]) -> HTML {
        let kpis = catalog.kpis(at: .teamTable)
        let heads: [HTML] = kpis.map { HTML("<th class=\"num\" title=\"\($0.id)\">\($0.name(c.lang))</th>") }
        let rows: [HTML] = members.compactMap { id in
            guard let rep = engine.reps[id] else { return nil }
            let e = evaluator(.rep(id))
            let card = builder.scorecard(rep: id, period: period)
            let cells: [HTML] = kpis.map { k in
                let v = e.value(k.id)
                let shown = drill(k, .rep(id), Show.number(v, k.unit, c.lang))
                return HTML(
                    "<td class=\"num\" data-kpi=\"\(k.id)\" data-value=\"\(Show.plain(v, k.unit))\">\(shown)</td>")
            }
            let repPage = c.link(["slice": "rep:\(id)"], to: .dashboard)
            return HTML(
                """
                <tr data-rep="\(rep.externalID)"><td><a href="\(repPage)">\(rep.name)</a></td>\
                <td>\(rep.role.rawValue)</td>\(cells)
                <td class="num"><span class="pill \(Show.tone(card?.index))">\
                \(Show.percent(card?.index, c.lang))</span></td>\
                <td class="num">\(Show.number(card?.bonusCoefficient, .ratio, c.lang))</td></tr>
                """)
        }
        let from = CivilDate(period.start)
        let to = CivilDate(period.end)
        let query = "kpis=\(kpis.map(\.id.rawValue).joined(separator: ","))&by=rep&from=\(from)&to=\(to)"
        let scorecards: HTML = "<a href=\"\(Route.apiScorecards)?from=\(from)&to=\(to)&format=xlsx\">XLSX</a>"
        let download = c.t("Download", "Скачать")
        return HTML(
            """
            <div class="card">\
            <span class="downloads">\(download): <a href="\(Route.apiReports)?\(query)&format=csv">CSV</a>\
            <a href="\(Route.apiReports)?\(query)&format=xlsx">XLSX</a>
            · \(c.t("scorecards", "скоркарды")): \(scorecards)</span>
            <h2>\(c.t("Team", "Команда"))</h2><div class="scroll"><table id="team-table">
            <tr><th>\(c.t("person", "сотрудник"))</th><th>\(c.t("role", "роль"))</th>\(heads)\
            <th class="num">\(c.t("KPI index", "индекс KPI"))</th><th class="num">\(c.t("bonus", "премия"))</th></tr>
            \(rows)</table></div></div>
            """)
    }

    private func leaderboard(_ members: [Int64]) -> HTML {
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
                <span>\(Show.number(r.1, k.unit, c.lang))</span></div>
                """)
        }
        let options: [HTML] = catalog.kpis(at: .teamTable).map { o in
            HTML("<option value=\"\(o.id)\"\(o.id == id ? HTML(" selected") : "")>\(o.name(c.lang))</option>")
        }
        let hidden: [HTML] = c.query.filter { $0.key != "board" }.sorted { $0.key < $1.key }.map {
            HTML("<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">")
        }
        return HTML(
            """
            <div class="card funnel" id="leaderboard"><h2>\(c.t("Leaderboard", "Рейтинг"))</h2>
            <form method="get" action="\(c.path)">\(hidden)<select name="board" data-submit>\(options)</select></form>
            \(rows)</div>
            """)
    }

    private func teamFunnel(_ members: [Int64]) -> HTML {
        let sellers = members.filter { engine.reps[$0]?.role != .sdr }
        guard !sellers.isEmpty else { return "" }
        let funnels = sellers.map { ($0, Funnel(role: .ae, measures: engine.measures(.rep($0), in: period))) }
        let medians = Funnel.medianConversions(funnels.map(\.1))
        let stages = Funnel.measures(for: .ae)
        let heads: [HTML] = stages.dropFirst().map { HTML("<th class=\"num\">→ \($0.1(c.lang))</th>") }
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
                        let own = Show.percent(bottleneck.value, c.lang)
                        let team = Show.percent(bottleneck.team, c.lang)
                        let p = String(format: "%.3f", bottleneck.pValue)
                        return c.t(
                            "bottleneck: \(own) against the rest of the team's \(team), p = \(p)",
                            "узкое место: \(own) против \(team) у остальной команды, p = \(p)")
                    }
                    ?? (i == weakest
                        ? c.t(
                            "weakest stage against the median, within chance",
                            "самый слабый этап относительно медианы, в пределах случайности") : nil)
                let weakestMark: HTML = i == weakest ? " data-weakest=\"1\"" : ""
                let bottleneckMark: HTML = b != nil ? " data-bottleneck=\"1\"" : ""
                let tooltip: HTML = title.map { HTML(" title=\"\($0)\"") } ?? ""
                let sign = b != nil ? " ⚠" : i == weakest ? " ▼" : ""
                return HTML(
                    """
                    <td class="num\(i == weakest || b != nil ? " weak" : "")"\(weakestMark)\(bottleneckMark)\(tooltip)>\
                    \(Show.percent(s.conversion, c.lang))\(sign)</td>
                    """)
            }
            return HTML(
                "<tr><td>\(engine.reps[id]?.name ?? "")</td><td class=\"num\">\(f.stages[0].count)</td>\(cells)</tr>")
        }
        let medianCells: [HTML] = medians.dropFirst().map { HTML("<td class=\"num\">\(Show.percent($0, c.lang))</td>") }
        let title = c.t(
            "Funnel by person: ▼ weakest stage, ⚠ a bottleneck (p < 0.05)",
            "Воронка по сотрудникам: ▼ слабейший этап, ⚠ узкое место (p < 0,05)")
        return HTML(
            """
            <div class="card" id="team-funnel"><h2>\(title)</h2>
            <div class="scroll"><table><tr><th>\(c.t("person", "сотрудник"))</th>\
            <th class="num">\(stages[0].1(c.lang))</th>\(heads)</tr>\(rows)
            <tr><td><b>\(c.t("team median", "медиана команды"))</b></td><td></td>\(medianCells)</tr></table></div></div>
            """)
    }

    private func scorecardsSideBySide(_ cards: [Scorecard]) -> HTML {
        let items: [HTML] = cards.map { card in
            let lines: [HTML] = card.lines.map { l in
                HTML(
                    """
                    <tr><td>\(l.kpi.name(c.lang))</td>\
                    <td class="num">\(drill(l.kpi, card.slice, Show.number(l.actual, l.kpi.unit, c.lang)))</td>\
                    <td class="num">\
                    <span class="pill \(Show.tone(l.fulfillment))">\
                    \(Show.percent(l.fulfillment, c.lang))</span></td></tr>
                    """)
            }
            let tone = Show.tone(card.index)
            let index = Show.percent(card.index, c.lang)
            let bonus = Show.number(card.bonusCoefficient, .ratio, c.lang)
            let indexLabel = c.t("index", "индекс")
            let bonusLabel = c.t("bonus", "премия")
            return HTML(
                """
                <div class="card"><h2>\(card.name) <span class="muted">· \(card.role.rawValue)</span></h2>\
                <table>\(lines)</table>
                <p>\(indexLabel) <b class="\(tone)">\(index)</b> · \(bonusLabel) <b>\(bonus)</b></p></div>
                """)
        }
        return HTML(
            "<h2 style=\"margin-top:18px\">\(c.t("Scorecards", "Скоркарды"))</h2><div class=\"cols\">\(items)</div>")
    }
}
