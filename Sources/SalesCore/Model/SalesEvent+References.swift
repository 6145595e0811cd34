/// A reference the store could not resolve: the field, what it should point to and the CRM id given.
public struct UnresolvedReference: Sendable, Hashable {
    public var field: String
    public var kind: EventKind
    public var external: String
    public init(field: String, kind: EventKind, external: String) {
        self.field = field
        self.kind = kind
        self.external = external
    }
}

extension SalesEvent {
    /// Fills the store ids of every reference with `lookup(kind, external id)`; returns those it
    /// could not resolve. The field names are the canonical CSV columns.
    public mutating func resolveReferences(_ lookup: (EventKind, String) -> Int64?) -> [UnresolvedReference] {
        var missing: [UnresolvedReference] = []
        func fill(_ ref: inout EntityRef, _ field: String, _ kind: EventKind) {
            if let id = lookup(kind, ref.external) {
                ref.id = id
            } else {
                missing.append(.init(field: field, kind: kind, external: ref.external))
            }
        }
        func fill(_ ref: inout EntityRef?, _ field: String, _ kind: EventKind) {
            guard var r = ref else { return }
            fill(&r, field, kind)
            ref = r
        }
        switch self {
        case .team: break
        case .rep(var r):
            fill(&r.team, "team_id", .team)
            fill(&r.manager, "manager_id", .rep)
            self = .rep(r)
        case .account: break
        case .lead(var l):
            fill(&l.owner, "owner_id", .rep)
            fill(&l.account, "account_id", .account)
            self = .lead(l)
        case .deal(var d):
            fill(&d.account, "account_id", .account)
            fill(&d.owner, "owner_id", .rep)
            fill(&d.lead, "lead_id", .lead)
            self = .deal(d)
        case .stageChange(var c):
            fill(&c.deal, "deal_id", .deal)
            self = .stageChange(c)
        case .activity(var a):
            fill(&a.rep, "rep_id", .rep)
            fill(&a.deal, "deal_id", .deal)
            fill(&a.account, "account_id", .account)
            self = .activity(a)
        case .invoice(var i):
            fill(&i.account, "account_id", .account)
            fill(&i.rep, "rep_id", .rep)
            fill(&i.deal, "deal_id", .deal)
            self = .invoice(i)
        case .payment(var p):
            fill(&p.invoice, "invoice_id", .invoice)
            self = .payment(p)
        case .survey(var s):
            fill(&s.account, "account_id", .account)
            fill(&s.rep, "rep_id", .rep)
            self = .survey(s)
        case .evaluation(var e):
            fill(&e.rep, "rep_id", .rep)
            fill(&e.activity, "activity_id", .activity)
            self = .evaluation(e)
        case .review(var r):
            fill(&r.rep, "rep_id", .rep)
            fill(&r.account, "account_id", .account)
            self = .review(r)
        case .task(var t):
            fill(&t.rep, "rep_id", .rep)
            self = .task(t)
        case .expense(var e):
            fill(&e.rep, "rep_id", .rep)
            self = .expense(e)
        case .plan(var p):
            if p.scope == .rep {
                fill(&p.owner, "owner_id", .rep)
            } else if p.scope == .team {
                fill(&p.owner, "owner_id", .team)
            }
            self = .plan(p)
        }
        return missing
    }

    /// Sets the store id the event was given.
    public mutating func setID(_ id: Int64) {
        switch self {
        case .team(var r):
            r.id = id
            self = .team(r)
        case .rep(var r):
            r.id = id
            self = .rep(r)
        case .account(var r):
            r.id = id
            self = .account(r)
        case .lead(var r):
            r.id = id
            self = .lead(r)
        case .deal(var r):
            r.id = id
            self = .deal(r)
        case .stageChange(var r):
            r.id = id
            self = .stageChange(r)
        case .activity(var r):
            r.id = id
            self = .activity(r)
        case .invoice(var r):
            r.id = id
            self = .invoice(r)
        case .payment(var r):
            r.id = id
            self = .payment(r)
        case .survey(var r):
            r.id = id
            self = .survey(r)
        case .evaluation(var r):
            r.id = id
            self = .evaluation(r)
        case .review(var r):
            r.id = id
            self = .review(r)
        case .task(var r):
            r.id = id
            self = .task(r)
        case .expense(var r):
            r.id = id
            self = .expense(r)
        case .plan(var r):
            r.id = id
            self = .plan(r)
        }
    }
}
