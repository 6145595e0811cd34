import SalesCore

package enum InvoiceRecord: RecordSchema {
    package static let tableName = "invoices"
    package static let columns: [RecordColumn] = [
        .required("account_id"), .required("rep_id"), .optional("deal_id"), .required("issued_at"),
        .required("due_at"), .required("amount"), .optional("currency"), .storeOnly("original_amount"),
    ]

    package static func values(of i: Invoice) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(i.account.id), V(i.rep.id), V(i.deal?.id), V(i.issuedAt), V(i.dueAt), V(i.amount),
            V(i.original?.currency),
            V(i.original?.amount),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Invoice {
        var i = Invoice(
            externalID: externalID, account: row.ref(2), rep: row.ref(3), issuedAt: row.int(5), dueAt: row.int(6),
            amount: row.int(7))
        i.deal = row.optRef(4)
        i.original = OriginalAmount.decode(row, currency: 8)
        return i
    }
    package static func event(_ invoice: Invoice) -> SalesEvent { .invoice(invoice) }
    package static func record(in event: SalesEvent) -> Invoice? {
        if case .invoice(let i) = event { i } else { nil }
    }
}
