/// Every deal's life as the CRM recorded it — stage moves, activities, the account behind it — plus
/// the accounts' invoices and surveys and the leads: what the predictive layer learns from.
///
/// The engine keeps only sums per day; models need each deal's timeline to rebuild what was known at
/// any past instant (so a deal that closed later is seen as it looked while it was still open).
/// Built by applying the store's events in replay order, like the engine.
public final class DealHistory {
    public struct AccountInfo: Sendable {
        public var externalID = ""
        public var name = ""
        public var industry: String?
        public var segment: String?
        public var employees: Int?
        public var isKey = false
        public var isTarget = false
        public var source: String?
    }

    public struct DealTimeline: Sendable {
        public var id: Int64
        public var externalID: String
        public var owner: Int64
        public var account: Int64
        public var createdAt: Timestamp
        public var amount: Money
        public var kind: DealKind
        public var source: String?
        public var product: String?
        /// The lead the deal came from, if any.
        public var lead: Int64?
        /// Moves to open stages (new … contract), in time order.
        public var stages: [(stage: DealStage, at: Timestamp)] = []
        /// `.won` or `.lost` once closed (the latest close wins, as in the engine).
        public var outcome: DealStage?
        public var closedAt: Timestamp?
        public var closeAmount: Money?
        /// Times of the activities logged against the deal, ascending once `finish()` ran.
        public var activityTimes: [Timestamp] = []
        /// The CRM's forecast category and expected close from each change that carried one, in time order.
        public var forecasts: [(at: Timestamp, category: String, close: Day?)] = []

        /// The forecast category and expected close as they stood just before `t` (nil before the first).
        public func forecast(before t: Timestamp) -> (category: String, close: Day?)? {
            forecasts.last { $0.at < t }.map { ($0.category, $0.close) }
        }

        public var won: Bool { outcome == .won }
        public func isOpen(at t: Timestamp) -> Bool { createdAt <= t && (closedAt.map { $0 > t } ?? true) }
        /// The furthest open stage reached before `t` (`.new` if none).
        public func stage(before t: Timestamp) -> (stage: DealStage, since: Timestamp) {
            var best: (DealStage, Timestamp) = (.new, createdAt)
            for s in stages where s.at < t && s.stage > best.0 { best = (s.stage, s.at) }
            return best
        }
        /// Activities logged before `t`, and the time of the last one.
        public func activities(before t: Timestamp) -> (count: Int, last: Timestamp?) {
            var lo = 0
            var hi = activityTimes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if activityTimes[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            return (lo, lo > 0 ? activityTimes[lo - 1] : nil)
        }
        func activities(between from: Timestamp, _ to: Timestamp) -> Int {
            activities(before: to).count - activities(before: from).count
        }
    }

    public struct InvoiceInfo: Sendable {
        public var account: Int64
        public var issuedAt: Timestamp
        public var dueAt: Timestamp
        public var amount: Money
        public var paidAt: Timestamp?
        public var paid: Money = 0
    }

    public struct SurveyInfo: Sendable {
        public var account: Int64
        public var at: Timestamp
        public var nps: Int?
        public var csat: Int?
    }

    public struct LeadInfo: Sendable {
        public var id: Int64
        public var externalID: String
        /// 0 while nobody works the lead.
        public var owner: Int64
        public var account: Int64?
        public var source: String?
        public var createdAt: Timestamp
        public var firstResponseAt: Timestamp?
        public var qualifiedAt: Timestamp?
    }

    public private(set) var deals: [DealTimeline] = []
    /// Index into `deals` by the store's deal id.
    private var dealIndex: [Int64: Int] = [:]
    public private(set) var accounts: [Int64: AccountInfo] = [:]
    public private(set) var invoices: [Int64: InvoiceInfo] = [:]
    public private(set) var surveys: [SurveyInfo] = []
    public private(set) var leads: [LeadInfo] = []
    /// Each rep's team, for team-level features and forecasts.
    public private(set) var repTeams: [Int64: Int64] = [:]
    public private(set) var teamNames: [Int64: String] = [:]
    /// Activities usually arrive in time order; when one does not, `finish()` sorts.
    private var unsorted = false

