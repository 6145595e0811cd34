import Foundation

/// A concrete suggestion for one person, with the numbers behind it and what it is worth.
public struct Recommendation: Sendable, Codable, Equatable {
    public init(kind: Kind, rep: Int64, repName: String, text: LocalizedText, subject: String, impact: Money) {
        self.kind = kind
        self.rep = rep
        self.repName = repName
        self.text = text
        self.subject = subject
        self.impact = impact
    }
    public enum Kind: String, Sendable, Codable {
        /// A conversion into a funnel step lags the team (significantly).
        case conversion
        /// Deals sit longer in a stage than the team's (significantly).
        case duration
        /// Open deals with no activity for `Advisor.staleDays` days.
        case staleDeals = "stale_deals"
        /// A KPI fell below its scorecard threshold.
        case belowThreshold = "below_threshold"
        /// Won revenue is running well below the previous period's pace.
        case trendDown = "trend_down"
        /// An SDR's SQLs are on pace to fall short of the plan.
        case sqlPace = "sql_pace"
        /// An SDR answers leads slower than the plan, where the team's leads show that speed pays.
        case responseTime = "response_time"
        /// What the analysed calls show: no next step, objections left unanswered, talking over the client.
        case calls
    }
    public var kind: Kind
    public var rep: Int64
    public var repName: String
    public var text: LocalizedText
    /// What it is about within its kind (a funnel step, a stage, a KPI):
    /// an alert is sent once per person, kind and subject.
    public var subject: String
    /// Revenue at stake (minor units): what closing the gap would bring in this period, roughly.
    public var impact: Money
}

/// Writes each person's recommendations for a period from their scorecard, funnel bottlenecks,
/// stale deals and revenue trend, and ranks them by the revenue at stake.
public struct Advisor {
    public let engine: SalesEngine
    public let history: DealHistory
    public let model: WinProbabilityModel
    /// An open deal with no activity for this many days is stale.
    public static let staleDays = 14

    public init(engine: SalesEngine, history: DealHistory, model: WinProbabilityModel) {
        self.engine = engine
        self.history = history
        self.model = model
    }

    /// Everyone's recommendations, the most at stake first. A person's own scorecard adds their KPIs
    /// below threshold (a head's card is their team's: their advice is about their own deals).
    public func recommendations(for reps: [Int64], period: Period, asOf: Timestamp, builder: ScorecardBuilder)
        -> [Recommendation]
    {
        reps.flatMap { id in
            let card = builder.scorecard(rep: id, period: period).flatMap { card -> Scorecard? in
                if case .rep = card.slice { return card } else { return nil }
            }
            let sqlPlan = builder.catalog[.newSQLs].flatMap {
                builder.plans.target(kpi: $0, slice: .rep(id), period: period)
            }
            let responsePlan = builder.catalog[.leadResponseMinutes].flatMap {
                builder.plans.target(kpi: $0, slice: .rep(id), period: period)
            }
            return recommendations(
                rep: id, period: period, asOf: asOf, card: card, sqlPlan: sqlPlan, responsePlan: responsePlan)
        }.sorted { $0.impact > $1.impact }
    }

