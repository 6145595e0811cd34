import Foundation
import SalesCore
import SalesImport

/// The predictive layer on screen: the forecast card and range chart, the recommendations panel,
/// and the `/forecast` page (forecast by slice, what-if sliders, open deals with win probability).
struct ForecastView {
    let c: PageContext
    let period: Period
    let insights: InsightTables

    /// Forecasts only look ahead: a period that has ended shows what was won.
    var periodIsRunning: Bool { insights.engine.calendar.start(of: period.end) > insights.forecaster.asOf }

    func money(_ m: Money?) -> String { c.number(m.map { Double($0) / 100 }, .money) }

    /// Expected revenue with its P10–P90 range against plan, and what it is made of.
    func card(_ o: SalesForecaster.Outlook, slice: Slice) -> HTML {
        let f = o.forecast
        guard periodIsRunning else {
            let over = c.t("page.forecast.the_period_is_over_no_forecast")
            return HTML(
                """
                <div class="card" id="forecast-card">\
                <div class="muted">\(c.t("page.forecast.revenue_won_in_the_period"))</div>
                <div class="big">\(money(f.closed))</div>\
                <div class="muted">\(over)</div></div>
                """)
        }
        let tone = Show.tone(o.expectedFulfillment)
        let more = c.t("page.forecast.forecast_deals_and_what_if")
        let plan = o.plan.map { " · " + c.t("page.common.plan") + " " + money($0) } ?? ""
        // What the forecast is made of.
        let parts = [
            c.t("page.forecast.won") + " " + money(f.closed),
            c.t("page.forecast.open_deals") + " " + money(f.expectedFromOpen),
            c.t("page.forecast.new_deals") + " " + money(f.expectedFromNew),
        ]
        return HTML(
            """
            <div class="card" id="forecast-card" data-expected="\(f.expected)" data-p10="\(f.p10)" data-p90="\(f.p90)">
            <div class="muted">\(c.t("page.forecast.forecast_for_the_period"))</div>
            <div class="big \(tone)">\(money(f.expected))</div>
            <div class="muted">P10–P90: \(money(f.p10)) – \(money(f.p90))\(plan)\
            \(o.expectedFulfillment.map { HTML(" · <b class=\"\(tone)\">\(c.percent($0))</b>") } ?? "")</div>
            \(Self.rangeChart(f, plan: o.plan))
            <div class="muted">\(parts.joined(separator: " + "))</div>
            <div><a href="\(forecastPage(slice))">\(more)</a></div></div>
            """)
    }

    /// An SDR's outlook: SQLs so far and expected by the period's end at the last 90 days' pace, against plan.
    func sqlCard(_ o: SQLOutlook) -> HTML {
        guard periodIsRunning else {
            return HTML(
                """
                <div class="card" id="sql-outlook"><div class="muted">\(c.t("page.forecast.sqls_in_the_period"))</div>
                <div class="big">\(c.number(Double(o.soFar), .count))</div></div>
                """)
        }
        let tone = Show.tone(o.fulfillment)
        let plan = o.plan.map { " · " + c.t("page.common.plan") + " " + c.number($0, .count) } ?? ""
        let pace = c.t(
            "page.forecast.sql_pace",
            ["so_far": .text(c.number(Double(o.soFar), .count)), "pace": .text(c.number(o.dailyPace, .ratio))])
        return HTML(
            """
            <div class="card" id="sql-outlook" data-expected="\(String(format: "%.2f", o.expected))">
            <div class="muted">\(c.t("page.forecast.sqls_by_the_period_end"))</div>
            <div class="big \(tone)">\(c.number(o.expected.rounded(), .count))</div>
            <div class="muted">\(pace)\(plan)\
            \(o.fulfillment.map { HTML(" · <b class=\"\(tone)\">\(c.percent($0))</b>") } ?? "")</div></div>
            """)
    }

