extension SalesEngine {
    func apply(_ l: Lead) {
        let rep = l.owner?.id ?? 0  // an unassigned lead counts for the company
        add(.leadsCreated, 1, rep: rep, at: l.createdAt)
        if let r = l.firstResponseAt {
            add(.leadsResponded, 1, rep: rep, at: l.createdAt)
            add(.responseMinutes, max(0, r - l.createdAt) / 60, rep: rep, at: l.createdAt)
        }
        if let q = l.qualifiedAt { add(.sqls, 1, rep: rep, at: q) }
    }
}
