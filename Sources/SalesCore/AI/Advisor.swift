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
            return recommendations(rep: id, period: period, asOf: asOf, card: card)
        }.sorted { $0.impact > $1.impact }
    }

    /// `asOf`: the instant deals are looked at (open, stale); `card` adds the below-threshold KPIs.
    public func recommendations(rep: Int64, period: Period, asOf: Timestamp, card: Scorecard? = nil) -> [Recommendation]
    {
        guard let info = engine.reps[rep] else { return [] }
        var out: [Recommendation] = []
        func add(_ kind: Recommendation.Kind, _ subject: String, _ en: String, _ ru: String, _ impact: Double) {
            out.append(
                Recommendation(
                    kind: kind, rep: rep, repName: info.name, text: .init(en: en, ru: ru), subject: subject,
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
                let (en1, ru1) = info.role == .sdr ? ("leads", "лидов") : ("deals", "сделок")
                // Each deal short here would have been won at the rate of the steps after it.
                let downstream = Self.downstreamRate(mine, steps, from: f.step)
                let en =
                    "\(from(.en))→\(to(.en)) conversion \(Self.pct(f.value)) against the team's \(Self.pct(f.team)) "
                    + "(\(f.count) \(en1), \(Self.p(f.pValue))): about \(lost) \(en1) short"
                    + (waiting > 0
                        ? "; \(waiting) deals waiting for this step have had no activity for \(Self.staleDays) days — "
                            + "call them this week"
                        : "; review how these deals are run with the head of sales")
                let ru =
                    "Конверсия \(from(.ru))→\(to(.ru)) \(Self.pct(f.value)) против \(Self.pct(f.team)) у команды "
                    + "(\(f.count) \(ru1), \(Self.p(f.pValue))): недобор около \(lost) \(ru1)"
                    + (waiting > 0
                        ? "; \(waiting) сделок перед этим шагом без активности \(Self.staleDays) дней — свяжитесь с "
                            + "клиентами на этой неделе"
                        : "; разберите эти сделки с руководителем")
                add(.conversion, "step \(f.step)", en, ru, f.shortfall * downstream * averageDeal)
            case .duration:
                let extra = f.value - f.team
                let en =
                    "Deals stay at \(f.stepName(.en)) \(Self.days(f.value)) days against the team's "
                    + "\(Self.days(f.team)) (\(f.count) deals, \(Self.p(f.pValue))): agree the next step and its "
                    + "date at every contact"
                let ru =
                    "Сделки задерживаются на этапе «\(f.stepName(.ru))» \(Self.days(f.value)) дн. против "
                    + "\(Self.days(f.team)) у команды (\(f.count) сделок, \(Self.p(f.pValue))): фиксируйте "
                    + "следующий шаг и дату при каждом контакте"
                // Days lost per deal slow the revenue of the period by that share of the cycle.
                let cycle = won > 0 ? Double(mine[.wonCycleDays]) / won : 0
                add(.duration, f.stepName.en, en, ru, cycle > 0 ? Double(mine[.wonRevenue]) * min(1, extra / cycle) : 0)
            }
        }
        if !stale.isEmpty {
            let atRisk = stale.reduce(0.0) {
                $0 + Double($1.amount) * model.probability(DealSnapshot($1, at: asOf, history: history))
            }
            let total = stale.reduce(Money(0)) { $0 + $1.amount }
            add(
                .staleDeals, "",
                "\(stale.count) of \(open.count) open deals (\(Self.money(total)) in total) have had no activity for "
                    + "\(Self.staleDays)+ days: expected value \(Self.money(Money(atRisk))) — contact each or close "
                    + "the dead ones",
                "\(stale.count) из \(open.count) открытых сделок (всего \(Self.money(total))) без активности "
                    + "\(Self.staleDays)+ дней: ожидаемая сумма \(Self.money(Money(atRisk))) — свяжитесь с каждым "
                    + "клиентом или закройте безнадёжные",
                atRisk)
        }
        for line in card?.lines ?? [] where line.score == 0 && line.fulfillment != nil && line.weight > 0 {
            let k = line.kpi
            let f = line.fulfillment!
            let gap = k.unit == .money ? ((line.plan ?? 0) - (line.actual ?? 0)) * 100 : 0
            add(
                .belowThreshold, k.id.rawValue,
                "\(k.name.en) is at \(Self.pct(f)) of plan (\(Self.number(line.actual)) against "
                    + "\(Self.number(line.plan))), below the threshold where it counts toward the bonus",
                "\(k.name.ru): \(Self.pct(f)) плана (\(Self.number(line.actual)) при плане \(Self.number(line.plan))) "
                    + "— ниже порога, с которого показатель идёт в бонус",
                gap)
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
                let en =
                    running
                    ? "Won revenue is on pace for \(Self.money(Money(pace))) this period"
                    : "Won revenue was \(Self.money(Money(pace))) this period"
                let ru =
                    running
                    ? "Выручка идёт к \(Self.money(Money(pace))) за период"
                    : "Выручка за период — \(Self.money(Money(pace)))"
                add(
                    .trendDown, "won_revenue",
                    en
                        + " against \(Self.money(previous)) the period before (\(Self.pct(change))): look for the "
                        + "deals that did not come and why",
                    ru
                        + " против \(Self.money(previous)) в прошлом (\(Self.pct(change))): разберите, каких сделок не "
                        + "хватило и почему",
                    Double(previous) - pace)
            }
        }
        return out.sorted { $0.impact > $1.impact }
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
        func add(_ subject: String, _ en: String, _ ru: String) {
            out.append(
                Recommendation(
                    kind: .calls, rep: rep, repName: name, text: .init(en: en, ru: ru), subject: subject, impact: 0))
        }
        let noNextStep = calls - m[.nextStepsAgreed]
        if Double(noNextStep) > 0.2 * Double(calls) {
            add(
                "next_step",
                "In \(noNextStep) of \(calls) analysed calls no next step was agreed: end every call with a date — a "
                    + "meeting, a demo, a proposal sent",
                "В \(noNextStep) из \(calls) проанализированных звонков не согласован следующий шаг: завершайте каждый "
                    + "звонок датой — встреча, демонстрация, отправка КП"
            )
        }
        let raised = m[.objectionsRaised]
        let handled = m[.objectionsHandled]
        if raised >= Int64(Self.minAnalyzedCalls), Double(handled) < 0.7 * Double(raised) {
            add(
                "objections",
                "Objections handled: \(handled) of \(raised) (\(Self.pct(Double(handled) / Double(raised) * 100)), "
                    + "target ≥ 70 %): answer each with a reason or a number — a saving, a payback, a client's case",
                "Закрыто возражений: \(handled) из \(raised) (\(Self.pct(Double(handled) / Double(raised) * 100)), "
                    + "цель ≥ 70 %): отвечайте на каждое доводом или цифрой — экономия, окупаемость, кейс клиента"
            )
        }
        let repTalk = Double(m[.repTalkSeconds])
        let clientTalk = Double(m[.clientTalkSeconds])
        if repTalk + clientTalk > 0, repTalk / (repTalk + clientTalk) > 0.6 {
            let share = repTalk / (repTalk + clientTalk) * 100
            let open = m[.openQuestions]
            add(
                KPI.ID.talkRatio.rawValue,
                "You talk \(Self.pct(share)) of the time in your calls (target ≤ 60 %) and asked \(open) open "
                    + "questions in \(calls) calls: ask what, how, why — and listen",
                "В звонках вы говорите \(Self.pct(share)) времени (цель ≤ 60 %), открытых вопросов — \(open) на "
                    + "\(calls) звонков: спрашивайте «что», «как», «почему» и слушайте"
            )
        }
        let covered = m[.scriptStagesCovered]
        let total = m[.scriptStagesTotal]
        if total > 0, Double(covered) < 0.8 * Double(total) {
            add(
                "script",
                "The call script is covered at \(Self.pct(Double(covered) / Double(total) * 100)) (target ≥ 80 %): the "
                    + "call pages show which stages you skip",
                "Скрипт звонка соблюдается на \(Self.pct(Double(covered) / Double(total) * 100)) (цель ≥ 80 %): на "
                    + "страницах звонков видно, какие этапы пропущены"
            )
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
enum ReportNumber {
    static func grouped(_ v: Double) -> String {
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
