import Foundation

/// How the predictions would have done: train on the deals closed before a split, score the deals
/// closed after it (each seen at its learning instant, as an open deal would be), and forecast each
/// whole month after the split from its first day with every method, against what was then won.
public struct Backtest: Sendable, Codable {
    public struct Scored: Sendable, Codable {
        public var name: String
        public var metrics: ClassifierMetrics
        public var reliability: [ClassifierMetrics.Bin]

        init(_ name: String, probabilities: [Double], outcomes: [Bool]) {
            self.name = name
            metrics = ClassifierMetrics(probabilities: probabilities, outcomes: outcomes)
            reliability = ClassifierMetrics.reliability(probabilities: probabilities, outcomes: outcomes)
        }
    }
    public struct Month: Sendable, Codable {
        public var month: String
        public var actual: Money
        public var forecasts: [String: Money]
        /// The model forecast's P10–P90 range.
        public var p10: Money
        public var p90: Money
        /// The model forecast's parts: expected from the deals open on the month's first day, and from new ones.
        public var fromOpen: Money
        public var fromNew: Money
        public var openDeals: Int
        /// The seasonal estimate's share in the model forecast, learnt from the months before.
        public var calendarWeight: Double
    }

    public var split: String
    public var trainDeals: Int
    public var testDeals: Int
    public var method: WinProbabilityModel.Method
    public var note: LocalizedText?
    public var trainingSeconds: Double
    /// The model, then the baselines (and the generator's truth when known), on the same deals.
    public var scores: [Scored]
    public var months: [Month]
    /// Mean absolute percentage error of each forecast method and baseline over the months it forecast.
    public var mape: [String: Double]
    /// Share of months whose actual fell inside the model forecast's P10–P90.
    public var rangeCoverage: Double?
    /// Lead scores on the leads that arrived after the split, against the SDR's and the source's rates.
    public var leads: Leads?
    /// Churn risk as of the split against what the next two quarters showed, when the history reaches that far.
    public var churn: Churn?

    public struct Churn: Sendable, Codable {
        /// Accounts that had bought before the split, and those of them that then went quiet.
        public var accounts: Int
        public var churned: Int
        /// `churn_risk` (its points ÷ 100) and `recency` (days since the last purchase): AUC against churned.
        public var auc: [String: Double]
    }

    /// The horizon over which an account that neither buys nor pays counts as lost: two quarters.
    public static let churnHorizonDays = 182

    public struct Leads: Sendable, Codable {
        public var trainLeads: Int
        public var testLeads: Int
        public var metrics: [Scored]
    }

    /// The seasonal baselines and how many months back each looks: a month with no history that far back has
    /// none.
    public static let seasonalBaselines = [("seasonal_naive", 3), ("seasonal_naive_year", 12)]
    /// Every forecast a month may have, in the order tables list them.
    public static let methods =
        RevenueForecast.Method.allCases.map(\.rawValue) + seasonalBaselines.map(\.0) + ["crm_commit"]
    /// The CRM's forecast categories a rep's commit is made of (Salesforce: Closed and Commit).
    public static let committedCategories: Set<String> = ["closed", "commit"]

