extension SalesEngine {
    /// A task counts on its due day, and as on time when it was done by then.
    func apply(_ t: CRMTask) {
        add(.tasksDue, 1, rep: t.rep.id, at: t.dueAt)
        if let done = t.doneAt, done <= t.dueAt { add(.tasksDoneOnTime, 1, rep: t.rep.id, at: t.dueAt) }
    }
}