    public init() {}

    /// The kinds `apply` reads (of activities, only those on a deal).
    public static let kinds: Set<EventKind> = [
        .team, .rep, .account, .lead, .deal, .stageChange, .activity, .invoice, .payment, .survey,
    ]

    public func apply(_ event: SalesEvent) {
        switch event {
        case .team(let t): teamNames[t.id] = t.name
        case .rep(let r): repTeams[r.id] = r.team?.id
        case .account(let a):
            accounts[a.id] = AccountInfo(
                externalID: a.externalID, name: a.name, industry: a.industry, segment: a.segment,
                employees: a.employees,
                isKey: a.isKeyAccount, isTarget: a.isTargetSegment, source: a.source)
        case .lead(let l):
            leads.append(
                LeadInfo(
                    id: l.id, externalID: l.externalID, owner: l.owner?.id ?? 0, account: l.account?.id,
                    source: l.source,
                    createdAt: l.createdAt, firstResponseAt: l.firstResponseAt, qualifiedAt: l.qualifiedAt))
        case .deal(let d):
            dealIndex[d.id] = deals.count
            deals.append(
                DealTimeline(
                    id: d.id, externalID: d.externalID, owner: d.owner.id, account: d.account.id,
                    createdAt: d.createdAt,
                    amount: d.amount, kind: d.kind, source: d.source ?? accounts[d.account.id]?.source,
                    product: d.product, lead: d.lead?.id))
        case .stageChange(let c):
            guard let i = dealIndex[c.deal.id] else { return }
            if let category = c.forecastCategory {
                if let last = deals[i].forecasts.last, last.at > c.at { unsorted = true }
                deals[i].forecasts.append((c.at, category, c.expectedClose))
            }
            if c.stage.isClosed {
                if deals[i].closedAt.map({ c.at >= $0 }) ?? true {
                    deals[i].outcome = c.stage
                    deals[i].closedAt = c.at
                    deals[i].closeAmount = c.amount ?? deals[i].amount
                }
            } else {
                deals[i].stages.append((c.stage, c.at))
            }
        case .activity(let a):
            guard let deal = a.deal?.id, let i = dealIndex[deal] else { return }
            if let last = deals[i].activityTimes.last, last > a.at { unsorted = true }
            deals[i].activityTimes.append(a.at)
        case .invoice(let inv):
            invoices[inv.id] = InvoiceInfo(
                account: inv.account.id, issuedAt: inv.issuedAt, dueAt: inv.dueAt, amount: inv.amount)
        case .payment(let p):
            guard var inv = invoices[p.invoice.id] else { return }
            inv.paid += p.amount
            if inv.paid >= inv.amount { inv.paidAt = max(inv.paidAt ?? p.paidAt, p.paidAt) }
            invoices[p.invoice.id] = inv
        case .survey(let s):
            surveys.append(SurveyInfo(account: s.account.id, at: s.at, nps: s.nps, csat: s.csat))
        default: break
        }
    }

    /// Sorts what arrived out of order; call once after a replay (and after live events, before reading).
    public func finish() {
        guard unsorted else { return }
        for i in deals.indices where !deals[i].activityTimes.isEmpty { deals[i].activityTimes.sort() }
        for i in deals.indices where deals[i].forecasts.count > 1 { deals[i].forecasts.sort { $0.at < $1.at } }
        unsorted = false
    }

    public func deal(id: Int64) -> DealTimeline? { dealIndex[id].map { deals[$0] } }

    /// Deals closed in `[from, to)`.
    public func closed(from: Timestamp = .min, to: Timestamp) -> [DealTimeline] {
        deals.filter { d in d.closedAt.map { $0 >= from && $0 < to } ?? false }
    }

    /// Deals open at `t`: created by then and not closed by then.
    public func open(at t: Timestamp) -> [DealTimeline] { deals.filter { $0.isOpen(at: t) } }
}
