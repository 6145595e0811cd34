import SalesCore

package enum PlanRecord: RecordSchema {
    package static let tableName = "plans"
    /// plans.csv names the owner once (`owner_id`); the table keeps it as a rep or a team by `scope`.
    package static let columns: [RecordColumn] = [
        .required("scope"), .optional("rep_id", csv: "owner_id"), .storeOnly("team_id"), .required("kpi"),
        .required("period_start"), .required("period_end"), .required("target"),
    ]

    package static func values(of p: Plan) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(p.scope.rawValue), V(p.scope == .rep ? p.owner?.id : nil), V(p.scope == .team ? p.owner?.id : nil),
            V(p.kpi), V(Int64(p.period.start)), V(Int64(p.period.end)), V(p.target),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Plan {
        let scope = PlanScope(rawValue: row.text(2)) ?? .company
        let owner = row.optRef(scope == .rep ? 3 : 4)
        return Plan(
            externalID: externalID, scope: scope, owner: scope == .company ? nil : owner, kpi: row.text(5),
            period: Period(start: Day(row.int(6)), end: Day(row.int(7))), target: row.double(8))
    }
    package static func event(_ plan: Plan) -> SalesEvent { .plan(plan) }
    package static func record(in event: SalesEvent) -> Plan? { if case .plan(let p) = event { p } else { nil } }
}
