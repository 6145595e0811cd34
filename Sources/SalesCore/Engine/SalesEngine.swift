/// Who a set of numbers is about.
public enum Slice: Hashable, Sendable {
    case rep(Int64)
    case team(Int64)
    case role(RepRole)
    case company

    public enum Kind: String, Sendable, CaseIterable { case rep, team, role, company }
    public var kind: Kind {
        switch self {
        case .rep: .rep
        case .team: .team
        case .role: .role
        case .company: .company
        }
    }
}

/// A stable order for tie-breaking rows that share a name: kind first, then id (roles by name).
extension Slice: Comparable {
    private var order: (Int, Int64, String) {
        switch self {
        case .rep(let id): (0, id, "")
        case .team(let id): (1, id, "")
        case .role(let role): (2, 0, role.rawValue)
        case .company: (3, 0, "")
        }
    }
    public static func < (a: Slice, b: Slice) -> Bool { a.order < b.order }
}

/// In-memory aggregates of the whole store: per (rep, day) cells of base measures plus the few
/// per-deal, per-account and per-invoice facts that later events need. The store is the source of
/// truth; the engine is rebuilt from it on start and then updated by each new event in O(1).
///
/// Events must be applied after the records they reference (the store's replay order guarantees it).
public final class SalesEngine {
    public let calendar: CompanyCalendar

    public struct RepInfo: Sendable {
        public var id: Int64
        public var externalID: String
        public var name: String
        public var role: RepRole
        public var teamID: Int64?
        public var managerID: Int64?
    }
    public struct TeamInfo: Sendable {
        public var id: Int64
        public var externalID: String
        public var name: String
    }

    struct AccountFact {
        var isKey = false, isTarget = false, isReferral = false
        var firstWinDay: Day = .max
        var firstWinRep: Int64 = 0
    }
    struct DealFact {
        var owner: Int64 = 0, account: Int64 = 0
        var createdDay: Day = 0
        var amount: Money = 0, cost: Money = 0, extra: Money = 0
        var kind: DealKind = .new
        var isReferral = false
        var reached: UInt8 = 0  // bit per stage counted in reachedMeeting/Proposal/Contract
        var outcome: DealStage = .new  // .won / .lost when closed
        var closeAt: Timestamp = 0
        var closeAmount: Money = 0
        var managerFault = false
    }
    struct InvoiceFact { var rep: Int64 = 0 }

    public internal(set) var reps: [Int64: RepInfo] = [:]
    public internal(set) var teams: [Int64: TeamInfo] = [:]
    /// Rep ids by the CRM's id, for signed-in users linked to a rep.
    var repsByExternalID: [String: Int64] = [:]
    /// Reps by team, kept as reps arrive: a team's numbers are asked for often.
    var teamMembers: [Int64: [Int64]] = [:]
    private var orderedReps: [RepInfo]?
    private var namedReps: [RepInfo]?

    /// Reps sorted by team name, then name: the order of every listing. Kept until a rep or team arrives.
    public var repsByTeam: [RepInfo] {
        if let orderedReps { return orderedReps }
        let sorted = reps.values.map { ((teams[$0.teamID ?? 0]?.name ?? "", $0.name, $0.id), $0) }.sorted {
            $0.0 < $1.0
        }.map(\.1)
        orderedReps = sorted
        return sorted
    }

    /// Reps sorted by name, then id: the rows of a report by rep. Kept until a rep arrives, because
    /// comparing Unicode names costs more than a whole department's sums.
    public var repsByName: [RepInfo] {
        if let namedReps { return namedReps }
        let sorted = reps.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        namedReps = sorted
        return sorted
    }

    private func repsChanged() {
        orderedReps = nil
        namedReps = nil
    }
    var cells: [Int64: DayCells] = [:]
    /// Company-level records with no rep (such as marketing expenses): counted for the company only.
    var unassigned = DayCells()
    var accounts: [AccountFact] = []
    var deals: [DealFact] = []
    var invoices: [InvoiceFact] = []
    public let plans = PlanBook()
    public internal(set) var eventCount = 0
    /// The first and last day any event touched: "all time" for reports.
    public internal(set) var firstDay: Day = .max
    public internal(set) var lastDay: Day = .min

    public init(calendar: CompanyCalendar = CompanyCalendar()) { self.calendar = calendar }

    // MARK: Applying events

