import SalesCore

package enum AccountRecord: RecordSchema {
    package static let tableName = "accounts"
    package static let columns: [RecordColumn] = [
        .required("name"), .optional("industry"), .optional("segment"), .optional("is_key_account", csv: "key_account"),
        .optional("is_target_segment", csv: "target_segment"), .optional("acquisition_source", csv: "source"),
        .optional("employees"),
    ]

    package static func values(of a: Account) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(a.name), V(a.industry), V(a.segment), V(a.isKeyAccount), V(a.isTargetSegment), V(a.source),
            V(a.employees),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Account {
        var a = Account(externalID: externalID, name: row.text(2))
        a.industry = row.optText(3)
        a.segment = row.optText(4)
        a.isKeyAccount = row.bool(5)
        a.isTargetSegment = row.bool(6)
        a.source = row.optText(7)
        a.employees = row.optSmall(8)
        return a
    }
    package static func event(_ account: Account) -> SalesEvent { .account(account) }
    package static func record(in event: SalesEvent) -> Account? {
        if case .account(let a) = event { a } else { nil }
    }
}
