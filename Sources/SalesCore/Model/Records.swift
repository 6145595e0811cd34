/// The canonical records of a sales department, as they arrive from a CRM.
///
/// Every record is identified by `(source, externalID)`: re-sending the same record never counts
/// twice. References to other records carry the external id from the CRM and, once the store has
/// resolved them, the store's integer id that the engine uses for O(1) look-ups.

/// Seconds since 1970-01-01T00:00:00Z.
public typealias Timestamp = Int64
/// Money in minor units (kopecks, cents) of the company currency.
public typealias Money = Int64

/// A reference to another record: the CRM's id and, once stored, the store's id (0 = not resolved).
public struct EntityRef: Sendable, Hashable, Codable {
    public var external: String
    public var id: Int64
    public init(_ external: String, id: Int64 = 0) {
        self.external = external
        self.id = id
    }
}

public enum RepRole: String, Sendable, Codable, CaseIterable {
    case sdr, ae, am, head
}

public struct Team: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var name: String
    public init(externalID: String, name: String) {
        self.externalID = externalID
        self.name = name
    }
}

public struct Rep: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var name: String
    public var role: RepRole
    public var team: EntityRef?
    public var manager: EntityRef?
    public var email: String?
    public init(
        externalID: String, name: String, role: RepRole, team: EntityRef? = nil,
        manager: EntityRef? = nil, email: String? = nil
    ) {
        self.externalID = externalID
        self.name = name
        self.role = role
        self.team = team
        self.manager = manager
        self.email = email
    }
}

public struct Account: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var name: String
    public var industry: String?
    public var segment: String?
    public var isKeyAccount = false
    public var isTargetSegment = false
    /// Where the client came from: `referral`, `event`, `inbound`, `outbound`, …
    public var source: String?
    public var employees: Int?
    public init(externalID: String, name: String) {
        self.externalID = externalID
        self.name = name
    }
}

public struct Lead: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    /// The SDR working the lead; nil while nobody is (it counts for the company and its source until then).
    public var owner: EntityRef?
    public var account: EntityRef?
    public var source: String?
    public var createdAt: Timestamp
    public var firstResponseAt: Timestamp?
    /// When the lead was qualified as an SQL (fits the ICP and can buy); nil if it never was.
    public var qualifiedAt: Timestamp?
    public init(externalID: String, owner: EntityRef?, createdAt: Timestamp) {
        self.externalID = externalID
        self.owner = owner
        self.createdAt = createdAt
    }
}

public enum DealKind: String, Sendable, Codable, CaseIterable {
    case new
    case `repeat` = "repeat"
    case upsell, renewal
}

/// The canonical funnel. CRM presets map their own stage names onto it.
public enum DealStage: String, Sendable, Codable, CaseIterable, Comparable {
    case new, contacted, meeting, proposal, contract, won, lost
    public var isClosed: Bool { self == .won || self == .lost }
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// An amount as the CRM wrote it, in its own currency, before conversion to the company's at a dated rate.
public struct OriginalAmount: Sendable, Hashable, Codable {
    /// ISO 4217: `USD`, `EUR`, `MXN`.
    public var currency: String
    /// Minor units of `currency`.
    public var amount: Money
    public init(currency: String, amount: Money) {
        self.currency = currency
        self.amount = amount
    }
}

public struct Deal: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var account: EntityRef
    public var owner: EntityRef
    public var lead: EntityRef?
    /// The first contact: the sales cycle is measured from here to the close.
    public var createdAt: Timestamp
    public var amount: Money
    public var costOfGoods: Money = 0
    public var discounts: Money = 0
    public var marketingBonuses: Money = 0
    public var logistics: Money = 0
    public var taxes: Money = 0
    public var kind: DealKind = .new
    public var source: String?
    public var product: String?
    /// The amount in the deal's own currency, when that is not the company's (`amount` is converted).
    public var original: OriginalAmount?
    public var extraCosts: Money { discounts + marketingBonuses + logistics + taxes }
    public init(externalID: String, account: EntityRef, owner: EntityRef, createdAt: Timestamp, amount: Money) {
        self.externalID = externalID
        self.account = account
        self.owner = owner
        self.createdAt = createdAt
        self.amount = amount
    }
}

/// One move of a deal to a stage. Moving to `won` or `lost` closes the deal.
public struct StageChange: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var deal: EntityRef
    public var stage: DealStage
    public var at: Timestamp
    /// The final value of a won deal when it differs from the deal's amount.
    public var amount: Money?
    public var lostReason: String?
    /// The deal was lost through the manager's fault (a refusal caused by the rep).
    public var managerFault = false
    /// The CRM's own forecast category as it stood from this change (Salesforce's `ForecastCategory`:
    /// Pipeline, Best Case, Commit, Closed, Omitted), and the close date the rep then expected.
    public var forecastCategory: String?
    public var expectedClose: Day?
    public init(externalID: String, deal: EntityRef, stage: DealStage, at: Timestamp) {
        self.externalID = externalID
        self.deal = deal
        self.stage = stage
        self.at = at
    }
}

