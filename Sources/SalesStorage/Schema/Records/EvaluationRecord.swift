import SalesCore

package enum EvaluationRecord: RecordSchema {
    package static let tableName = "evaluations"
    /// The speech-analytics columns come from call analysis, not from evaluations.csv.
    package static let columns: [RecordColumn] =
        [
            .required("rep_id"), .required("at"), .optional("activity_id"), .required("score"),
            .required("objections_raised"), .required("objections_handled"),
        ] + EventSchema.callColumns.map(RecordColumn.storeOnly)

    package static func values(of e: Evaluation) -> [SQLValue] {
        typealias V = SQLValue
        let c = e.call
        return [
            V(e.rep.id), V(e.at), V(e.activity?.id), V(e.score), V(e.objectionsRaised), V(e.objectionsHandled),
            V(c?.repTalkSeconds), V(c?.clientTalkSeconds), V(c?.questions), V(c?.openQuestions), V(c?.stagesCovered),
            V(c?.stagesTotal), V(c?.nextStepAgreed),
        ]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Evaluation {
        var v = Evaluation(
            externalID: externalID, rep: row.ref(2), at: row.int(3), score: Int(row.int(5)),
            objectionsRaised: Int(row.int(6)), objectionsHandled: Int(row.int(7)))
        v.activity = row.optRef(4)
        if row.optInt(8) != nil {
            v.call = CallMeasures(
                repTalkSeconds: Int(row.int(8)), clientTalkSeconds: Int(row.int(9)), questions: Int(row.int(10)),
                openQuestions: Int(row.int(11)), stagesCovered: Int(row.int(12)), stagesTotal: Int(row.int(13)),
                nextStepAgreed: row.bool(14))
        }
        return v
    }
    package static func event(_ evaluation: Evaluation) -> SalesEvent { .evaluation(evaluation) }
    package static func record(in event: SalesEvent) -> Evaluation? {
        if case .evaluation(let e) = event { e } else { nil }
    }
}
