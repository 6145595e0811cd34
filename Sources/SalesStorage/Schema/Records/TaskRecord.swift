import SalesCore

package enum TaskRecord: RecordSchema {
    package static let tableName = "tasks"
    package static let columns: [RecordColumn] = [.required("rep_id"), .required("due_at"), .optional("done_at")]

    package static func values(of t: CRMTask) -> [SQLValue] {
        [SQLValue(t.rep.id), SQLValue(t.dueAt), SQLValue(t.doneAt)]
    }
    package static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> CRMTask {
        var t = CRMTask(externalID: externalID, rep: row.ref(2), dueAt: row.int(3))
        t.doneAt = row.optInt(4)
        return t
    }
    package static func event(_ task: CRMTask) -> SalesEvent { .task(task) }
    package static func record(in event: SalesEvent) -> CRMTask? { if case .task(let t) = event { t } else { nil } }
}
