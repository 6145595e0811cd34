import SalesCore

package enum ReviewRecord: RecordSchema {
    package static let tableName = "reviews"
    package static let columns: [RecordColumn] = [
        .required("rep_id"), .optional("account_id"), .required("at"), .optional("rating"),
    ]

    package static func values(of r: Review) -> [SQLValue] {
        [SQLValue(r.rep.id), SQLValue(r.account?.id), SQLValue(r.at), SQLValue(r.rating)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Review {
        var r = Review(externalID: externalID, rep: row.ref(2), at: row.int(4))
        r.account = row.optRef(3)
        r.rating = row.optSmall(5)
        return r
    }
    package static func event(_ review: Review) -> SalesEvent { .review(review) }
    package static func record(in event: SalesEvent) -> Review? { if case .review(let r) = event { r } else { nil } }
}
