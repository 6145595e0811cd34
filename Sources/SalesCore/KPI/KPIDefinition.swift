/// One KPI: a formula with a unit, a direction, the roles it suits and names in both languages.
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

    public var id: String
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

    public init(
        _ id: String, en: String, ru: String, _ formula: String, unit: Unit, higherIsBetter: Bool = true,
        category: Category, nature: Nature, roles: Set<RepRole>, seedTarget: String? = nil
    ) throws(FormulaError) {
        self.id = id
        self.name = LocalizedText(en: en, ru: ru)
        self.formulaText = formula
        self.formula = try Formula.parse(formula)
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.category = category
        self.nature = nature
        self.roles = roles
        self.seedTarget = seedTarget
    }

    /// Counts and amounts that add up over periods and slices: plans for them are prorated by days.
    public var isAdditive: Bool { (unit == .count || unit == .money) && formula.isAdditive }
}
