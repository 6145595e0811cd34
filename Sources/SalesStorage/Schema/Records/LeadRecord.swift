import SalesCore

package enum LeadRecord: RecordSchema {
    package static let tableName = "leads"
    package static let columns: [RecordColumn] = [
        .optional("owner_id"), .optional("account_id"), .optional("lead_source", csv: "source"),
        .required("created_at"), .optional("first_response_at"), .optional("qualified_at"),
    ]
    /// leads.csv has `owner_id` first, as when every lead needed one: bundles and docs were written in that order.
    package static let csvFields =
        csvFieldsInColumnOrder.filter { $0.name == "owner_id" }
        + csvFieldsInColumnOrder.filter { $0.name != "owner_id" }

    package static func values(of l: Lead) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(l.owner?.id), V(l.account?.id), V(l.source), V(l.createdAt), V(l.firstResponseAt), V(l.qualifiedAt),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Lead {
        var l = Lead(externalID: externalID, owner: row.optRef(2), createdAt: row.int(5))
        l.account = row.optRef(3)
        l.source = row.optText(4)
        l.firstResponseAt = row.optInt(6)
        l.qualifiedAt = row.optInt(7)
        return l
    }
    package static func event(_ lead: Lead) -> SalesEvent { .lead(lead) }
    package static func record(in event: SalesEvent) -> Lead? { if case .lead(let l) = event { l } else { nil } }
}