    public func apply(_ event: SalesEvent) {
        eventCount += 1
        switch event {
        case .team(let t):
            teams[t.id] = TeamInfo(id: t.id, externalID: t.externalID, name: t.name)
            repsChanged()
        case .rep(let r):
            reps[r.id] = RepInfo(
                id: r.id, externalID: r.externalID, name: r.name, role: r.role,
                teamID: r.team?.id, managerID: r.manager?.id)
            if let team = r.team?.id { teamMembers[team, default: []].append(r.id) }
            if repsByExternalID[r.externalID] == nil { repsByExternalID[r.externalID] = r.id }
            repsChanged()
        case .account(let a):
            grow(&accounts, to: a.id)
            accounts[Int(a.id)].isKey = a.isKeyAccount
            accounts[Int(a.id)].isTarget = a.isTargetSegment
            accounts[Int(a.id)].isReferral = a.source == "referral"
        case .lead(let l): apply(l)
        case .deal(let d): apply(d)
        case .stageChange(let c): apply(c)
        case .activity(let a): apply(a)
        case .invoice(let i):
            grow(&invoices, to: i.id)
            invoices[Int(i.id)].rep = i.rep.id
            add(.invoiced, i.amount, rep: i.rep.id, at: i.issuedAt)
        case .payment(let p):
            add(.paid, p.amount, rep: invoices[Int(p.invoice.id)].rep, at: p.paidAt)
        case .survey(let s):
            if let nps = s.nps {
                add(.npsResponses, 1, rep: s.rep.id, at: s.at)
                if nps >= 9 { add(.npsPromoters, 1, rep: s.rep.id, at: s.at) }
                if nps <= 6 { add(.npsDetractors, 1, rep: s.rep.id, at: s.at) }
            }
            if let csat = s.csat {
                add(.csatResponses, 1, rep: s.rep.id, at: s.at)
                add(.csatSum, Int64(csat), rep: s.rep.id, at: s.at)
            }
        case .evaluation(let e):
            add(.evaluations, 1, rep: e.rep.id, at: e.at)
            add(.argumentationSum, Int64(e.score), rep: e.rep.id, at: e.at)
            add(.objectionsRaised, Int64(e.objectionsRaised), rep: e.rep.id, at: e.at)
            add(.objectionsHandled, Int64(e.objectionsHandled), rep: e.rep.id, at: e.at)
            if let c = e.call {
                add(.callsAnalyzed, 1, rep: e.rep.id, at: e.at)
                add(.repTalkSeconds, Int64(c.repTalkSeconds), rep: e.rep.id, at: e.at)
                add(.clientTalkSeconds, Int64(c.clientTalkSeconds), rep: e.rep.id, at: e.at)
                add(.repQuestions, Int64(c.questions), rep: e.rep.id, at: e.at)
                add(.openQuestions, Int64(c.openQuestions), rep: e.rep.id, at: e.at)
                add(.scriptStagesCovered, Int64(c.stagesCovered), rep: e.rep.id, at: e.at)
                add(.scriptStagesTotal, Int64(c.stagesTotal), rep: e.rep.id, at: e.at)
                if c.nextStepAgreed { add(.nextStepsAgreed, 1, rep: e.rep.id, at: e.at) }
            }
        case .review(let r): add(.reviews, 1, rep: r.rep.id, at: r.at)
        case .task(let t):
            add(.tasksDue, 1, rep: t.rep.id, at: t.dueAt)
            if let done = t.doneAt, done <= t.dueAt { add(.tasksDoneOnTime, 1, rep: t.rep.id, at: t.dueAt) }
        case .expense(let e):
            if e.category != .other { add(.acquisitionCosts, e.amount, rep: e.rep?.id ?? 0, at: e.at) }
        case .plan(let p): plans.add(p)
        }
    }

    private func apply(_ l: Lead) {
        let rep = l.owner.id
        add(.leadsCreated, 1, rep: rep, at: l.createdAt)
        if let r = l.firstResponseAt {
            add(.leadsResponded, 1, rep: rep, at: l.createdAt)
            add(.responseMinutes, max(0, r - l.createdAt) / 60, rep: rep, at: l.createdAt)
        }
        if let q = l.qualifiedAt { add(.sqls, 1, rep: rep, at: q) }
    }

    private func apply(_ d: Deal) {
        grow(&deals, to: d.id)
        let account = d.account.id < accounts.count ? accounts[Int(d.account.id)] : AccountFact()
        deals[Int(d.id)] = DealFact(
            owner: d.owner.id, account: d.account.id, createdDay: calendar.day(of: d.createdAt),
            amount: d.amount, cost: d.costOfGoods, extra: d.extraCosts, kind: d.kind,
            isReferral: d.source.map { $0 == "referral" } ?? account.isReferral)
        add(.dealsCreated, 1, rep: d.owner.id, at: d.createdAt)
        add(.dealsCreatedAmount, d.amount, rep: d.owner.id, at: d.createdAt)
    }

    private static let funnelStages: [(DealStage, BaseMeasure, BaseMeasure)] =
        [
            (.meeting, .reachedMeeting, .cohortMeetings), (.proposal, .reachedProposal, .cohortProposals),
            (.contract, .reachedContract, .cohortContracts),
        ]

