import Foundation

/// The chance that an open deal will be won, with the factors that push it up and down.
///
/// A regularised logistic regression over what a CRM records of a deal (stage and time in it, age,
/// amount, product, kind, source, the account's industry, segment and size, activity counts and
/// recency, the team) plus the rep's history (win rate overall and from this stage). With too few
/// closed deals to learn from it falls back to the stage-and-rep historical rates and says so.
public struct WinProbabilityModel: Sendable {
    public enum Method: String, Sendable, Codable {
        case logisticRegression = "logistic_regression"
        case historicalRates = "stage_rep_rates"
    }

    public let method: Method
    /// Why the fallback was used, if it was.
    public let note: LocalizedText?
    public let rates: StageRepWinRates
    public let trainedOn: Int
    /// Nil when the fallback is in use.
    private let fit: ExplainedRegression?

    /// Fewer closed deals than this (or fewer than `minimumPerClass` won or lost) and the model is not fitted.
    public static let minimumClosedDeals = 200
    public static let minimumPerClass = 30

    public struct Factor: Sendable, Codable, Equatable {
        /// `stage`, `amount`, `rep_rate`, …: see `WinProbabilityModel.featureNames`.
        public var feature: String
        /// The deal's value of it, as people read it (`proposal`, `12 d`, `34 %`).
        public var value: LocalizedText
        /// Its effect on the log-odds against an average deal: positive for, negative against.
        public var effect: Double
    }

    public struct Prediction: Sendable {
        public var probability: Double
        /// Strongest first: the reasons for and against.
        public var factors: [Factor]
    }

    static let numberNames = [
        "amount", "age", "days_in_stage", "activities", "activities_14d", "days_since_activity",
        "employees", "employees_unknown", "key_account", "target_segment", "rep_rate", "stage_rep_rate",
    ]
    static let categoryNames = ["stage", "product", "kind", "source", "industry", "segment", "team"]
    /// Every feature's name in both languages, for reasons people read.
    public static let featureNames: [String: LocalizedText] = Dictionary(
        uniqueKeysWithValues: (numberNames + categoryNames).map { ($0, LocalizedText("deal_feature.\($0).name")) })

    /// Learns from the deals closed before `cutoff`, each seen at its learning instant.
    /// `lambda` nil picks the L2 strength on the latest fifth of those deals.
    public static func train(history: DealHistory, closedBefore cutoff: Timestamp, lambda: Double? = nil)
        -> WinProbabilityModel
    {
        let (examples, weights) = trainingSet(history: history, closedBefore: cutoff)
        return train(examples, sampleWeights: weights, lambda: lambda)
    }

    /// The deals closed before `cutoff` in close order, each seen at its learning instant, and their
    /// weights in the fit (see `quarterBalancedWeights`).
    public static func trainingSet(history: DealHistory, closedBefore cutoff: Timestamp) -> (
        examples: [(DealSnapshot, won: Bool)], sampleWeights: [Double]?
    ) {
        let closed = history.closed(to: cutoff).sorted { ($0.closedAt!, $0.id) < ($1.closedAt!, $1.id) }
        return (
            closed.map { (DealSnapshot($0, at: DealSnapshot.learningInstant($0), history: history), won: $0.won) },
            quarterBalancedWeights(closedAt: closed.map { $0.closedAt! })
        )
    }

    /// Weights that make each month of the quarter count the same in training, nil when the deals
    /// do not close across a whole quarter. B2B deals close in quarter-end waves (in Maven's CRM 82 %
    /// of the deals closed in a quarter's last month were won, 49 % in its first): a window with two
    /// quarter-ends in four months would overstate every chance.
    public static func quarterBalancedWeights(closedAt: [Timestamp]) -> [Double]? {
        let position = closedAt.map { (CivilDate(Day($0 / 86_400)).month - 1) % 3 }
        var counts = [0, 0, 0]
        for p in position { counts[p] += 1 }
        guard let fewest = counts.min(), fewest * 20 >= closedAt.count else { return nil }
        let weight = counts.map { min(3, max(1.0 / 3, Double(closedAt.count) / 3 / Double($0))) }
        return position.map { weight[$0] }
    }

    /// `sampleWeights`, one per example, make some count more in the fit.
    public static func train(
        _ examples: [(DealSnapshot, won: Bool)], sampleWeights: [Double]? = nil, lambda: Double? = nil
    ) -> WinProbabilityModel {
        let rates = StageRepWinRates(examples)
        let wins = examples.filter(\.won).count
        let losses = examples.count - wins
        guard examples.count >= minimumClosedDeals, wins >= minimumPerClass, losses >= minimumPerClass else {
            return WinProbabilityModel(
                method: .historicalRates,
                note: LocalizedText(
                    "win_model.too_few_deals",
                    [
                        "count": .count(examples.count), "wins": "\(wins)", "losses": "\(losses)",
                        "needed": "\(minimumClosedDeals)", "per_outcome": "\(minimumPerClass)",
                    ]),
                rates: rates, trainedOn: examples.count, fit: nil)
        }
        let (fold, foldRates) = StageRepWinRates.outOfFold(examples)
        let rows = examples.map { row($0.0, rates: foldRates[fold($0.0)]) }
        let labels = examples.map(\.won)
        let fit = ExplainedRegression(
            numberNames: numberNames, categoryNames: categoryNames, rows: rows, labels: labels,
            sampleWeights: sampleWeights, lambda: lambda)
        return WinProbabilityModel(
            method: .logisticRegression, note: nil, rates: rates, trainedOn: examples.count, fit: fit)
    }

