import SalesCore

package enum RepRecord: RecordSchema {
    package static let tableName = "reps"
    package static let columns: [RecordColumn] = [
        .required("name"), .required("role"), .optional("team_id"), .optional("manager_id"), .optional("email"),
    ]

    package static func values(of rep: Rep) -> [SQLValue] {
        typealias V = SQLValue
        return [V(rep.name), V(rep.role.rawValue), V(rep.team?.id), V(rep.manager?.id), V(rep.email)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Rep {
        Rep(
            externalID: externalID, name: row.text(2), role: RepRole(rawValue: row.text(3)) ?? .ae,
            team: row.optRef(4), manager: row.optRef(5), email: row.optText(6))
    }
    package static func event(_ rep: Rep) -> SalesEvent { .rep(rep) }
    package static func record(in event: SalesEvent) -> Rep? { if case .rep(let r) = event { r } else { nil } }
}