    /// `asOf`: the instant deals are looked at (open, stale); `card` adds the below-threshold KPIs; `sqlPlan` an
    /// SDR's SQL pace, `responsePlan` (minutes) their answer speed.
    public func recommendations(
        rep: Int64, period: Period, asOf: Timestamp, card: Scorecard? = nil, sqlPlan: Double? = nil,
        responsePlan: Double? = nil
    ) -> [Recommendation] {
        guard let info = engine.reps[rep] else { return [] }
        var out: [Recommendation] = []
        func add(_ kind: Recommendation.Kind, _ subject: String, _ text: LocalizedText, _ impact: Double) {
            out.append(
                Recommendation(
                    kind: kind, rep: rep, repName: info.name, text: text, subject: subject,
                    impact: Money(max(0, impact))))
        }
        let mine = engine.measures(.rep(rep), in: period)
        let won = Double(mine[.dealsWon])
        let closed = Double(mine[.dealsWon] + mine[.dealsLost])
        let averageDeal = won > 0 ? Double(mine[.wonRevenue]) / won : 0
        let open = history.deals.filter { $0.owner == rep && $0.isOpen(at: asOf) }
        let stale = open.filter { d in
            let last = d.activities(before: asOf).last ?? d.stage(before: asOf).since
            return asOf - last >= Timestamp(Self.staleDays) * 86_400
        }
        let steps = Funnel.measures(for: info.role)

        for f in FunnelBottleneckFinder(engine: engine, history: history).findings(rep: rep, period: period) {
            switch f.kind {
            case .conversion:
                let from = steps[f.step - 1].1
                let to = f.stepName
                // Stale deals waiting to make this step: at the stage it starts from.
                let waiting = stale.filter { Self.step(of: $0.stage(before: asOf).stage) == f.step - 1 }.count
                let lost = Int(f.shortfall.rounded())
                let unit = info.role == .sdr ? "leads" : "deals"
                // Each deal short here would have been won at the rate of the steps after it.
                let downstream = Self.downstreamRate(mine, steps, from: f.step)
                let staleDays = LocalizedText("common.days", ["count": .count(Self.staleDays)])
                let next =
                    waiting > 0
                    ? LocalizedText(
                        "advice.conversion.stale", ["count": .count(waiting), "days": .localized(staleDays)])
                    : LocalizedText("advice.conversion.review")
                let text = LocalizedText(
                    "advice.conversion",
                    [
                        "from": .localized(from), "to": .localized(to), "value": .text(Self.pct(f.value)),
                        "team": .text(Self.pct(f.team)), "p": .text(Self.p(f.pValue)),
                        "closed": .localized(LocalizedText("advice.count.\(unit)", ["count": .count(f.count)])),
                        "shortfall": .localized(LocalizedText("advice.shortfall.\(unit)", ["count": .count(lost)])),
                        "next": .localized(next),
                    ])
                add(.conversion, "step \(f.step)", text, f.shortfall * downstream * averageDeal)
            case .duration:
                let extra = f.value - f.team
                let text = LocalizedText(
                    "advice.duration",
                    [
                        "stage": .localized(f.stepName), "value": .text(Self.days(f.value)),
                        "team": .text(Self.days(f.team)), "p": .text(Self.p(f.pValue)),
                        "closed": .localized(LocalizedText("advice.count.deals", ["count": .count(f.count)])),
                    ])
                // Days lost per deal slow the revenue of the period by that share of the cycle.
                let cycle = won > 0 ? Double(mine[.wonCycleDays]) / won : 0
                add(.duration, f.stepName.en, text, cycle > 0 ? Double(mine[.wonRevenue]) * min(1, extra / cycle) : 0)
            }
        }
        if !stale.isEmpty {
            let atRisk = stale.reduce(0.0) {
                $0 + Double($1.amount) * model.probability(DealSnapshot($1, at: asOf, history: history))
            }
            let total = stale.reduce(Money(0)) { $0 + $1.amount }
            add(
                .staleDeals, "",
                LocalizedText(
                    "advice.stale_deals",
                    [
                        "stale": "\(stale.count)", "count": .count(open.count), "total": .text(Self.money(total)),
                        "days": "\(Self.staleDays)", "value": .text(Self.money(Money(atRisk))),
                    ]),
                atRisk)
        }
        for line in card?.lines ?? [] where line.score == 0 && line.fulfillment != nil && line.weight > 0 {
            let k = line.kpi
            let f = line.fulfillment!
            let gap = k.unit == .money ? ((line.plan ?? 0) - (line.actual ?? 0)) * 100 : 0
            add(
                .belowThreshold, k.id.rawValue,
                LocalizedText(
                    "advice.below_threshold",
                    [
                        "kpi": .localized(k.name), "fulfillment": .text(Self.pct(f)),
                        "actual": .text(Self.number(line.actual)), "plan": .text(Self.number(line.plan)),
                    ]),
                gap)
        }
        if info.role == .sdr, let sqlPlan, let advice = sqlPace(rep: rep, period: period, asOf: asOf, plan: sqlPlan) {
            add(.sqlPace, "new_sqls", advice.text, advice.impact)
        }
        if info.role == .sdr, let responsePlan,
            let advice = responseTime(rep: rep, period: period, asOf: asOf, plan: responsePlan)
        {
            add(.responseTime, KPI.ID.leadResponseMinutes.rawValue, advice.text, advice.impact)
        }
        out += Self.callAdvice(rep: rep, name: info.name, mine: mine)
        // Trend: the pace of won revenue against the previous period of the same length.
        let previous = engine.measures(.rep(rep), in: period.previous)[.wonRevenue]
        let elapsed = Double(min(period.end, engine.calendar.day(of: asOf) + 1) - period.start)
        if previous > 0, elapsed >= 7, closed >= 0 {
            let pace = Double(mine[.wonRevenue]) / elapsed * Double(period.days)
            let change = (pace - Double(previous)) / Double(previous) * 100
            if change <= -30 {
                let running = elapsed < Double(period.days)
                let text = LocalizedText(
                    running ? "advice.trend_down.running" : "advice.trend_down.closed",
                    [
                        "pace": .text(Self.money(Money(pace))), "previous": .text(Self.money(previous)),
                        "change": .text(Self.pct(change)),
                    ])
                add(.trendDown, "won_revenue", text, Double(previous) - pace)
            }
        }
        return out.sorted { $0.impact > $1.impact }
    }

