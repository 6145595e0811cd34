import Foundation

/// Which new leads an SDR should call first: the chance a lead becomes an SQL, learnt from the
/// store's past leads (a logistic regression) on its fit to the ideal customer profile — the
/// account's target segment, industry, size, and the lead's source — and on engagement — how fast
/// it was answered, and whether it arrived in working hours, off hours or at the weekend (the company's
/// calendar) — plus the owner's own qualification rate. Each score comes with its reasons.
public struct LeadScoring: Sendable {
    public let fit: ExplainedRegression
    public let trainedOn: Int
    public let calendar: CompanyCalendar
    /// Past leads' qualification rates by owner, shrunk towards the overall rate by 20 pseudo-leads.
    private let ownerRates: [Int64: Double]
    private let overallRate: Double

    /// Leads are judged this many days after they arrive: later qualifications are rare.
    public static let outcomeDays = 14
    /// Fewer past leads than this, or fewer than 20 of either outcome, and no model is fitted.
    public static let minimumLeads = 200

    public struct Score: Sendable, Codable, Equatable {
        public var lead: Int64
        public var externalID: String
        public var owner: Int64
        /// The chance of becoming an SQL, 0–100.
        public var score: Int
        /// Strongest first, signed: "+ source: referral", "− answered in 95 min".
        public var reasons: [LocalizedText]
    }

    static let numberNames = [
        "response_minutes", "unanswered", "employees", "target_segment", "key_account", "owner_rate",
    ]
    static let categoryNames = ["source", "industry", "segment", "arrived"]
    static let names: [String: LocalizedText] = Dictionary(
        uniqueKeysWithValues: (numberNames + categoryNames).map { ($0, LocalizedText("lead_feature.\($0).name")) })

    /// Learns from the leads created at least `outcomeDays` before `asOf`; nil with too few.
    public static func train(history: DealHistory, calendar: CompanyCalendar, asOf: Timestamp) -> LeadScoring? {
        let labelled = Self.labelled(history: history, asOf: asOf)
        let past = labelled.map(\.0)
        let labels = labelled.map(\.1)
        let wins = labels.filter { $0 }.count
        guard past.count >= minimumLeads, wins >= 20, past.count - wins >= 20 else { return nil }
        let overall = Double(wins) / Double(past.count)
        func rates(_ leads: [(DealHistory.LeadInfo, Bool)]) -> [Int64: Double] {
            Self.rates(leads, overall: overall, by: \.owner)
        }
        // Training rows read owner rates learnt out of fold (five groups by lead id): a rate that
        // left out only the lead's own outcome would give it away (see `StageRepWinRates.outOfFold`).
        let fold = { (l: DealHistory.LeadInfo) in StageRepWinRates.fold(of: l.id, 5) }
        let foldRates = (0..<5).map { k in rates(labelled.filter { fold($0.0) != k }) }
        let rows = past.map {
            row($0, history: history, calendar: calendar, ownerRate: foldRates[fold($0)][$0.owner] ?? overall)
        }
        let fit = ExplainedRegression(
            numberNames: numberNames, categoryNames: categoryNames, rows: rows, labels: labels)
        return LeadScoring(
            fit: fit, trainedOn: past.count, calendar: calendar, ownerRates: rates(labelled), overallRate: overall)
    }

    /// Qualification rates by a key of the lead, shrunk towards `overall` by 20 pseudo-leads.
    public static func rates<Key: Hashable>(
        _ leads: [(DealHistory.LeadInfo, Bool)], overall: Double, by key: (DealHistory.LeadInfo) -> Key
    ) -> [Key: Double] {
        var tally: [Key: (won: Double, total: Double)] = [:]
        for (l, y) in leads {
            tally[key(l), default: (0, 0)].won += y ? 1 : 0
            tally[key(l), default: (0, 0)].total += 1
        }
        return tally.mapValues { ($0.won + 20 * overall) / ($0.total + 20) }
    }