    /// The `/forecast` page of the slice, in the same period.
    private func forecastPage(_ slice: Slice) -> String {
        c.link(["slice": WebController.key(slice)], to: .forecast)
    }

    /// A bar from 0: won so far (solid), the P10–P90 band, the expected mark and the plan line.
    static func rangeChart(_ f: RevenueForecast, plan: Money?) -> HTML {
        let top = Double(max(f.p90, plan ?? 0, 1)) * 1.08
        func x(_ m: Money) -> String { String(format: "%.1f", Double(m) / top * 300) }
        let planLine =
            plan.map {
                "<line class=\"r-plan\" x1=\"\(x($0))\" y1=\"2\" x2=\"\(x($0))\" y2=\"26\"><title>plan</title></line>"
            } ?? ""
        let bandWidth = String(format: "%.1f", Double(max(0, f.p90 - f.p10)) / top * 300)
        return HTML(
            raw: """
                <svg class="range" viewBox="0 0 300 28" preserveAspectRatio="none" role="img" aria-label="P10–P90">\
                <rect class="r-bg" x="0" y="9" width="300" height="10" rx="5"/>\
                <rect class="r-band" x="\(x(f.p10))" y="6" width="\(bandWidth)" height="16" rx="4"/>\
                <rect class="r-won" x="0" y="9" width="\(x(f.closed))" height="10" rx="5"/>\
                <line class="r-exp" x1="\(x(f.expected))" y1="4" x2="\(x(f.expected))" y2="24"/>\(planLine)</svg>
                """)
    }

    /// The first `limit` recommendations, each citing its numbers.
    func advice(_ recs: [Recommendation], limit: Int, slice: Slice) -> HTML {
        let atStake = c.t("page.forecast.at_stake")
        let items: [HTML] = recs.prefix(limit).map { r in
            let stake: HTML = r.impact > 0 ? HTML(" <span class=\"muted\">· \(atStake) \(money(r.impact))</span>") : ""
            return HTML("<li data-kind=\"\(r.kind.rawValue)\"><b>\(r.repName)</b>: \(c.t(r.text))\(stake)</li>")
        }
        let all = c.t("page.forecast.all_recommendations", ["count": .count(recs.count)])
        let more: HTML = recs.count > limit ? HTML("<p><a href=\"\(forecastPage(slice))#advice\">\(all)</a></p>") : ""
        let nothing = c.t("page.forecast.nothing_stands_out_in_this_period")
        let list: HTML =
            items.isEmpty ? HTML("<p class=\"muted\">\(nothing)</p>") : HTML("<ul class=\"advice\">\(items)</ul>")
        return HTML(
            """
            <div class="card" id="advice-panel"><h2>\(c.t("page.forecast.what_to_change"))</h2>\
            \(list)\(more)</div>
            """)
    }

    /// An account manager's accounts at risk, with the reasons.
    func churn(_ risks: [ChurnRisk], limit: Int) -> HTML {
        let rows: [HTML] = risks.prefix(limit).map { r in
            let tone = r.level == .high ? "bad" : r.level == .medium ? "warn" : "good"
            let why = r.reasons.map { c.t($0) }.joined(separator: "; ")
            return HTML(
                """
                <tr><td>\(r.accountName)</td><td class="num"><span class="pill \(tone)">\(r.score)</span></td>\
                <td class="why"><span class="muted">\(c.t("page.forecast.year_at_stake")) \
                <span class="stake">\(money(r.yearRevenue))</span></span><br>\(why)</td></tr>
                """)
        }
        let table: HTML =
            rows.isEmpty
            ? HTML("<p class=\"muted\">\(c.t("page.forecast.no_account_shows_signs_of_leaving"))</p>")
            : HTML(
                """
                <table><tr><th>\(c.t("page.forecast.account"))</th><th class="num">\(c.t("page.forecast.risk"))</th>\
                <th>\(c.t("page.forecast.why"))</th></tr>\(rows)</table>
                """)
        return HTML(
            """
            <div class="card" id="churn-panel">\
            <span class="downloads"><a href="\(Route.apiChurn)?format=xlsx">XLSX</a></span>\
            <h2>\(c.t("page.forecast.accounts_at_risk"))</h2>\
            \(table)</div>
            """)
    }