    private func apply(_ c: StageChange) {
        let i = Int(c.deal.id)
        var deal = deals[i]
        // Reaching a stage counts every funnel stage up to it once per deal; a win reaches them all.
        let top: DealStage = c.stage == .won ? .contract : c.stage
        for (bit, (stage, measure, cohort)) in Self.funnelStages.enumerated() where stage <= top && c.stage != .lost {
            let mask: UInt8 = 1 << UInt8(bit)
            if deal.reached & mask == 0 {
                deal.reached |= mask
                add(measure, 1, rep: deal.owner, at: c.at)
                addOnDay(cohort, 1, rep: deal.owner, day: deal.createdDay)
            }
        }
        if c.stage.isClosed, !deal.outcome.isClosed || c.at >= deal.closeAt {
            if deal.outcome.isClosed { close(&deal, sign: -1) }  // a later close replaces the earlier one
            deal.outcome = c.stage
            deal.closeAt = c.at
            deal.closeAmount = c.amount ?? deal.amount
            deal.managerFault = c.managerFault
            close(&deal, sign: 1)
        }
        deals[i] = deal
    }

    /// Adds (sign 1) or removes (sign -1) a closed deal's contribution.
    private func close(_ deal: inout DealFact, sign: Int64) {
        let rep = deal.owner
        let at = deal.closeAt
        add(.dealsClosedCreatedAmount, sign * deal.amount, rep: rep, at: at)
        if deal.outcome == .lost {
            add(.dealsLost, sign, rep: rep, at: at)
            if deal.managerFault { add(.lostManagerFault, sign, rep: rep, at: at) }
            if deal.kind == .renewal { add(.renewalsLost, sign, rep: rep, at: at) }
            return
        }
        let closeDay = calendar.day(of: at)
        add(.dealsWon, sign, rep: rep, at: at)
        addOnDay(.cohortWon, sign, rep: rep, day: deal.createdDay)
        add(.wonRevenue, sign * deal.closeAmount, rep: rep, at: at)
        add(.wonCost, sign * deal.cost, rep: rep, at: at)
        add(.wonExtraCosts, sign * deal.extra, rep: rep, at: at)
        add(.wonCycleDays, sign * Int64(max(0, closeDay - deal.createdDay)), rep: rep, at: at)
        let account = deal.account
        if account < accounts.count, accounts[Int(account)].isKey {
            add(.wonKeyRevenue, sign * deal.closeAmount, rep: rep, at: at)
        }
        if deal.isReferral { add(.wonReferral, sign, rep: rep, at: at) }
        if deal.kind != .new {
            add(.wonRepeat, sign, rep: rep, at: at)
            add(.wonRepeatRevenue, sign * deal.closeAmount, rep: rep, at: at)
        }
        if deal.kind == .upsell { add(.wonUpsellRevenue, sign * deal.closeAmount, rep: rep, at: at) }
        if deal.kind == .renewal { add(.renewalsWon, sign, rep: rep, at: at) }
        if sign > 0 { noteWin(account: account, rep: rep, day: closeDay) }
    }

    /// Keeps each account's first win, moving the "new client" count when an earlier win arrives.
    private func noteWin(account: Int64, rep: Int64, day: Day) {
        grow(&accounts, to: account)
        let a = accounts[Int(account)]
        guard day < a.firstWinDay else { return }
        if a.firstWinDay != .max {
            addOnDay(.newClients, -1, rep: a.firstWinRep, day: a.firstWinDay)
            if a.isTarget { addOnDay(.newTargetClients, -1, rep: a.firstWinRep, day: a.firstWinDay) }
        }
        accounts[Int(account)].firstWinDay = day
        accounts[Int(account)].firstWinRep = rep
        addOnDay(.newClients, 1, rep: rep, day: day)
        if a.isTarget { addOnDay(.newTargetClients, 1, rep: rep, day: day) }
    }

    /// The base measure that counts activities of this type.
    public static func measure(of type: ActivityType) -> BaseMeasure { activityMeasure[type]! }

    private static let activityMeasure: [ActivityType: BaseMeasure] = [
        .call: .calls, .email: .emails, .meetingBooked: .meetingsBooked, .meetingHeld: .meetingsHeld,
        .demo: .demos, .proposalSent: .proposalsSent, .proposalDiscussed: .proposalsDiscussed,
        .contractSent: .contractsSent, .contractSigned: .contractsSigned, .eventContact: .eventContacts,
    ]

    /// A call of at least this length counts as a quality contact.
    public static let qualityCallSeconds: Int32 = 120

    private func apply(_ a: Activity) {
        let day = calendar.day(of: a.at)
        addOnDay(Self.measure(of: a.type), 1, rep: a.rep.id, day: day)
        if a.type == .call {
            addOnDay(.callSeconds, Int64(a.durationSeconds), rep: a.rep.id, day: day)
            if a.durationSeconds >= Self.qualityCallSeconds { addOnDay(.qualityCalls, 1, rep: a.rep.id, day: day) }
        }
    }

