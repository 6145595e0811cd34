extension SalesEngine {
    func apply(_ r: Review) { add(.reviews, 1, rep: r.rep.id, at: r.at) }
}