    /// An SDR's SQLs on pace to end the running period under 90 % of `plan`: where the pace leads, how many
    /// SQLs a day would close the gap, and what the missing SQLs are worth at the company's won revenue per SQL
    /// over the last year (so the advice ranks with the others).
    func sqlPace(rep: Int64, period: Period, asOf: Timestamp, plan: Double) -> (text: LocalizedText, impact: Double)? {
        let today = engine.calendar.day(of: asOf)
        guard plan > 0, period.contains(today) else { return nil }
        let o = SQLOutlook.make(engine: engine, slice: .rep(rep), period: period, today: today, plan: plan)
        guard o.expected < 0.9 * plan else { return nil }
        let short = plan - o.expected
        let needed = o.daysLeft > 0 ? (plan - Double(o.soFar)) / Double(o.daysLeft) : 0
        let text = LocalizedText(
            "advice.sql_pace",
            [
                "expected": .text(Self.number(o.expected.rounded())), "plan": .text(Self.number(plan)),
                "fulfillment": .text(Self.pct(o.fulfillment ?? 0)), "short": .text(Self.number(short.rounded())),
                // Two decimals, as the SQL outlook card shows the pace.
                "needed": .text(String(format: "%.2f", needed)), "pace": .text(String(format: "%.2f", o.dailyPace)),
                "so_far": .text(Self.number(Double(o.soFar))),
            ])
        return (text, short * revenuePerSQL(today))
    }

    /// The company's won revenue per SQL over the year to `today`: what an SQL is worth, to rank SDR advice.
    func revenuePerSQL(_ today: Day) -> Double {
        let year = engine.measures(.company, today - 364, today + 1)
        return year[.sqls] > 0 ? Double(year[.wonRevenue]) / Double(year[.sqls]) : 0
    }

    /// Leads needed in each group (answered within the plan, and later) before their SQL rates are compared.
    static let minLeadsPerGroup = 30

    /// An SDR whose leads of the period wait longer on average than `plan` minutes, where the team's leads of
    /// the 90 days before (each judged `LeadScoring.outcomeDays` on) became SQLs more often when answered within
    /// the plan: the gap in SQL rate, and the SQLs at stake (the period's slower leads × that gap).
    func responseTime(rep: Int64, period: Period, asOf: Timestamp, plan: Double) -> (
        text: LocalizedText, impact: Double
    )? {
        let mine = engine.measures(.rep(rep), in: period)
        guard plan > 0, mine[.leadsResponded] > 0 else { return nil }
        let average = Double(mine[.responseMinutes]) / Double(mine[.leadsResponded])
        guard average > plan else { return nil }
        func minutes(_ l: DealHistory.LeadInfo) -> Double? { l.firstResponseAt.map { Double($0 - l.createdAt) / 60 } }
        let team = Set(engine.reps[rep]?.teamID.map { engine.members(of: .team($0)) } ?? [rep])
        let judged = asOf - Timestamp(LeadScoring.outcomeDays) * 86_400
        var fast = (leads: 0.0, sqls: 0.0)
        var slow = (leads: 0.0, sqls: 0.0)
        for l in history.leads
        where team.contains(l.owner) && l.createdAt >= judged - 90 * 86_400 && l.createdAt < judged {
            guard let m = minutes(l) else { continue }
            let sql = l.qualifiedAt.map { $0 < asOf } ?? false ? 1.0 : 0
            if m <= plan { fast = (fast.leads + 1, fast.sqls + sql) } else { slow = (slow.leads + 1, slow.sqls + sql) }
        }
        guard fast.leads >= Double(Self.minLeadsPerGroup), slow.leads >= Double(Self.minLeadsPerGroup) else {
            return nil
        }
        let (fastRate, slowRate) = (fast.sqls / fast.leads, slow.sqls / slow.leads)
        guard fastRate > slowRate else { return nil }
        let start = engine.calendar.start(of: period.start)
        let late = history.leads.filter { l in
            l.owner == rep && l.createdAt >= start && l.createdAt < asOf && (minutes(l).map { $0 > plan } ?? false)
        }.count
        let sqls = Double(late) * (fastRate - slowRate)
        let text = LocalizedText(
            "advice.response_time",
            [
                "average": .text(Self.days(average)), "plan": .text(Self.number(plan)), "late": "\(late)",
                "count": .count(Int(mine[.leadsResponded])), "fast": .text(Self.pct(fastRate * 100)),
                "slow": .text(Self.pct(slowRate * 100)), "sqls": .text(Self.number(sqls.rounded())),
            ])
        return (text, sqls * revenuePerSQL(engine.calendar.day(of: asOf)))
    }

