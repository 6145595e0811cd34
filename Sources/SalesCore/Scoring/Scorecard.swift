/// One person's (or team's) scorecard for a period.
public struct Scorecard: Sendable {
    public struct Line: Sendable {
        public var kpi: KPIDefinition
        public var actual: Double?
        public var plan: Double?
        /// Actual against plan, %; for lower-is-better KPIs plan against actual.
        public var fulfillment: Double?
        public var weight: Double
        /// Fulfillment after threshold and cap, %.
        public var score: Double
    }
    public var slice: Slice
    public var name: String
    public var role: RepRole
    public var team: String?
    public var period: Period
    public var lines: [Line]
    /// Weighted KPI index, %: Σ weight × score / Σ weight.
    public var index: Double
    public var bonusCoefficient: Double
}

/// Builds scorecards from the engine and the KPI system.
public struct ScorecardBuilder {
    public let engine: SalesEngine
    public let system: KPISystem
    public let catalog: KPICatalog

    public init(engine: SalesEngine, system: KPISystem, catalog: KPICatalog) {
        self.engine = engine
        self.system = system
        self.catalog = catalog
    }

    /// Stored plans first, then the role's default target scaled to the period.
    struct Plans: PlanResolver {
        let stored: StoredPlans
        let defaults: [KPI.ID: ScorecardKPI]
        func target(kpi: KPIDefinition, slice: Slice, period: Period) -> Double? {
            stored.target(kpi: kpi, slice: slice, period: period)
                ?? defaults[kpi.id]?.scaledTarget(for: period, additive: kpi.isAdditive)
        }
    }

    /// The plans scorecards are measured against, for any slice: a person's stored plan, else
    /// their role's default target; a team's or the company's own plan, else the sum (or, for
    /// ratios, the average) of its people's.
    public var plans: PlanResolver { EveryonesPlans(builder: self, roles: RoleSetup.all(system, catalog)) }

    struct EveryonesPlans: PlanResolver {
        let builder: ScorecardBuilder
        let roles: [RepRole: RoleSetup]
        func target(kpi: KPIDefinition, slice: Slice, period: Period) -> Double? {
            let stored = StoredPlans(engine: builder.engine)
            if case .rep(let id) = slice {
                let defaults = builder.engine.reps[id].flatMap { roles[$0.role]?.defaults } ?? [:]
                return Plans(stored: stored, defaults: defaults).target(kpi: kpi, slice: slice, period: period)
            }
            let own: Double? =
                switch slice {
                case .team(let id):
                    builder.engine.plans.target(
                        scope: .team, owner: id, kpi: kpi.id.rawValue, period: period, additive: kpi.isAdditive)
                case .company:
                    builder.engine.plans.target(
                        scope: .company, owner: 0, kpi: kpi.id.rawValue, period: period, additive: kpi.isAdditive)
                default: nil
                }
            if let own { return own }
            let parts = builder.engine.members(of: slice).compactMap {
                target(kpi: kpi, slice: .rep($0), period: period)
            }
            guard !parts.isEmpty else { return nil }
            return kpi.isAdditive ? parts.reduce(0, +) : parts.reduce(0, +) / Double(parts.count)
        }
    }

    /// Every rep's scorecard (heads show their team), sorted by team, then name.
    public func department(_ period: Period) -> [Scorecard] {
        let roles = RoleSetup.all(system, catalog)
        return engine.repsByTeam.compactMap { rep in
            roles[rep.role].map { scorecard(rep: rep, setup: $0, period: period) }
        }
    }

    public func scorecard(rep id: Int64, period: Period) -> Scorecard? {
        guard let rep = engine.reps[id], let setup = RoleSetup.all(system, catalog)[rep.role] else { return nil }
        return scorecard(rep: rep, setup: setup, period: period)
    }

    /// A role's scorecard items with their KPI definitions, prepared once per department.
    struct RoleSetup {
        var scope: RoleScorecard.Scope
        var items: [(ScorecardKPI, KPIDefinition)]
        var defaults: [KPI.ID: ScorecardKPI]

        static func all(_ system: KPISystem, _ catalog: KPICatalog) -> [RepRole: RoleSetup] {
            system.roles.mapValues { card in
                RoleSetup(
                    scope: card.scope, items: card.kpis.compactMap { item in catalog[item.kpi].map { (item, $0) } },
                    defaults: Dictionary(card.kpis.map { ($0.kpi, $0) }, uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    private func scorecard(rep: SalesEngine.RepInfo, setup: RoleSetup, period: Period) -> Scorecard {
        let slice: Slice = setup.scope == .team ? .team(rep.teamID ?? 0) : .rep(rep.id)
        let evaluator = KPIEvaluator(
            engine: engine, catalog: catalog,
            plans: Plans(stored: StoredPlans(engine: engine), defaults: setup.defaults),
            slice: slice, period: period)
        var lines: [Scorecard.Line] = []
        for (item, kpi) in setup.items {
            let actual = evaluator.value(kpi.id)
            let plan = evaluator.target(kpi.id)
            let fulfillment = Self.fulfillment(actual: actual, plan: plan, higherIsBetter: kpi.higherIsBetter)
            let score = fulfillment.map { $0 < item.threshold ? 0 : min($0, item.cap) } ?? 0
            lines.append(
                .init(kpi: kpi, actual: actual, plan: plan, fulfillment: fulfillment, weight: item.weight, score: score)
            )
        }
        let weights = lines.reduce(0) { $0 + $1.weight }
        let index = weights > 0 ? lines.reduce(0) { $0 + $1.weight * $1.score } / weights : 0
        return Scorecard(
            slice: slice, name: rep.name, role: rep.role, team: rep.teamID.flatMap { engine.teams[$0]?.name },
            period: period, lines: lines, index: index, bonusCoefficient: system.bonus.coefficient(for: index))
    }

    /// Fulfillment, %. For a lower-is-better KPI an actual of 0 fully meets any plan.
    public static func fulfillment(actual: Double?, plan: Double?, higherIsBetter: Bool) -> Double? {
        guard let actual, let plan, plan != 0 else { return nil }
        if higherIsBetter { return actual / plan * 100 }
        return actual <= 0 ? 200 : plan / actual * 100
    }
}
