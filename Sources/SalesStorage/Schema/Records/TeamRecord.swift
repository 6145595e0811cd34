import SalesCore

package enum TeamRecord: RecordSchema {
    package static let tableName = "teams"
    package static let columns: [RecordColumn] = [.required("name")]

    package static func values(of team: Team) -> [SQLValue] { [SQLValue(team.name)] }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Team {
        Team(externalID: externalID, name: row.text(2))
    }
    package static func event(_ team: Team) -> SalesEvent { .team(team) }
    package static func record(in event: SalesEvent) -> Team? { if case .team(let t) = event { t } else { nil } }
}
