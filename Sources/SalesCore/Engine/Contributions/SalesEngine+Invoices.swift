extension SalesEngine {
    /// An invoice counts for its rep on the issue day; its payments are counted for the same rep.
    func apply(_ i: Invoice) {
        grow(&invoices, to: i.id)
        invoices[Int(i.id)].rep = i.rep.id
        add(.invoiced, i.amount, rep: i.rep.id, at: i.issuedAt)
    }
}
