/// One canonical record of any kind: the unit the store appends and the engine applies.
public enum SalesEvent: Sendable, Hashable {
    case team(Team)
    case rep(Rep)
    case account(Account)
    case lead(Lead)
    case deal(Deal)
    case stageChange(StageChange)
    case activity(Activity)
    case invoice(Invoice)
    case payment(Payment)
    case survey(Survey)
    case evaluation(Evaluation)
    case review(Review)
    case task(CRMTask)
    case expense(Expense)
    case plan(Plan)

    public var kind: EventKind {
        switch self {
        case .team: .team
        case .rep: .rep
        case .account: .account
        case .lead: .lead
        case .deal: .deal
        case .stageChange: .stageChange
        case .activity: .activity
        case .invoice: .invoice
        case .payment: .payment
        case .survey: .survey
        case .evaluation: .evaluation
        case .review: .review
        case .task: .task
        case .expense: .expense
        case .plan: .plan
        }
    }

    public var externalID: String {
        switch self {
        case .team(let r): r.externalID
        case .rep(let r): r.externalID
        case .account(let r): r.externalID
        case .lead(let r): r.externalID
        case .deal(let r): r.externalID
        case .stageChange(let r): r.externalID
        case .activity(let r): r.externalID
        case .invoice(let r): r.externalID
        case .payment(let r): r.externalID
        case .survey(let r): r.externalID
        case .evaluation(let r): r.externalID
        case .review(let r): r.externalID
        case .task(let r): r.externalID
        case .expense(let r): r.externalID
        case .plan(let r): r.externalID
        }
    }
}

/// The kinds of record, in the order a store inserts and replays them (referenced kinds first).
public enum EventKind: String, Sendable, Codable, CaseIterable, Comparable {
    case team, rep, account, lead, deal
    case stageChange = "deal_stage"
    case activity, invoice, payment, survey, evaluation, review, task, expense, plan

    /// The canonical bundle's file for this kind.
    public var fileName: String {
        switch self {
        case .team: "teams.csv"
        case .rep: "reps.csv"
        case .account: "accounts.csv"
        case .lead: "leads.csv"
        case .deal: "deals.csv"
        case .stageChange: "deal_stages.csv"
        case .activity: "activities.csv"
        case .invoice: "invoices.csv"
        case .payment: "payments.csv"
        case .survey: "surveys.csv"
        case .evaluation: "evaluations.csv"
        case .review: "reviews.csv"
        case .task: "tasks.csv"
        case .expense: "expenses.csv"
        case .plan: "plans.csv"
        }
    }
    /// A record that describes something (a deal, a lead, a rep), as opposed to a fact that happened (a stage
    /// change, a call): re-sent with other values, it replaces the stored one (a reassigned owner, a new amount).
    /// A fact re-sent is a duplicate, whatever it says.
    public var isUpdatable: Bool {
        switch self {
        case .team, .rep, .account, .lead, .deal: true
        default: false
        }
    }
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}
