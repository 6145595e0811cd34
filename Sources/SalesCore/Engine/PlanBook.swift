/// The plans (KPI targets) known to the engine. A later plan for the same scope, owner, KPI and
/// period replaces the earlier one.
public final class PlanBook {
    /// Keyed by owner (integers hash fast); an owner has a handful of KPIs with plans, scanned in turn.
    struct Owner: Hashable {
        var scope: PlanScope
        var id: Int64
    }
    private var plans: [Owner: [(kpi: String, plans: [Plan])]] = [:]

    public init() {}

    public func add(_ plan: Plan) {
        let owner = Owner(scope: plan.scope, id: plan.owner?.id ?? 0)
        var list = plans[owner] ?? []
        if let i = list.firstIndex(where: { $0.kpi == plan.kpi }) {
            list[i].plans.removeAll { $0.period == plan.period }
            list[i].plans.append(plan)
        } else {
            list.append((plan.kpi, [plan]))
        }
        plans[owner] = list
    }

    public var all: [Plan] { plans.values.flatMap { $0.flatMap(\.plans) } }

    /// The target for `period`: plans overlapping it, prorated by days for additive KPIs
    /// (a monthly plan counts half toward the month's first fortnight), a day-weighted average for
    /// ratios. Nil when no plan overlaps the period.
    public func target(scope: PlanScope, owner: Int64, kpi: String, period: Period, additive: Bool) -> Double? {
        guard let list = plans[Owner(scope: scope, id: owner)]?.first(where: { $0.kpi == kpi })?.plans else {
            return nil
        }
        var sum = 0.0
        var weight = 0.0
        for plan in list {
            guard let overlap = plan.period.intersection(period) else { continue }
            let share = Double(overlap.days) / Double(max(1, plan.period.days))
            if additive { sum += plan.target * share } else { sum += plan.target * Double(overlap.days) }
            weight += Double(overlap.days)
        }
        guard weight > 0 else { return nil }
        return additive ? sum : sum / weight
    }
}