    @inline(__always)
    private func add(_ m: BaseMeasure, _ v: Int64, rep: Int64, at instant: Timestamp) {
        addOnDay(m, v, rep: rep, day: calendar.day(of: instant))
    }

    private func addOnDay(_ m: BaseMeasure, _ v: Int64, rep: Int64, day: Day) {
        if day < firstDay { firstDay = day }
        if day > lastDay { lastDay = day }
        if rep == 0 {
            unassigned.add(m, v, on: day)
            return
        }
        cells[rep, default: DayCells()].add(m, v, on: day)
    }

    private func grow<T>(_ array: inout [T], to id: Int64) where T: DefaultInitializable {
        if Int(id) >= array.count { array.append(contentsOf: repeatElement(T(), count: Int(id) + 1 - array.count)) }
    }

    // MARK: Queries

    /// All days with data: `[first day, last day + 1)`; nil for an empty engine.
    public var allTime: Period? { firstDay <= lastDay ? Period(start: firstDay, end: lastDay + 1) : nil }

    /// The rep with this CRM id (the first stored, if several sources use it).
    public func rep(externalID: String) -> RepInfo? { repsByExternalID[externalID].flatMap { reps[$0] } }

    public func members(of slice: Slice) -> [Int64] {
        switch slice {
        case .rep(let id): [id]
        case .team(let id): teamMembers[id] ?? []
        case .role(let role): reps.values.filter { $0.role == role }.map(\.id)
        case .company: Array(reps.keys)
        }
    }

    /// Sums of base measures for a slice over `[start, end)`.
    public func measures(_ slice: Slice, _ start: Day, _ end: Day) -> MeasureVector {
        var acc = MeasureVector()
        if case .rep(let id) = slice {
            cells[id]?.sum(start, end, into: &acc)
            return acc
        }  // no member list to build
        for rep in members(of: slice) { cells[rep]?.sum(start, end, into: &acc) }
        if slice == .company { unassigned.sum(start, end, into: &acc) }
        return acc
    }

    public func measures(_ slice: Slice, in period: Period) -> MeasureVector {
        measures(slice, period.start, period.end)
    }

    /// Which deals stand behind a number: those won, lost or closed either way in the period (by close
    /// day), open at its end, or opened in it. The same rules as the measures, so a list's length
    /// equals its count.
    public enum DealSet: String, Sendable, CaseIterable { case won, lost, closed, open, opened }

    /// A deal's state as the engine sees it now, for drill-down lists.
    public struct DealState: Sendable {
        public var id: Int64
        public var owner: Int64
        public var opened: Day
        /// `.won` or `.lost` once closed; otherwise the furthest funnel stage reached (`.new` if none).
        public var stage: DealStage
        public var closed: Day?
        /// The final value of a won deal.
        public var wonAmount: Money?
    }

    public func deals(_ set: DealSet, of slice: Slice, in period: Period) -> [DealState] {
        let owners = Set(members(of: slice))
        var out: [DealState] = []
        for (i, d) in deals.enumerated() where d.owner != 0 && owners.contains(d.owner) {
            let closed: Day? = d.outcome.isClosed ? calendar.day(of: d.closeAt) : nil
            let include =
                switch set {
                case .won: d.outcome == .won && period.contains(closed!)
                case .lost: d.outcome == .lost && period.contains(closed!)
                case .closed: closed.map(period.contains) ?? false
                case .open: d.createdDay < period.end && (closed ?? period.end) >= period.end
                case .opened: period.contains(d.createdDay)
                }
            guard include else { continue }
            let furthest =
                Self.funnelStages.indices.last { d.reached & (1 << UInt8($0)) != 0 }.map { Self.funnelStages[$0].0 }
                ?? .new
            out.append(
                DealState(
                    id: Int64(i), owner: d.owner, opened: d.createdDay, stage: closed == nil ? furthest : d.outcome,
                    closed: closed, wonAmount: d.outcome == .won ? d.closeAmount : nil))
        }
        return out
    }

    /// Approximate memory held by the aggregates, in bytes.
    public var approximateBytes: Int {
        cells.values.reduce(0) { $0 + $1.bytes } + deals.capacity * MemoryLayout<DealFact>.stride
            + accounts.capacity * MemoryLayout<AccountFact>.stride + invoices.capacity
            * MemoryLayout<InvoiceFact>.stride
    }
}

protocol DefaultInitializable { init() }
extension SalesEngine.AccountFact: DefaultInitializable {}
extension SalesEngine.DealFact: DefaultInitializable {}
extension SalesEngine.InvoiceFact: DefaultInitializable {}
