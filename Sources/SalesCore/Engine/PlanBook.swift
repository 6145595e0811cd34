/// The plans (KPI targets) known to the engine. A later plan for the same scope, owner, KPI and
/// period replaces the earlier one.
public final class PlanBook {
    struct Key: Hashable { var scope: PlanScope; var owner: Int64; var kpi: String }
    private var plans: [Key: [Plan]] = [:]

    public init() {}

    public func add(_ plan: Plan) {
        let key = Key(scope: plan.scope, owner: plan.owner?.id ?? 0, kpi: plan.kpi)
        plans[key, default: []].removeAll { $0.period == plan.period }
        plans[key, default: []].append(plan)
    }

    public var all: [Plan] { plans.values.flatMap { $0 } }

    /// The target for `period`: plans overlapping it, prorated by days for additive KPIs
    /// (a monthly revenue plan counts a third toward a quarter's fortnight…), day-weighted average
    /// for ratios. Nil when no plan overlaps the period.
    public func target(scope: PlanScope, owner: Int64, kpi: String, period: Period, additive: Bool) -> Double? {
        guard let list = plans[Key(scope: scope, owner: owner, kpi: kpi)] else { return nil }
        var sum = 0.0, weight = 0.0
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
