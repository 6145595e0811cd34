import Foundation
import SalesCore

/// The predictive layer's tables, the same in the terminal, the dashboards and the downloads.
extension ReportTable {
    static func money(_ m: Money?) -> Cell { .number(m.map { Double($0) / 100 }, decimals: 0) }

    /// Forecasts against plan, one row per slice.
    public init(outlooks: [SalesForecaster.Outlook], lang: Language) {
        self.init(
            lang, titles: "forecast",
            columns: [
                "who", "closed", "from_open_deals", "from_new_deals", "expected", "p10", "p90", "plan",
                "expected_of_plan_pct", "p10_of_plan_pct", "p90_of_plan_pct", "open_deals",
            ])
        for o in outlooks {
            let f = o.forecast
            rows.append([
                .text(o.slice == "company" ? lang.message("report.company") : o.name), Self.money(f.closed),
                Self.money(f.expectedFromOpen),
                Self.money(f.expectedFromNew), Self.money(f.expected), Self.money(f.p10), Self.money(f.p90),
                Self.money(o.plan),
                .number(o.expectedFulfillment, decimals: 1), .number(o.p10Fulfillment, decimals: 1),
                .number(o.p90Fulfillment, decimals: 1),
                .number(Double(f.openDeals), decimals: 0),
            ])
        }
    }

    /// Open deals of `owners` with the highest expected value first: win probability and its reasons.
    public init(openDeals f: SalesForecaster, owners: Set<Int64>?, limit: Int, lang: Language) {
        self.init(
            lang, titles: "open_deals",
            columns: [
                "deal", "rep", "stage", "amount", "win_probability_pct", "expected_value", "reasons_for",
                "reasons_against",
            ])
        let scored = f.history.open(at: f.asOf).filter { owners?.contains($0.owner) ?? true }
            .map { ($0, f.model.predict(DealSnapshot($0, at: f.asOf, history: f.history))) }
            .sorted { Double($0.0.amount) * $0.1.probability > Double($1.0.amount) * $1.1.probability }
        func reasons(_ p: WinProbabilityModel.Prediction, positive: Bool) -> String {
            p.factors.filter { ($0.effect > 0) == positive }
                .map { "\(WinProbabilityModel.featureNames[$0.feature]?(lang) ?? $0.feature): \($0.value(lang))" }
                .joined(separator: "; ")
        }
        for (d, p) in scored.prefix(limit) {
            rows.append([
                .text(d.externalID), .text(f.engine.reps[d.owner]?.name ?? ""),
                .text(d.stage(before: f.asOf).stage.name(lang)), Self.money(d.amount),
                .number(p.probability * 100, decimals: 1), Self.money(Money(Double(d.amount) * p.probability)),
                .text(reasons(p, positive: true)), .text(reasons(p, positive: false)),
            ])
        }
    }

    /// Recommendations, the largest revenue at stake first.
    public init(recommendations: [Recommendation], lang: Language) {
        self.init(
            lang, titles: "advice",
            columns: ["person", "advice", "at_stake"])
        for r in recommendations { rows.append([.text(r.repName), .text(r.text(lang)), Self.money(r.impact)]) }
    }

    /// Accounts by churn risk, the riskiest first.
    public init(churn: [ChurnRisk], repNames: [Int64: String], lang: Language) {
        self.init(
            lang, titles: "churn",
            columns: ["account", "rep", "churn_risk", "level", "revenue_12_months", "reasons"])
        for c in churn {
            rows.append([
                .text(c.accountName), .text(repNames[c.owner] ?? ""), .number(Double(c.score), decimals: 0),
                .text(lang.message("churn.level.\(c.level.rawValue)")),
                Self.money(c.yearRevenue), .text(c.reasons.map { $0(lang) }.joined(separator: "; ")),
            ])
        }
    }

    /// Accounts due to buy again, soonest first.
    public init(renewals: [RenewalDue], repNames: [Int64: String], lang: Language) {
        self.init(
            lang, titles: "renewals",
            columns: ["account", "rep", "due", "expected", "last_purchase", "open_deal"])
        for r in renewals {
            rows.append([
                .text(r.accountName), .text(repNames[r.owner] ?? ""), .text("\(CivilDate(r.due))"),
                Self.money(r.expected),
                .text("\(CivilDate(r.lastPurchase))"), .text(LocalizedText.yesOrNo(r.openDeal)(lang)),
            ])
        }
    }

    /// Open leads, the likeliest to become an SQL first.
    public init(leads: [LeadScoring.Score], repNames: [Int64: String], lang: Language) {
        self.init(
            lang, titles: "leads",
            columns: ["lead", "sdr", "sql_chance_pct", "reasons"])
        for l in leads {
            rows.append([
                .text(l.externalID), .text(l.owner == 0 ? lang.message("leads.unassigned") : repNames[l.owner] ?? ""),
                .number(Double(l.score), decimals: 0),
                .text(l.reasons.map { $0(lang) }.joined(separator: "; ")),
            ])
        }
    }

    /// Lead sources with what their leads became; the total last.
    public init(sources: LeadSources, lang: Language) {
        self.init(
            lang, titles: "sources",
            columns: [
                "source", "leads", "unassigned", "sqls", "sql_pct", "with_deal", "deal_pct", "won", "won_pct",
                "revenue",
            ])
        let unknown = lang.message("sources.unknown")
        let named = sources.rows.map { ($0.source.isEmpty ? unknown : $0.source, $0) }
        for (name, r) in named + [(lang.message("sources.total"), sources.total)] {
            rows.append([
                .text(name),
                .number(Double(r.leads), decimals: 0), .number(Double(r.unassigned), decimals: 0),
                .number(Double(r.sqls), decimals: 0), .number(r.sqlRate, decimals: 1),
                .number(Double(r.withDeal), decimals: 0), .number(r.dealRate, decimals: 1),
                .number(Double(r.won), decimals: 0), .number(r.winRate, decimals: 1), Self.money(r.revenue),
            ])
        }
    }
}
