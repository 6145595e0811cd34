extension SalesEngine {
    /// Marketing and sales expenses are acquisition costs (CAC); other expenses are not. Without a rep
    /// they count for the company only.
    func apply(_ e: Expense) {
        if e.category != .other { add(.acquisitionCosts, e.amount, rep: e.rep?.id ?? 0, at: e.at) }
    }
}
