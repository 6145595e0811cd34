import Foundation

/// The configured KPI system: per role 3–5 KPIs with weights and targets, the bonus schedule,
/// the user's own KPIs and plans. Read from YAML by `SalesImport.KPISystemFile`.
public struct KPISystem: Sendable {
    public var currency = "RUB"
    public var timeZone = "Europe/Moscow"
    /// Whose public holidays the working days leave out.
    public var holidays = PublicHolidays.russia
    public var roles: [RepRole: RoleScorecard] = [:]
    public var bonus = BonusSchedule.standard
    public var customKPIs: [CustomKPI] = []

    public init() {}

    /// Day boundaries in the company's time zone (Moscow if the zone is unknown). Builds the zone's
    /// offset table: keep the result rather than asking again.
    public var calendar: CompanyCalendar {
        CompanyCalendar(
            timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Moscow")!, holidays: holidays)
    }

    /// The catalog with the user's KPIs added.
    public func catalog() throws(KPICatalog.CatalogError) -> KPICatalog {
        var c = KPICatalog.standard
        for custom in customKPIs { try c.define(custom.definition) }
        return c
    }
}

public struct RoleScorecard: Sendable, Equatable {
    /// Whose numbers the role's scorecard shows: the rep's own, or (for a head) their team's.
    public enum Scope: String, Sendable, Codable { case rep, team }
    public var scope: Scope = .rep
    public var kpis: [ScorecardKPI]
    public init(scope: Scope = .rep, kpis: [ScorecardKPI]) {
        self.scope = scope
        self.kpis = kpis
    }
}

public struct ScorecardKPI: Sendable, Equatable {
    /// How a default target scales with the period: a monthly plan of 20 proposals is 60 for a quarter.
    public enum Per: String, Sendable, Codable, CaseIterable { case day, week, month, quarter, year, period }
    public var kpi: KPI.ID
    /// Weight in percent; a role's weights sum to 100.
    public var weight: Double
    /// The default target when no plan is stored for the person; scaled by `per` for counts and amounts.
    public var target: Double?
    public var per: Per = .month
    /// Fulfillment (%) below which the KPI scores 0.
    public var threshold: Double = 50
    /// Fulfillment (%) above which the score stops growing.
    public var cap: Double = 150
    /// The 1-based line of the config where the KPI is set, for messages.
    public var line: Int?
    public init(
        kpi: KPI.ID, weight: Double, target: Double? = nil, per: Per = .month, threshold: Double = 50,
        cap: Double = 150, line: Int? = nil
    ) {
        self.kpi = kpi
        self.weight = weight
        self.target = target
        self.per = per
        self.threshold = threshold
        self.cap = cap
        self.line = line
    }

    /// The default target for a period: additive KPIs scale with the period's length.
    public func scaledTarget(for period: Period, additive: Bool) -> Double? {
        guard let target else { return nil }
        guard additive else { return target }
        let d = Double(period.days)
        switch per {
        case .day: return target * Double(period.workdays)
        case .week: return target * d / 7
        case .month: return target * d / (365.2425 / 12)
        case .quarter: return target * d / (365.2425 / 4)
        case .year: return target * d / 365.2425
        case .period: return target
        }
    }
}

/// Maps the weighted KPI index (%) to the bonus coefficient: the step with the highest `from` not above the index.
public struct BonusSchedule: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var from: Double
        public var coefficient: Double
        public init(from: Double, coefficient: Double) {
            self.from = from
            self.coefficient = coefficient
        }
    }
    public var steps: [Step]
    public init(steps: [Step]) { self.steps = steps.sorted { $0.from < $1.from } }

    public func coefficient(for index: Double) -> Double {
        steps.last { index >= $0.from }?.coefficient ?? 0
    }

    /// Nothing below 70 %, then growing to 1.0 at plan and up to 1.5 for strong over-fulfillment.
    public static let standard = BonusSchedule(steps: [
        .init(from: 0, coefficient: 0), .init(from: 70, coefficient: 0.5), .init(from: 90, coefficient: 0.8),
        .init(from: 100, coefficient: 1.0), .init(from: 120, coefficient: 1.2), .init(from: 140, coefficient: 1.5),
    ])
}

/// A KPI the user defines in the config file.
public struct CustomKPI: Sendable {
    public var definition: KPIDefinition
    public var line: Int?
    public init(definition: KPIDefinition, line: Int? = nil) {
        self.definition = definition
        self.line = line
    }
}