    /// An account manager's clients due to buy again in the period, soonest first, with what each is worth.
    func renewals(_ due: [RenewalDue], limit: Int) -> HTML {
        let rows: [HTML] = due.prefix(limit).map { r in
            let working: HTML =
                r.openDeal ? HTML(" <span class=\"pill good\">\(c.t("page.forecast.deal_open"))</span>") : ""
            return HTML(
                """
                <tr><td>\(r.accountName)\(working)</td><td class="num">\(CivilDate(r.due))</td>\
                <td class="num">\(money(r.expected))</td></tr>
                """)
        }
        let total = due.reduce(Money(0)) { $0 + $1.expected }
        let summary = c.t("page.forecast.renewals_total", ["count": .count(due.count), "total": .text(money(total))])
        let body: HTML =
            rows.isEmpty
            ? HTML("<p class=\"muted\">\(c.t("page.forecast.no_renewals_due"))</p>")
            : HTML(
                """
                <p class="muted">\(summary)</p>\
                <table><tr><th>\(c.t("page.forecast.account"))</th><th class="num">\(c.t("page.forecast.due"))</th>\
                <th class="num">\(c.t("page.forecast.worth"))</th></tr>\(rows)</table>
                """)
        return HTML(
            """
            <div class="card" id="renewals-panel">\
            <span class="downloads"><a href="\(Route.apiRenewals)?format=xlsx">XLSX</a></span>\
            <h2>\(c.t("page.forecast.renewals_due"))</h2>\
            \(body)</div>
            """)
    }

    /// An SDR's open leads, the likeliest to qualify first.
    func leads(_ scores: [LeadScoring.Score], limit: Int) -> HTML {
        let rows: [HTML] = scores.prefix(limit).map { l in
            let why = l.reasons.map { c.t($0) }.joined(separator: "; ")
            return HTML(
                "<tr><td>\(l.externalID)</td><td class=\"num\">\(l.score) %</td><td class=\"why\">\(why)</td></tr>")
        }
        let noLeads = c.t("page.forecast.no_leads_to_score")
        let table: HTML =
            rows.isEmpty
            ? HTML("<p class=\"muted\">\(noLeads)</p>")
            : HTML(
                """
                <table><tr><th>\(c.t("page.forecast.lead"))</th><th class="num">\(c.t("page.forecast.sql_chance"))</th>\
                <th>\(c.t("page.forecast.why"))</th></tr>\(rows)</table>
                """)
        return HTML(
            """
            <div class="card" id="leads-panel">\
            <span class="downloads"><a href="\(Route.apiLeads)?format=xlsx">XLSX</a></span>\
            <h2>\(c.t("page.forecast.leads_to_call_first"))</h2>\
            \(table)</div>
            """)
    }

    // MARK: The /forecast page

