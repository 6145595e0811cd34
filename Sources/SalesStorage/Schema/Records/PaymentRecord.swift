import SalesCore

package enum PaymentRecord: RecordSchema {
    package static let tableName = "payments"
    package static let columns: [RecordColumn] = [.required("invoice_id"), .required("paid_at"), .required("amount")]

    package static func values(of p: Payment) -> [SQLValue] {
        [SQLValue(p.invoice.id), SQLValue(p.paidAt), SQLValue(p.amount)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Payment {
        Payment(externalID: externalID, invoice: row.ref(2), paidAt: row.int(3), amount: row.int(4))
    }
    package static func event(_ payment: Payment) -> SalesEvent { .payment(payment) }
    package static func record(in event: SalesEvent) -> Payment? {
        if case .payment(let p) = event { p } else { nil }
    }
}
