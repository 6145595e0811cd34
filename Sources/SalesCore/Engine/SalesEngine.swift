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

    func repsChanged() {
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
        case .team(let t): apply(t)
        case .rep(let r): apply(r)
        case .account(let a): apply(a)
        case .lead(let l): apply(l)
        case .deal(let d): apply(d)
        case .stageChange(let c): apply(c)
        case .activity(let a): apply(a)
        case .invoice(let i): apply(i)
        case .payment(let p): apply(p)
        case .survey(let s): apply(s)
        case .evaluation(let e): apply(e)
        case .review(let r): apply(r)
        case .task(let t): apply(t)
        case .expense(let e): apply(e)
        case .plan(let p): plans.add(p)
        }
    }

    /// Adds to a measure of the rep's cell on the instant's day. What each kind of record adds is in
    /// `Engine/Contributions/`, one file per kind, as `BaseMeasure.feed` declares it.
    @inline(__always)
    func add(_ m: BaseMeasure, _ v: Int64, rep: Int64, at instant: Timestamp) {
        addOnDay(m, v, rep: rep, day: calendar.day(of: instant))
    }

    func addOnDay(_ m: BaseMeasure, _ v: Int64, rep: Int64, day: Day) {
        if day < firstDay { firstDay = day }
        if day > lastDay { lastDay = day }
        if rep == 0 {
            unassigned.add(m, v, on: day)
            return
        }
        cells[rep, default: DayCells()].add(m, v, on: day)
    }

    func grow<T>(_ array: inout [T], to id: Int64) where T: DefaultInitializable {
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
        measures(slice, over: span(start, end))
    }

    /// `[start, end)` as the day cells read it, within the months that hold data (nothing outside them adds).
    func span(_ start: Day, _ end: Day) -> DayCells.Span {
        guard firstDay <= lastDay else { return DayCells.Span(0, 0) }
        let first = CivilDate.firstDay(ofMonthIndex: CivilDate(firstDay).monthIndex)
        let last = CivilDate.firstDay(ofMonthIndex: CivilDate(lastDay).monthIndex + 1)
        return DayCells.Span(max(start, first), min(end, last))
    }

    func measures(_ slice: Slice, over span: DayCells.Span) -> MeasureVector {
        var acc = MeasureVector()
        if case .rep(let id) = slice {
            cells[id]?.sum(span, into: &acc)
            return acc
        }  // no member list to build
        for rep in members(of: slice) { cells[rep]?.sum(span, into: &acc) }
        if slice == .company { unassigned.sum(span, into: &acc) }
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
