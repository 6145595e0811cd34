import SalesCore

package enum ExpenseRecord: RecordSchema {
    package static let tableName = "expenses"
    package static let columns: [RecordColumn] = [
        .required("at"), .required("category"), .required("amount"), .optional("rep_id"),
    ]

    package static func values(of e: Expense) -> [SQLValue] {
        [SQLValue(e.at), SQLValue(e.category.rawValue), SQLValue(e.amount), SQLValue(e.rep?.id)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Expense {
        var x = Expense(
            externalID: externalID, at: row.int(2), category: ExpenseCategory(rawValue: row.text(3)) ?? .other,
            amount: row.int(4))
        x.rep = row.optRef(5)
        return x
    }
    package static func event(_ expense: Expense) -> SalesEvent { .expense(expense) }
    package static func record(in event: SalesEvent) -> Expense? {
        if case .expense(let e) = event { e } else { nil }
    }
}
