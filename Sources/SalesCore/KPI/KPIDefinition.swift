/// One KPI, whole: its formula, unit, direction, the roles it suits, the records behind its number, the
/// seeds' norm, where the product shows it without being asked, and its names in both languages.
/// The standard ones are listed in `KPICatalog+Standard.swift`; `saleskpi kpis --explain ID` prints the path
/// from a KPI to the records and routes behind it.
public struct KPIDefinition: Sendable, Hashable {
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case count, money, percent, days, minutes, score, ratio
        case perDay = "per_day"
        case perWeek = "per_week"
        case moneyPerDay = "money_per_day"
    }
    public enum Category: String, Sendable, Codable, CaseIterable { case financial, funnel, activity, quality, extra }
    /// What the KPI measures, for the linter: results (money, deals), activity (effort) or quality.
    public enum Nature: String, Sendable, Codable { case result, activity, quality }

    /// A norm from the seeds that a role's activity is held against when no plan says otherwise:
    /// "≥ 50 calls a day" is `Norm(target: 50, per: .period)` on `calls_per_day`.
    public struct Norm: Sendable, Hashable {
        public var target: Double
        public var per: ScorecardKPI.Per
        public init(_ target: Double, per: ScorecardKPI.Per) {
            self.target = target
            self.per = per
        }
    }

    /// Where the product shows a KPI without being told which: the value is its order within the place.
    public enum Place: Hashable, Sendable {
        /// A column of `saleskpi report` and `GET /api/v1/reports` when no `kpis` are named.
        case defaultReport
        /// A column of the team table on a team's dashboard, and a choice of its leaderboard.
        case teamTable
        /// A card in the top row of a team's dashboard, after revenue against plan.
        case teamHeadline
        /// A row of the call-quality card.
        case callQuality
        /// A weekly chart under the call-quality card on the calls page.
        case callQualityTrend
        /// The weekly chart of a role's main result, and of its main activity, on a person's dashboard.
        case weeklyResult(RepRole)
        case weeklyActivity(RepRole)
        /// A column of `saleskpi bench`'s department query.
        case benchQuery
    }

    public var id: ID
    public var name: LocalizedText
    public var formulaText: String
    public var formula: Formula
    public var unit: Unit
    public var higherIsBetter: Bool
    public var category: Category
    public var nature: Nature
    public var roles: Set<RepRole>
    /// The target value from the seeds, for the default KPI system and for docs.
    public var seedTarget: String?
    /// The list of records a click on the number opens; nil when its records have no list.
    public var drillDown: DrillDown?
    public var norm: Norm?
    public var places: [Place: Int]

    public init(
        _ id: ID, en: String, ru: String, formula: String, unit: Unit, higherIsBetter: Bool = true,
        category: Category, nature: Nature, roles: Set<RepRole>, seedTarget: String? = nil,
        drillDown: DrillDown? = nil, norm: Norm? = nil, places: [Place: Int] = [:]
    ) throws(FormulaError) {
        try self.init(
            id, name: LocalizedText(en: en, ru: ru), formula: formula, unit: unit, higherIsBetter: higherIsBetter,
            category: category, nature: nature, roles: roles, seedTarget: seedTarget, drillDown: drillDown, norm: norm,
            places: places)
    }

    public init(
        _ id: ID, name: LocalizedText, formula: String, unit: Unit, higherIsBetter: Bool = true,
        category: Category, nature: Nature, roles: Set<RepRole>, seedTarget: String? = nil,
        drillDown: DrillDown? = nil, norm: Norm? = nil, places: [Place: Int] = [:]
    ) throws(FormulaError) {
        self.id = id
        self.name = name
        self.formulaText = formula
        self.formula = try Formula.parse(formula)
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.category = category
        self.nature = nature
        self.roles = roles
        self.seedTarget = seedTarget
        self.drillDown = drillDown
        self.norm = norm
        self.places = places
    }

    /// Counts and amounts that add up over periods and slices: plans for them are prorated by days.
    public var isAdditive: Bool { (unit == .count || unit == .money) && formula.isAdditive }
    /// A result that builds up through the period (revenue, deals won, SQLs, plan fulfilment), better when higher:
    /// while the period runs it is judged against the share of the period gone.
    public var accumulates: Bool {
        higherIsBetter && [.count, .money, .percent].contains(unit) && formula.accumulates
    }
}
