import SalesCore

package enum SurveyRecord: RecordSchema {
    package static let tableName = "surveys"
    package static let columns: [RecordColumn] = [
        .required("account_id"), .required("rep_id"), .required("at"), .optional("nps"), .optional("csat"),
    ]

    package static func values(of s: Survey) -> [SQLValue] {
        typealias V = SQLValue
        return [V(s.account.id), V(s.rep.id), V(s.at), V(s.nps), V(s.csat)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Survey {
        var s = Survey(externalID: externalID, account: row.ref(2), rep: row.ref(3), at: row.int(4))
        s.nps = row.optSmall(5)
        s.csat = row.optSmall(6)
        return s
    }
    package static func event(_ survey: Survey) -> SalesEvent { .survey(survey) }
    package static func record(in event: SalesEvent) -> Survey? { if case .survey(let s) = event { s } else { nil } }
}