    /// Below this many analysed calls in the period, call advice would be noise.
    public static let minAnalyzedCalls = 5

    /// Advice from the calls analysed in the period (docs/speech.md), against the catalog's targets:
    /// a next step agreed in ≥ 80 % of calls, objections handled ≥ 70 %, the rep's talk ≤ 60 %, the
    /// script ≥ 80 %. No revenue is put on them (what a missed next step costs is not measured), so
    /// they rank after the advice that has a sum at stake.
    public static func callAdvice(rep: Int64, name: String, mine m: MeasureVector) -> [Recommendation] {
        let calls = m[.callsAnalyzed]
        guard calls >= Self.minAnalyzedCalls else { return [] }
        var out: [Recommendation] = []
        func add(_ subject: String, _ text: LocalizedText) {
            out.append(Recommendation(kind: .calls, rep: rep, repName: name, text: text, subject: subject, impact: 0))
        }
        let noNextStep = calls - m[.nextStepsAgreed]
        if Double(noNextStep) > 0.2 * Double(calls) {
            add(
                "next_step",
                LocalizedText("advice.calls.next_step", ["missing": "\(noNextStep)", "count": .count(Int(calls))]))
        }
        let raised = m[.objectionsRaised]
        let handled = m[.objectionsHandled]
        if raised >= Int64(Self.minAnalyzedCalls), Double(handled) < 0.7 * Double(raised) {
            add(
                "objections",
                LocalizedText(
                    "advice.calls.objections",
                    [
                        "handled": "\(handled)", "raised": "\(raised)",
                        "share": .text(Self.pct(Double(handled) / Double(raised) * 100)),
                    ]))
        }
        let repTalk = Double(m[.repTalkSeconds])
        let clientTalk = Double(m[.clientTalkSeconds])
        if repTalk + clientTalk > 0, repTalk / (repTalk + clientTalk) > 0.6 {
            let share = repTalk / (repTalk + clientTalk) * 100
            let open = m[.openQuestions]
            add(
                KPI.ID.talkRatio.rawValue,
                LocalizedText(
                    "advice.calls.talk_ratio",
                    [
                        "share": .text(Self.pct(share)),
                        "questions": .localized(
                            LocalizedText("advice.count.open_questions", ["count": .count(Int(open))])),
                        "calls": .localized(LocalizedText("advice.count.calls", ["count": .count(Int(calls))])),
                    ]))
        }
        let covered = m[.scriptStagesCovered]
        let total = m[.scriptStagesTotal]
        if total > 0, Double(covered) < 0.8 * Double(total) {
            add(
                "script",
                LocalizedText("advice.calls.script", ["share": .text(Self.pct(Double(covered) / Double(total) * 100))]))
        }
        return out
    }

    /// The funnel step a deal at this stage has last made (`Funnel.measures(for: .ae)`).
    static func step(of stage: DealStage) -> Int {
        switch stage {
        case .new, .contacted: 0
        case .meeting: 1
        case .proposal: 2
        case .contract: 3
        case .won, .lost: 4
        }
    }

    /// The chance that a deal which made step `from` goes on to the last step, from the person's cohort.
    static func downstreamRate(_ m: MeasureVector, _ steps: [(BaseMeasure, LocalizedText)], from: Int) -> Double {
        let entering = Double(m[steps[from].0])
        let last = Double(m[steps[steps.count - 1].0])
        return entering > 0 ? min(1, last / entering) : 0
    }

    static func pct(_ v: Double) -> String { "\(Int(v.rounded())) %" }
    static func days(_ v: Double) -> String { String(format: "%.1f", v) }
    static func p(_ v: Double) -> String { v < 0.001 ? "p < 0.001" : String(format: "p = %.3f", v) }
    static func number(_ v: Double?) -> String { v.map { ReportNumber.grouped($0) } ?? "—" }
    static func money(_ m: Money) -> String { ReportNumber.grouped(Double(m) / 100) }
}

/// Numbers in sentences: whole, with thin groups of thousands.
public enum ReportNumber {
    public static func grouped(_ v: Double) -> String {
        let whole = Int64(v.rounded())
        var digits = String(abs(whole))
        var out = ""
        while digits.count > 3 {
            out = " " + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (whole < 0 ? "-" : "") + digits + out
    }
}