public enum ActivityType: String, Sendable, Codable, CaseIterable {
    case call, email
    case meetingBooked = "meeting_booked"
    case meetingHeld = "meeting_held"
    case demo
    case proposalSent = "proposal_sent"
    case proposalDiscussed = "proposal_discussed"
    case contractSent = "contract_sent"
    case contractSigned = "contract_signed"
    /// A hot contact made at an event, exhibition or through networking.
    case eventContact = "event_contact"
}

public struct Activity: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var rep: EntityRef
    public var type: ActivityType
    public var at: Timestamp
    public var durationSeconds: Int32 = 0
    public var outcome: String?
    public var deal: EntityRef?
    public var account: EntityRef?
    public init(externalID: String, rep: EntityRef, type: ActivityType, at: Timestamp) {
        self.externalID = externalID
        self.rep = rep
        self.type = type
        self.at = at
    }
}

public struct Invoice: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var account: EntityRef
    public var rep: EntityRef
    public var deal: EntityRef?
    public var issuedAt: Timestamp
    public var dueAt: Timestamp
    public var amount: Money
    /// The amount in the invoice's own currency, when that is not the company's (`amount` is converted).
    public var original: OriginalAmount?
    public init(
        externalID: String, account: EntityRef, rep: EntityRef, issuedAt: Timestamp, dueAt: Timestamp, amount: Money
    ) {
        self.externalID = externalID
        self.account = account
        self.rep = rep
        self.issuedAt = issuedAt
        self.dueAt = dueAt
        self.amount = amount
    }
}

public struct Payment: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var invoice: EntityRef
    public var paidAt: Timestamp
    public var amount: Money
    /// The amount in the payment's own currency, when that is not the company's (`amount` is converted).
    public var original: OriginalAmount?
    public init(externalID: String, invoice: EntityRef, paidAt: Timestamp, amount: Money) {
        self.externalID = externalID
        self.invoice = invoice
        self.paidAt = paidAt
        self.amount = amount
    }
}

/// A customer's answer to an NPS (0–10) and/or CSAT (1–5) question about a rep.
public struct Survey: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var account: EntityRef
    public var rep: EntityRef
    public var at: Timestamp
    public var nps: Int?
    public var csat: Int?
    public init(externalID: String, account: EntityRef, rep: EntityRef, at: Timestamp) {
        self.externalID = externalID
        self.account = account
        self.rep = rep
        self.at = at
    }
}

/// A reviewer's (or speech analytics') evaluation of how a rep handled objections.
public struct Evaluation: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var rep: EntityRef
    public var at: Timestamp
    public var activity: EntityRef?
    /// Argumentation score, 1–5.
    public var score: Int
    public var objectionsRaised: Int
    public var objectionsHandled: Int
    /// What speech analytics measured in the call; nil for a reviewer's evaluation.
    public var call: CallMeasures?
    public init(
        externalID: String, rep: EntityRef, at: Timestamp, score: Int, objectionsRaised: Int, objectionsHandled: Int,
        call: CallMeasures? = nil
    ) {
        self.externalID = externalID
        self.rep = rep
        self.at = at
        self.score = score
        self.objectionsRaised = objectionsRaised
        self.objectionsHandled = objectionsHandled
        self.call = call
    }
}

/// The additive part of a call's analysis, which the KPIs sum per rep and day.
public struct CallMeasures: Sendable, Hashable, Codable {
    public var repTalkSeconds: Int
    public var clientTalkSeconds: Int
    public var questions: Int
    public var openQuestions: Int
    public var stagesCovered: Int
    public var stagesTotal: Int
    public var nextStepAgreed: Bool
    public init(
        repTalkSeconds: Int, clientTalkSeconds: Int, questions: Int, openQuestions: Int, stagesCovered: Int,
        stagesTotal: Int,
        nextStepAgreed: Bool
    ) {
        self.repTalkSeconds = repTalkSeconds
        self.clientTalkSeconds = clientTalkSeconds
        self.questions = questions
        self.openQuestions = openQuestions
        self.stagesCovered = stagesCovered
        self.stagesTotal = stagesTotal
        self.nextStepAgreed = nextStepAgreed
    }
}

/// A client's review that names the rep.
public struct Review: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var rep: EntityRef
    public var account: EntityRef?
    public var at: Timestamp
    public var rating: Int?
    public init(externalID: String, rep: EntityRef, at: Timestamp) {
        self.externalID = externalID
        self.rep = rep
        self.at = at
    }
}

/// A CRM task: CRM discipline is the share of tasks done by their due time.
public struct CRMTask: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var rep: EntityRef
    public var dueAt: Timestamp
    public var doneAt: Timestamp?
    public init(externalID: String, rep: EntityRef, dueAt: Timestamp) {
        self.externalID = externalID
        self.rep = rep
        self.dueAt = dueAt
    }
}

public enum ExpenseCategory: String, Sendable, Codable, CaseIterable {
    /// Marketing and sales costs of winning clients: they make CAC.
    case marketing, sales, other
}

public struct Expense: Sendable, Hashable {
    public var id: Int64 = 0
    public var externalID: String
    public var at: Timestamp
    public var category: ExpenseCategory
    public var amount: Money
    public var rep: EntityRef?
    public init(externalID: String, at: Timestamp, category: ExpenseCategory, amount: Money) {
        self.externalID = externalID
        self.at = at
        self.category = category
        self.amount = amount
    }
}