    /// The past leads it learns from at `asOf`, each with whether it became an SQL by then.
    public static func labelled(history: DealHistory, asOf: Timestamp) -> [(DealHistory.LeadInfo, Bool)] {
        let cut = asOf - Timestamp(outcomeDays) * 86_400
        return history.leads.filter { $0.createdAt < cut }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .map { ($0, $0.qualifiedAt.map { $0 < asOf } ?? false) }
    }

    /// The owner's qualification rate as learnt (the overall rate for an owner with no past leads).
    public func ownerRate(_ owner: Int64) -> Double { ownerRates[owner] ?? overallRate }

    static func row(
        _ l: DealHistory.LeadInfo, history: DealHistory, calendar: CompanyCalendar, ownerRate: Double
    ) -> FeatureRow {
        let account = l.account.flatMap { history.accounts[$0] }
        let minutes = l.firstResponseAt.map { Double(max(0, $0 - l.createdAt)) / 60 }
        return FeatureRow(
            numbers: [
                log1p(minutes ?? 0), minutes == nil ? 1 : 0, log1p(Double(account?.employees ?? 0)),
                account?.isTarget == true ? 1 : 0, account?.isKey == true ? 1 : 0, ownerRate,
            ],
            categories: [
                l.source ?? "", account?.industry ?? "", account?.segment ?? "",
                calendar.timeOfWeek(l.createdAt).rawValue,
            ])
    }

    /// The leads still waiting at `asOf`: created in the last `outcomeDays` days and not yet qualified, best first.
    public func scoreOpenLeads(history: DealHistory, asOf: Timestamp, owners: Set<Int64>? = nil) -> [Score] {
        let from = asOf - Timestamp(Self.outcomeDays) * 86_400
        return history.leads.filter { l in
            l.createdAt >= from && l.createdAt < asOf && (l.qualifiedAt.map { $0 >= asOf } ?? true)
                && (owners?.contains(l.owner) ?? true)
        }.map { score($0, history: history) }.sorted { $0.score > $1.score }
    }

    /// The chance the lead becomes an SQL, 0–1.
    public func probability(_ l: DealHistory.LeadInfo, history: DealHistory) -> Double {
        fit.probability(Self.row(l, history: history, calendar: calendar, ownerRate: ownerRate(l.owner)))
    }

    public func score(_ l: DealHistory.LeadInfo, history: DealHistory) -> Score {
        let rate = ownerRate(l.owner)
        let row = Self.row(l, history: history, calendar: calendar, ownerRate: rate)
        let (p, effects) = fit.explain(row)
        let featureNames = Self.numberNames + Self.categoryNames
        let minutes = l.firstResponseAt.map { Int(max(0, $0 - l.createdAt) / 60) }
        let same = LocalizedText.shown
        func value(_ i: Int) -> LocalizedText {
            switch featureNames[i] {
            case "response_minutes": minutes.map { LocalizedText("value.minutes", ["minutes": "\($0)"]) } ?? same("")
            case "owner_rate": same("\(Int((rate * 100).rounded())) %")
            case "employees": same(row.numbers[i] > 0 ? "\(Int(expm1(row.numbers[i]).rounded()))" : "")
            case "unanswered", "target_segment", "key_account":
                LocalizedText.yesOrNo(row.numbers[i] > 0)
            case "arrived": LocalizedText("lead_arrived.\(row.categories[i - Self.numberNames.count])")
            default: same(row.categories[i - Self.numberNames.count])
            }
        }
        let reasons = effects.indices.filter { abs(effects[$0]) >= 0.1 }.sorted { abs(effects[$0]) > abs(effects[$1]) }
            .prefix(3).map { i in
                let sign = effects[i] > 0 ? "+" : "−"
                let name = Self.names[featureNames[i]]!
                let v = value(i)
                return LocalizedText(en: "\(sign) \(name.en): \(v.en)", ru: "\(sign) \(name.ru): \(v.ru)")
            }
        return Score(
            lead: l.id, externalID: l.externalID, owner: l.owner, score: Int((p * 100).rounded()),
            reasons: Array(reasons))
    }
}
