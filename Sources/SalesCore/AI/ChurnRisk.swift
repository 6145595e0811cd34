import Foundation

/// Which clients an account manager may lose: a score 0–100 per account that has bought, from the
/// signals the seeds name — recency and frequency of purchases, the monetary trend, NPS and CSAT,
/// overdue invoices — each worth points, with the reasons that earned them.
///
/// Points, not a fitted model: churn is rare and slow, so few CRMs hold enough lost clients to
/// learn from, and a head of sales must be able to check every point by hand.
public struct ChurnRisk: Sendable, Codable, Equatable {
    public var account: Int64
    public var accountName: String
    /// The rep who won the account's latest deal: the one to act.
    public var owner: Int64
    /// 0 (safe) to 100.
    public var score: Int
    public var reasons: [LocalizedText]
    /// Won revenue of the last 12 months: what is at stake.
    public var yearRevenue: Money

    public enum Level: String, Sendable { case low, medium, high }
    public var level: Level { score >= 60 ? .high : score >= 30 ? .medium : .low }

    /// Days past due after which an unpaid invoice counts as a churn signal.
    public static let lateDays = 60

    /// Every account with a won deal before `asOf`, the riskiest first.
    public static func assess(history: DealHistory, asOf: Timestamp) -> [ChurnRisk] {
        let day: Timestamp = 86_400
        struct Facts {
            var wins: [(at: Timestamp, amount: Money, owner: Int64)] = []
            var overdue: Money = 0
            var overdueCount = 0
            var nps: [Int] = []
            var csat: [Int] = []
        }
        var facts: [Int64: Facts] = [:]
        for d in history.deals where d.won {
            guard let c = d.closedAt, c < asOf else { continue }
            facts[d.account, default: Facts()].wins.append((c, d.closeAmount ?? d.amount, d.owner))
        }
        // Only long-overdue invoices: a client that bought last month and pays a few weeks late is an active one
        // (on the demo's history, any overdue invoice pointed away from churn — backtest's `churn.auc`).
        for inv in history.invoices.values
        where facts[inv.account] != nil && inv.dueAt < asOf - Timestamp(Self.lateDays) * day
            && (inv.paidAt.map { $0 > asOf } ?? true)
        {
            facts[inv.account]!.overdue += inv.amount - inv.paid
            facts[inv.account]!.overdueCount += 1
        }
        for s in history.surveys where facts[s.account] != nil && s.at < asOf && s.at >= asOf - 365 * day {
            if let n = s.nps { facts[s.account]!.nps.append(n) }
            if let c = s.csat { facts[s.account]!.csat.append(c) }
        }
        var out: [ChurnRisk] = []
        for (account, f) in facts {
            let wins = f.wins.sorted { $0.at < $1.at }
            var score = 0
            var reasons: [LocalizedText] = []
            let daysSince = Int((asOf - wins.last!.at) / day)
            // Recency: against the account's own rhythm when it has one, else against a quarter.
            let gaps = zip(wins, wins.dropFirst()).map { Double($1.at - $0.at) / Double(day) }
            let rhythm = gaps.isEmpty ? 90 : max(30, gaps.reduce(0, +) / Double(gaps.count))
            // Points grow with the silence — 17.5 per rhythm, so 35 at twice it, at most 50 — and rank a longer one
            // higher; it is a reason once it passes the rhythm.
            let silence = Double(daysSince) / rhythm
            score += min(50, Int((17.5 * silence).rounded()))
            if silence > 2 {
                reasons.append(
                    LocalizedText("churn.no_purchase", ["count": .count(daysSince), "rhythm": "\(Int(rhythm))"]))
            } else if silence > 1 {
                reasons.append(
                    LocalizedText(
                        "churn.since_last_purchase", ["count": .count(daysSince), "rhythm": "\(Int(rhythm))"]))
            }
            // Monetary trend: the last six months against the six before.
            let recent = wins.filter { $0.at >= asOf - 182 * day }.reduce(Money(0)) { $0 + $1.amount }
            let before = wins.filter { $0.at >= asOf - 365 * day && $0.at < asOf - 182 * day }.reduce(Money(0)) {
                $0 + $1.amount
            }
            if before > 0, Double(recent) < 0.5 * Double(before) {
                score += 20
                let drop = Int(((1 - Double(recent) / Double(before)) * 100).rounded())
                reasons.append(
                    LocalizedText("churn.purchases_down", ["drop": "\(drop)"]))
            }
            if let nps = f.nps.last, nps <= 6 {
                score += 20
                reasons.append(
                    LocalizedText("churn.detractor", ["nps": "\(nps)"]))
            }
            if !f.csat.isEmpty {
                let mean = Double(f.csat.reduce(0, +)) / Double(f.csat.count)
                if mean < 3.5 {
                    score += 10
                    reasons.append(
                        LocalizedText("churn.low_csat", ["csat": .text(String(format: "%.1f", mean))]))
                }
            }
            if f.overdueCount > 0 {
                score += 15
                let money = ReportNumber.grouped(Double(f.overdue) / 100)
                reasons.append(
                    LocalizedText(
                        "churn.overdue_invoices",
                        ["count": .count(f.overdueCount), "days": "\(Self.lateDays)", "money": .text(money)]))
            }
            out.append(
                ChurnRisk(
                    account: account, accountName: history.accounts[account]?.name ?? "\(account)",
                    owner: wins.last!.owner,
                    score: min(100, score), reasons: reasons,
                    yearRevenue: wins.filter { $0.at >= asOf - 365 * day }.reduce(0) { $0 + $1.amount }))
        }
        return out.sorted { ($0.score, $0.yearRevenue) > ($1.score, $1.yearRevenue) }
    }
}
