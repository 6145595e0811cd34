import SalesCore

package enum ActivityRecord: RecordSchema {
    package static let tableName = "activities"
    package static let columns: [RecordColumn] = [
        .required("rep_id"), .required("type"), .required("at"), .optional("duration_seconds"), .optional("outcome"),
        .optional("deal_id"), .optional("account_id"),
    ]

    package static func values(of a: Activity) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(a.rep.id), V(a.type.rawValue), V(a.at), V(Int64(a.durationSeconds)), V(a.outcome), V(a.deal?.id),
            V(a.account?.id),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Activity {
        var a = Activity(
            externalID: externalID, rep: row.ref(2), type: ActivityType(rawValue: row.text(3)) ?? .call,
            at: row.int(4))
        a.durationSeconds = Int32(truncatingIfNeeded: row.int(5))
        a.outcome = row.optText(6)
        a.deal = row.optRef(7)
        a.account = row.optRef(8)
        return a
    }
    package static func event(_ activity: Activity) -> SalesEvent { .activity(activity) }
    package static func record(in event: SalesEvent) -> Activity? {
        if case .activity(let a) = event { a } else { nil }
    }
}
