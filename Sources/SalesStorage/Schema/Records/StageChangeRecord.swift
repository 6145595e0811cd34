import SalesCore

package enum StageChangeRecord: RecordSchema {
    package static let tableName = "deal_stages"
    package static let columns: [RecordColumn] = [
        .required("deal_id"), .required("stage"), .required("changed_at"), .optional("amount"),
        .optional("lost_reason"), .optional("manager_fault"), .optional("forecast_category"),
        .optional("expected_close"),
    ]

    package static func values(of c: StageChange) -> [SQLValue] {
        typealias V = SQLValue
        return [
            V(c.deal.id), V(c.stage.rawValue), V(c.at), V(c.amount), V(c.lostReason), V(c.managerFault),
            V(c.forecastCategory), V(c.expectedClose.map(Int64.init)),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> StageChange {
        var c = StageChange(
            externalID: externalID, deal: row.ref(2), stage: DealStage(rawValue: row.text(3)) ?? .new,
            at: row.int(4))
        c.amount = row.optInt(5)
        c.lostReason = row.optText(6)
        c.managerFault = row.bool(7)
        c.forecastCategory = row.optText(8)
        c.expectedClose = row.optInt(9).map { Day($0) }
        return c
    }
    package static func event(_ change: StageChange) -> SalesEvent { .stageChange(change) }
    package static func record(in event: SalesEvent) -> StageChange? {
        if case .stageChange(let c) = event { c } else { nil }
    }
}
