// A deal counts when it is opened; what its closes add is in `SalesEngine+StageChanges.swift`.
extension SalesEngine {
    func apply(_ d: Deal) {
        grow(&deals, to: d.id)
        let account = d.account.id < accounts.count ? accounts[Int(d.account.id)] : AccountFact()
        deals[Int(d.id)] = DealFact(
            owner: d.owner.id, account: d.account.id, createdDay: calendar.day(of: d.createdAt),
            amount: d.amount, cost: d.costOfGoods, extra: d.extraCosts, kind: d.kind,
            isReferral: d.source.map { $0 == "referral" } ?? account.isReferral)
        add(.dealsCreated, 1, rep: d.owner.id, at: d.createdAt)
        add(.dealsCreatedAmount, d.amount, rep: d.owner.id, at: d.createdAt)
    }
}
