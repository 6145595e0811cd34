import SalesCore

package enum DealRecord: RecordSchema {
    package static let tableName = "deals"
    package static let columns: [RecordColumn] = [
        .required("account_id"), .required("owner_id"), .optional("lead_id"), .required("created_at"),
        .required("amount"), .optional("cost_of_goods"), .optional("discounts"), .optional("marketing_bonuses"),
        .optional("logistics"), .optional("taxes"), .optional("kind"), .optional("deal_source", csv: "source"),
        .optional("product"), .optional("currency"), .storeOnly("original_amount"),
    ]
    /// deals.csv has `lead_id` last: bundles, demo data and docs were written in that order.
    package static let csvFields =
        csvFieldsInColumnOrder.filter { $0.name != "lead_id" }
        + csvFieldsInColumnOrder.filter { $0.name == "lead_id" }

    package static func values(of d: Deal) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(d.account.id), V(d.owner.id), V(d.lead?.id), V(d.createdAt), V(d.amount), V(d.costOfGoods),
            V(d.discounts), V(d.marketingBonuses), V(d.logistics), V(d.taxes), V(d.kind.rawValue), V(d.source),
            V(d.product), V(d.original?.currency), V(d.original?.amount),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Deal {
        var d = Deal(
            externalID: externalID, account: row.ref(2), owner: row.ref(3), createdAt: row.int(5), amount: row.int(6))
        d.lead = row.optRef(4)
        d.costOfGoods = row.int(7)
        d.discounts = row.int(8)
        d.marketingBonuses = row.int(9)
        d.logistics = row.int(10)
        d.taxes = row.int(11)
        d.kind = DealKind(rawValue: row.text(12)) ?? .new
        d.source = row.optText(13)
        d.product = row.optText(14)
        d.original = OriginalAmount.decode(row, currency: 15)
        return d
    }
    package static func event(_ deal: Deal) -> SalesEvent { .deal(deal) }
    package static func record(in event: SalesEvent) -> Deal? { if case .deal(let d) = event { d } else { nil } }
}