    static func row(_ s: DealSnapshot, rates: StageRepWinRates) -> FeatureRow {
        let r = rates.rates(stage: s.stage, rep: s.owner)
        func logit(_ p: Double) -> Double {
            let q = min(max(p, 1e-4), 1 - 1e-4)
            return log(q / (1 - q))
        }
        func flag(_ b: Bool) -> Double { b ? 1 : 0 }
        return FeatureRow(
            numbers: [
                log1p(Double(max(0, s.amount)) / 100), log1p(s.ageDays), log1p(s.daysInStage),
                log1p(Double(s.activities)),
                log1p(Double(s.activitiesLast14Days)), log1p(s.daysSinceActivity), log1p(Double(s.employees ?? 0)),
                flag(s.employees == nil), flag(s.isKeyAccount), flag(s.isTargetSegment), logit(r.rep),
                logit(r.stageAndRep),
            ],
            categories: [s.stage.rawValue, s.product, s.kind.rawValue, s.source, s.industry, s.segment, s.teamName])
    }

    /// The model's inputs for a deal before encoding, named by `featureColumns`, for comparing with
    /// other tools on exactly the same features. Training rows take `rates` out of fold (see `StageRepWinRates`).
    public func featureRow(_ s: DealSnapshot, rates: StageRepWinRates? = nil) -> FeatureRow {
        Self.row(s, rates: rates ?? self.rates)
    }
    public static var featureColumns: [String] { numberNames + categoryNames }

    public func probability(_ s: DealSnapshot) -> Double {
        guard let fit else { return rates.rates(stage: s.stage, rep: s.owner).stageAndRep }
        return fit.probability(Self.row(s, rates: rates))
    }

    /// What a forecast method weighs open deals by: the stage-and-rep historical rate, or this model.
    public func scorer(for method: RevenueForecast.Method) -> @Sendable (DealSnapshot) -> Double {
        if method == .stageRates {
            let rates = self.rates
            return { rates.rates(stage: $0.stage, rep: $0.owner).stageAndRep }
        }
        return { [self] in probability($0) }
    }

    /// The probability and up to `limit` reasons, strongest first.
    public func predict(_ s: DealSnapshot, limit: Int = 4) -> Prediction {
        let r = rates.rates(stage: s.stage, rep: s.owner)
        guard let fit else {
            func logit(_ p: Double) -> Double { log(max(p, 1e-4) / max(1 - p, 1e-4)) }
            return Prediction(
                probability: r.stageAndRep,
                factors: [
                    Factor(
                        feature: "stage", value: s.stage.name,
                        effect: logit(rates.stageRate(s.stage)) - logit(rates.overallRate)),
                    Factor(
                        feature: "stage_rep_rate",
                        value: LocalizedText(verbatim: Self.percent(r.stageAndRep)),
                        effect: logit(r.stageAndRep) - logit(rates.stageRate(s.stage))),
                ].sorted { abs($0.effect) > abs($1.effect) })
        }
        let row = Self.row(s, rates: rates)
        let (probability, effects) = fit.explain(row)
        let same = LocalizedText.shown
        func days(_ d: Double) -> LocalizedText { LocalizedText("value.days", ["days": "\(Int(d))"]) }
        let yes = LocalizedText.yesOrNo
        let values: [LocalizedText] = [
            same(Self.money(s.amount)), days(s.ageDays), days(s.daysInStage), same("\(s.activities)"),
            same("\(s.activitiesLast14Days)"),
            days(s.daysSinceActivity), same(s.employees.map { "\($0)" } ?? ""), yes(s.employees == nil),
            yes(s.isKeyAccount), yes(s.isTargetSegment), same(Self.percent(r.rep)), same(Self.percent(r.stageAndRep)),
            s.stage.name, same(s.product), s.kind.name, same(s.source), same(s.industry), same(s.segment),
            same(s.teamName),
        ]
        let names = Self.numberNames + Self.categoryNames
        let factors = effects.indices.filter { abs(effects[$0]) >= 0.05 }
            .map { Factor(feature: names[$0], value: values[$0], effect: effects[$0]) }
            .sorted { abs($0.effect) > abs($1.effect) }
        return Prediction(probability: probability, factors: Array(factors.prefix(limit)))
    }

    static func percent(_ p: Double) -> String { "\(Int((p * 100).rounded())) %" }
    static func money(_ m: Money) -> String { "\(m / 100)" }

    /// The coefficient of each column, named `feature` or `feature=level`: what the model learnt.
    public var coefficients: [(name: String, weight: Double)] { fit?.coefficients ?? [] }
}
