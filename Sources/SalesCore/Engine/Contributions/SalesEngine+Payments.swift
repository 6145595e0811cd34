extension SalesEngine {
    /// A payment counts for its invoice's rep on the day it was paid: receivables are invoiced − paid.
    func apply(_ p: Payment) { add(.paid, p.amount, rep: invoices[Int(p.invoice.id)].rep, at: p.paidAt) }
}