    /// `truth`, when the data is generated, gives each deal's real win probability at a snapshot.
    public static func run(
        history: DealHistory, calendar: CompanyCalendar, split: Day,
        truth: ((DealSnapshot) -> Double)? = nil
    ) -> Backtest {
        let cut = calendar.start(of: split)
        let began = ContinuousClock.now
        let model = WinProbabilityModel.train(history: history, closedBefore: cut)
        let took = (ContinuousClock.now - began).components
        let trainingSeconds = Double(took.seconds) + Double(took.attoseconds) / 1e18
        let test = history.deals.filter { ($0.closedAt ?? .min) >= cut }.sorted { $0.id < $1.id }
        let snapshots = test.map { DealSnapshot($0, at: DealSnapshot.learningInstant($0), history: history) }
        let outcomes = test.map(\.won)
        func scored(_ name: String, _ p: (DealSnapshot) -> Double) -> Scored {
            Scored(name, probabilities: snapshots.map(p), outcomes: outcomes)
        }
        var scores = [
            scored(model.method.rawValue, model.probability),
            scored("stage_rep_rates", model.scorer(for: .stageRates)),
            scored("overall_rate", { _ in model.rates.overallRate }),
        ]
        if let truth { scores.append(scored("generator_truth", truth)) }

        // Whole months from the split's month to the last month with a close.
        let lastClose = history.deals.compactMap(\.closedAt).max() ?? cut
        // Before the month of the first close the history holds no selling to compare with (a CRM's deals
        // are often created long before any is closed in it).
        let firstDay =
            history.deals.compactMap(\.closedAt).min().map {
                CivilDate.firstDay(ofMonthIndex: CivilDate(calendar.day(of: $0)).monthIndex)
            } ?? split
        /// Revenue won in the month `m` (a month index), and whether the history reaches back to its start.
        func won(inMonth m: Int32) -> Money? {
            guard CivilDate.firstDay(ofMonthIndex: m) >= firstDay else { return nil }
            let start = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m))
            let end = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m + 1))
            return history.deals.reduce(Money(0)) { s, d in
                d.won && (d.closedAt.map { $0 >= start && $0 < end } ?? false) ? s + (d.closeAmount ?? d.amount) : s
            }
        }
        // The reps' own commit, where the CRM kept its forecast categories: each deal's amount whose category
        // on the month's first day was Closed or Commit with its expected close inside the month.
        let hasCategories = history.deals.contains { !$0.forecasts.isEmpty }
        func commit(month m: Int32) -> Money {
            let (first, next) = (CivilDate.firstDay(ofMonthIndex: m), CivilDate.firstDay(ofMonthIndex: m + 1))
            let start = calendar.start(of: first)
            return history.deals.reduce(Money(0)) { sum, d in
                guard d.createdAt < start, d.closedAt.map({ $0 >= start }) ?? true,
                    let f = d.forecast(before: start), Self.committedCategories.contains(f.category.lowercased()),
                    let close = f.close, close >= first, close < next
                else { return sum }
                return sum + d.amount
            }
        }
        var months: [Month] = []
        var m = CivilDate(split).monthIndex + (CivilDate(split).day == 1 ? 0 : 1)
        while CivilDate.firstDay(ofMonthIndex: m + 1) <= calendar.day(of: lastClose) + 1 {
            let start = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m))
            let end = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m + 1))
            let monthModel = start == cut ? model : WinProbabilityModel.train(history: history, closedBefore: start)
            var forecasts: [String: Money] = [:]
            var modelForecast: RevenueForecast?
            for method in RevenueForecast.Method.allCases {
                let context = RevenueForecast.Context(
                    history: history, calendar: calendar, asOf: start, probability: monthModel.scorer(for: method))
                let f = RevenueForecast.make(method, start: start, end: end, owners: nil, context: context)
                forecasts[method.rawValue] = f.expected
                if method == .model { modelForecast = f }
            }
            // The naive seasonal forecasts: what the same month of the last quarter, and of the last year, won.
            for (name, back) in Self.seasonalBaselines { forecasts[name] = won(inMonth: m - Int32(back)) }
            if hasCategories { forecasts["crm_commit"] = commit(month: m) }
            let actual = won(inMonth: m) ?? 0
            months.append(
                Month(
                    month: String(CivilDate(CivilDate.firstDay(ofMonthIndex: m)).description.prefix(7)), actual: actual,
                    forecasts: forecasts, p10: modelForecast!.p10, p90: modelForecast!.p90,
                    fromOpen: modelForecast!.expectedFromOpen, fromNew: modelForecast!.expectedFromNew,
                    openDeals: modelForecast!.openDeals, calendarWeight: modelForecast!.calendarWeight))
            m += 1
        }
        var mape: [String: Double] = [:]
        for name in Self.methods {
            let errors = months.filter { $0.actual > 0 }.compactMap { m in
                m.forecasts[name].map { abs(Double($0 - m.actual)) / Double(m.actual) }
            }
            if !errors.isEmpty { mape[name] = errors.reduce(0, +) / Double(errors.count) * 100 }
        }
        let coverage =
            months.isEmpty
            ? nil : Double(months.filter { $0.actual >= $0.p10 && $0.actual <= $0.p90 }.count) / Double(months.count)
        return Backtest(
            split: CivilDate(split).description, trainDeals: model.trainedOn, testDeals: test.count,
            method: model.method,
            note: model.note, trainingSeconds: trainingSeconds, scores: scores, months: months, mape: mape,
            rangeCoverage: coverage, leads: leads(history: history, calendar: calendar, cut: cut),
            churn: churn(history: history, cut: cut))
    }

    /// Each account that had bought before `cut`, scored by `ChurnRisk` as of `cut`, against whether it then had
    /// no won deal (new, repeat or renewal) and no payment in the next `churnHorizonDays`; nil when the history
    /// ends before that horizon, or no account went either way.
    public static func churn(history: DealHistory, cut: Timestamp) -> Churn? {
        let horizon = cut + Timestamp(churnHorizonDays) * 86_400
        let end = history.deals.map { max($0.createdAt, $0.closedAt ?? $0.createdAt) }.max() ?? cut
        guard end >= horizon else { return nil }
        var lastWin: [Int64: Timestamp] = [:]
        var active: Set<Int64> = []
        for d in history.deals where d.won {
            guard let c = d.closedAt else { continue }
            if c < cut { lastWin[d.account] = max(lastWin[d.account] ?? c, c) }
            if c >= cut && c < horizon { active.insert(d.account) }
        }
        for i in history.invoices.values { if let p = i.paidAt, p >= cut, p < horizon { active.insert(i.account) } }
        let risks = ChurnRisk.assess(history: history, asOf: cut)
        let churned = risks.map { !active.contains($0.account) }
        guard churned.contains(true), churned.contains(false) else { return nil }
        let recency = risks.map { Double(cut - (lastWin[$0.account] ?? cut)) / 86_400 }
        return Churn(
            accounts: risks.count, churned: churned.filter { $0 }.count,
            auc: [
                "churn_risk": ClassifierMetrics.auc(risks.map { Double($0.score) / 100 }, churned),
                "recency": ClassifierMetrics.auc(recency, churned),
            ])
    }

    /// Leads scored as they arrived after `cut` by the scoring learnt before it, against whether each became an
    /// SQL (leads younger than `LeadScoring.outcomeDays` at the data's end are left out: still undecided).
    static func leads(history: DealHistory, calendar: CompanyCalendar, cut: Timestamp) -> Leads? {
        guard let scoring = LeadScoring.train(history: history, calendar: calendar, asOf: cut) else { return nil }
        let past = LeadScoring.labelled(history: history, asOf: cut)
        let overall = Double(past.filter(\.1).count) / Double(past.count)
        let sourceRates = LeadScoring.rates(past, overall: overall) { $0.source ?? "" }
        let end = history.leads.map(\.createdAt).max() ?? cut
        let test = history.leads.filter {
            $0.createdAt >= cut && $0.createdAt < end - Timestamp(LeadScoring.outcomeDays) * 86_400
        }
        guard !test.isEmpty else { return nil }
        let outcomes = test.map { $0.qualifiedAt != nil }
        func scored(_ name: String, _ p: (DealHistory.LeadInfo) -> Double) -> Scored {
            Scored(name, probabilities: test.map(p), outcomes: outcomes)
        }
        return Leads(
            trainLeads: scoring.trainedOn, testLeads: test.count,
            metrics: [
                scored("lead_scoring") { scoring.probability($0, history: history) },
                scored("sdr_rate") { scoring.ownerRate($0.owner) },
                scored("source_rate") { sourceRates[$0.source ?? ""] ?? overall },
            ])
    }
}
