import SalesCore

package enum PaymentRecord: RecordSchema {
    package static let tableName = "payments"
    package static let columns: [RecordColumn] = [
        .required("invoice_id"), .required("paid_at"), .required("amount"), .optional("currency"),
        .storeOnly("original_amount"),
    ]

    package static func values(of p: Payment) -> [SQLValue] {
        [
            SQLValue(p.invoice.id), SQLValue(p.paidAt), SQLValue(p.amount), SQLValue(p.original?.currency),
            SQLValue(p.original?.amount),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Payment {
        var p = Payment(externalID: externalID, invoice: row.ref(2), paidAt: row.int(3), amount: row.int(4))
        p.original = OriginalAmount.decode(row, currency: 5)
        return p
    }
    package static func event(_ payment: Payment) -> SalesEvent { .payment(payment) }
    package static func record(in event: SalesEvent) -> Payment? {
        if case .payment(let p) = event { p } else { nil }
    }
}
