/// Whose target a plan is.
public enum PlanScope: String, Sendable, Codable, CaseIterable {
    case rep, team, company
}

/// A KPI's target for a rep, a team or the company over a period `[start, end)` of days.
/// Targets are in the KPI's display unit: money in major units, percent as 0–100.
/// A later plan for the same scope, KPI and period replaces an earlier one.
public struct Plan: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var scope: PlanScope
    /// The rep or team the plan is for; nil for the company.
    public var owner: EntityRef?
    public var kpi: String
    public var period: Period
    public var target: Double
    public init(externalID: String, scope: PlanScope, owner: EntityRef?, kpi: String, period: Period, target: Double) {
        self.externalID = externalID
        self.scope = scope
        self.owner = owner
        self.kpi = kpi
        self.period = period
        self.target = target
    }
}
