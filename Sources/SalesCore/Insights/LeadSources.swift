/// Where leads come from and what they become: per source, the leads created in a period, those nobody works
/// yet, those qualified as SQLs, those that led to a deal and to a won deal, and the revenue won. A cohort: a
/// lead counts in its creation period with whatever it became since, so a channel is judged by its leads, not
/// by when their deals happened to close. A lead without an owner counts here like any other.
public struct LeadSources: Sendable {
    public struct Row: Sendable, Equatable {
        /// The lead's source, else its account's; "" when neither says.
        public var source: String
        public var leads = 0
        public var unassigned = 0
        public var sqls = 0
        /// Leads that led to at least one deal.
        public var withDeal = 0
        /// Leads that led to at least one won deal.
        public var won = 0
        public var revenue: Money = 0

        public var sqlRate: Double? { share(sqls) }
        /// Leads that led to a deal, %; nil without leads.
        public var dealRate: Double? { share(withDeal) }
        /// Leads that led to a won deal, %.
        public var winRate: Double? { share(won) }
        private func share(_ n: Int) -> Double? { leads > 0 ? Double(n) / Double(leads) * 100 : nil }

        mutating func add(_ lead: DealHistory.LeadInfo, _ outcome: Outcome?) {
            leads += 1
            if lead.owner == 0 { unassigned += 1 }
            if lead.qualifiedAt != nil { sqls += 1 }
            guard let outcome else { return }
            withDeal += 1
            if outcome.won { won += 1 }
            revenue += outcome.revenue
        }
    }

    /// What a lead's deals came to.
    struct Outcome {
        var won = false
        var revenue: Money = 0
    }

    /// Sources by leads, most first.
    public var rows: [Row]
    /// Every source together.
    public var total = Row(source: "")

    /// The leads created in `period` whose owner is in `owners` (nil: every lead, unassigned ones too).
    public init(history: DealHistory, calendar: CompanyCalendar, period: Period, owners: Set<Int64>? = nil) {
        var outcomes: [Int64: Outcome] = [:]
        for d in history.deals {
            guard let lead = d.lead else { continue }
            var o = outcomes[lead] ?? Outcome()
            if d.won {
                o.won = true
                o.revenue += d.closeAmount ?? d.amount
            }
            outcomes[lead] = o
        }
        var bySource: [String: Row] = [:]
        for l in history.leads where period.contains(calendar.day(of: l.createdAt)) {
            if let owners, !owners.contains(l.owner) { continue }
            let source = l.source ?? l.account.flatMap { history.accounts[$0]?.source } ?? ""
            bySource[source, default: Row(source: source)].add(l, outcomes[l.id])
            total.add(l, outcomes[l.id])
        }
        rows = bySource.values.sorted { ($0.leads, $1.source) > ($1.leads, $0.source) }
    }
}
