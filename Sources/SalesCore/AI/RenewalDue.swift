import Foundation

/// A client due to buy again in a period: an account manager's renewals. Each account that has bought is due its
/// next purchase one rhythm after its last — the mean gap between its purchases, or a year after a single one
/// (the usual term of a B2B contract) — worth its average purchase.
public struct RenewalDue: Sendable, Codable, Equatable {
    public var account: Int64
    public var accountName: String
    /// The rep who won the account's latest deal: the one to act.
    public var owner: Int64
    public var lastPurchase: Day
    public var due: Day
    /// The account's average won deal: what the renewal is worth.
    public var expected: Money
    /// A deal is open on the account: the renewal is being worked.
    public var openDeal: Bool

    /// The term assumed after a single purchase.
    public static let singlePurchaseRhythmDays = 365

    /// The accounts due in `period` by their purchases before `asOf`, soonest first.
    public static func due(
        history: DealHistory, calendar: CompanyCalendar, period: Period, asOf: Timestamp
    ) -> [RenewalDue] {
        var wins: [Int64: [(at: Timestamp, amount: Money, owner: Int64)]] = [:]
        var open: Set<Int64> = []
        for d in history.deals {
            if d.isOpen(at: asOf) { open.insert(d.account) }
            guard d.won, let c = d.closedAt, c < asOf else { continue }
            wins[d.account, default: []].append((c, d.closeAmount ?? d.amount, d.owner))
        }
        var out: [RenewalDue] = []
        for (account, list) in wins {
            let sorted = list.sorted { $0.at < $1.at }
            let last = sorted.last!
            let gaps = zip(sorted, sorted.dropFirst()).map { Double($1.at - $0.at) / 86_400 }
            let rhythm =
                gaps.isEmpty ? Double(Self.singlePurchaseRhythmDays) : max(30, gaps.reduce(0, +) / Double(gaps.count))
            let lastDay = calendar.day(of: last.at)
            let due = lastDay + Day(rhythm.rounded())
            guard period.contains(due) else { continue }
            out.append(
                RenewalDue(
                    account: account, accountName: history.accounts[account]?.name ?? "\(account)", owner: last.owner,
                    lastPurchase: lastDay, due: due,
                    expected: sorted.reduce(0) { $0 + $1.amount } / Money(sorted.count),
                    openDeal: open.contains(account)))
        }
        return out.sorted { ($0.due, $0.account) < ($1.due, $1.account) }
    }
}