    func page(slice: Slice, sliceName: String, change: SalesForecaster.Change) -> HTML {
        let outlooks = insights.outlooks(slice, period: period)
        let api = "from=\(CivilDate(period.start))&to=\(CivilDate(period.end))" + apiSlice(slice)
        let model = insights.forecaster.model
        let howTrained = c.t("page.forecast.how_trained", ["count": .count(model.trainedOn)])
        let modelNote =
            model.note.map { HTML("<p class=\"error\">\(c.t($0))</p>") }
            ?? HTML("<p class=\"muted\">\(howTrained)</p>")
        let rows: [HTML] = outlooks.map { o in
            HTML(
                """
                <tr data-slice="\(o.slice)"><td>\(o.slice == "company" ? c.company : o.name)</td>\
                <td class="num">\(money(o.forecast.closed))</td>
                <td class="num"><b>\(money(o.forecast.expected))</b></td>\
                <td class="num">\(money(o.forecast.p10)) – \(money(o.forecast.p90))</td>
                <td class="num">\(money(o.plan))</td><td class="num">\
                <span class="pill \(Show.tone(o.expectedFulfillment))">\
                \(c.percent(o.expectedFulfillment))</span></td>
                <td style="min-width:200px">\(Self.rangeChart(o.forecast, plan: o.plan))</td></tr>
                """)
        }
        let deals = insights.openDeals(slice, limit: 30)
        let recs = insights.recommendations(slice, period: period)
        let periodOver = periodIsRunning ? "" : " · " + c.t("page.forecast.the_period_is_over")
        let allDeals = api + "&limit=100000"
        let download = c.t("page.common.download")
        let downloadAll = c.t("page.forecast.download_all")
        return HTML(
            """
            <p><a href="\(c.link([:], to: .dashboard))">← \(c.t("page.common.back_to_the_dashboard"))</a></p>
            <h1>\(c.t("page.common.forecast")): \(sliceName)</h1><div class="sub">\(period.label)\(periodOver)</div>
            \(modelNote)
            <div class="card">\
            <span class="downloads">\(download): <a href="\(Route.apiForecast)?\(api + "&format=csv")">CSV</a>\
            <a href="\(Route.apiForecast)?\(api + "&format=xlsx")">XLSX</a></span>
            <h2>\(c.t("page.forecast.where_the_period_will_land"))</h2>\
            <div class="scroll"><table id="forecast-table">
            <tr><th>\(c.t("page.common.who"))</th><th class="num">\(c.t("page.forecast.won"))</th>\
            <th class="num">\(c.t("page.forecast.expected"))</th><th class="num">P10 – P90</th>
            <th class="num">\(c.t("page.common.plan"))</th><th class="num">\(c.t("page.forecast.of_plan"))</th>\
            <th></th></tr>\(rows)</table></div></div>
            <div class="cols">\(whatIf(slice: slice, change: change))\(advice(recs, limit: 12, slice: slice))</div>
            <div class="card" id="pipeline" style="margin-top:14px">\
            <span class="downloads">\(downloadAll): <a href="\(Route.apiPipeline)?\(allDeals + "&format=csv")">CSV</a>\
            <a href="\(Route.apiPipeline)?\(allDeals + "&format=xlsx")">XLSX</a></span>
            <h2>\(c.t("page.forecast.open_deals_heading"))</h2>\
            \(table(deals))</div>
            """)
    }

    private func apiSlice(_ slice: Slice) -> String {
        switch slice {
        case .rep(let id): "&rep=\(Self.percentEncoded(insights.engine.reps[id]?.externalID))"
        case .team(let id): "&team=\(Self.percentEncoded(insights.engine.teams[id]?.externalID))"
        case .role(let r): "&role=\(r.rawValue)"
        case .company: ""
        }
    }

    private static func percentEncoded(_ id: String?) -> String {
        id?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Sliders for the four drivers; the page is recomputed on the server (it works without scripts;
    /// with them, moving a slider resubmits).
    private func whatIf(slice: Slice, change: SalesForecaster.Change) -> HTML {
        let w = insights.whatIf(slice, period: period, change: change)
        func slider(_ name: String, _ label: String, _ value: Double, _ range: ClosedRange<Int>, _ unit: String) -> HTML
        {
            HTML(
                """
                <label>\(label): <output>\(value >= 0 ? "+" : "")\(Int(value)) \(unit)</output>
                <input type="range" name="\(name)" min="\(range.lowerBound)" max="\(range.upperBound)"\
                 step="1" value="\(Int(value))"
                 data-unit="\(unit)" data-submit></label>
                """)
        }
        let stages: [HTML] = [DealStage.meeting, .proposal, .contract, .won].map { s in
            let selected: HTML = change.stage == s ? " selected" : ""
            return HTML("<option value=\"\(s.rawValue)\"\(selected)>\(c.t(s.name))</option>")
        }
        let keep: [HTML] = c.query.filter {
            !["stage", "conversion", "deal_size", "cycle", "activity"].contains($0.key)
        }.sorted { $0.key < $1.key }
            .map { HTML("<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">") }
        let delta = w.revenueChange
        let conversionLine: HTML =
            w.conversionNow.map { now -> HTML in
                let stage = c.t(change.stage?.name) ?? ""
                let then = c.percent(w.conversionThen)
                let into = c.t("page.forecast.conversion_into")
                return HTML("<p class=\"muted\">\(into) «\(stage)»: \(c.percent(now)) → \(then)</p>")
            } ?? ""
        let points = c.t("page.forecast.pp")
        let deltaTone = delta >= 0 ? "good" : "bad"
        let signedDelta = (delta >= 0 ? "+" : "") + money(delta)
        return HTML(
            """
            <div class="card" id="whatif"><h2>\(c.t("page.forecast.what_if"))</h2>
            <form method="get" action="\(Route.forecast)" class="whatif">\(keep)
            <label>\(c.t("page.forecast.whatif_conversion_into")) <select name="stage" data-submit>
            <option value="">—</option>\(stages)</select></label>
            \(slider("conversion", c.t("page.forecast.conversion"), change.conversionPoints, -30...30, points))
            \(slider("deal_size", c.t("page.forecast.average_deal"), change.dealSizePercent, -50...100, "%"))
            \(slider("cycle", c.t("page.forecast.cycle_length"), change.cyclePercent, -50...100, "%"))
            \(slider("activity", c.t("page.common.activity"), change.activityPercent, -50...100, "%"))
            <noscript><button class="btn">\(c.t("page.forecast.recalculate"))</button></noscript></form>
            \(conversionLine)
            <table><tr><th></th><th class="num">\(c.t("page.forecast.expected"))</th><th class="num">P10 – P90</th>\
            <th class="num">\(c.t("page.forecast.of_plan"))</th></tr>
            <tr><td>\(c.t("page.forecast.as_is"))</td><td class="num">\(money(w.base.forecast.expected))</td>\
            <td class="num">\(money(w.base.forecast.p10)) – \(money(w.base.forecast.p90))</td>\
            <td class="num">\(c.percent(w.base.expectedFulfillment))</td></tr>
            <tr id="whatif-scenario"><td>\(c.t("page.forecast.scenario"))</td>\
            <td class="num"><b>\(money(w.scenario.forecast.expected))</b></td>\
            <td class="num">\(money(w.scenario.forecast.p10)) – \(money(w.scenario.forecast.p90))</td>\
            <td class="num">\(c.percent(w.scenario.expectedFulfillment))</td></tr>
            </table><p id="whatif-delta" data-delta="\(delta)">\
            \(c.t("page.forecast.revenue_change")): <b class="\(deltaTone)">\(signedDelta)</b></p></div>
            """)
    }

    private func table(_ t: ReportTable) -> HTML {
        guard !t.rows.isEmpty else {
            return HTML("<p class=\"muted\">\(c.t("page.forecast.no_open_deals"))</p>")
        }
        let heads: [HTML] = t.columns.map { HTML("<th>\($0.title)</th>") }
        let rows: [HTML] = t.rows.map { row in
            let cells: [HTML] = row.map { cell in
                switch cell {
                case .text(let s): HTML("<td class=\"why\">\(s)</td>")
                case .number(let v, let d):
                    HTML("<td class=\"num\">\(c.number(v, d == 0 ? .money : .percent))</td>")
                }
            }
            return HTML("<tr>\(cells)</tr>")
        }
        return HTML("<div class=\"scroll\"><table id=\"pipeline-table\"><tr>\(heads)</tr>\(rows)</table></div>")
    }
}
