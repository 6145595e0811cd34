import Foundation

/// Forecasts of a period's won revenue for reps, teams and the company against their plans, from
/// one trained model and one view of the history (built once, asked many times).
public final class SalesForecaster {
    public let engine: SalesEngine
    public let history: DealHistory
    public let model: WinProbabilityModel
    /// The instant forecasts are seen from; a server moves it forward between retrainings.
    public var asOf: Timestamp
    /// When the model was trained: what its contexts learnt from.
    public let trainedAt: Timestamp
    private var contexts: [RevenueForecast.Method: RevenueForecast.Context] = [:]
    /// Lead scores' model and accounts' churn risk, learnt with the win model (on first use).
    public private(set) lazy var leadScoring: LeadScoring? = LeadScoring.train(
        history: history, calendar: engine.calendar, asOf: trainedAt)
    public private(set) lazy var churnRisks: [ChurnRisk] = ChurnRisk.assess(history: history, asOf: trainedAt)

    /// Trains a model on every deal closed before `asOf`.
    public init(engine: SalesEngine, history: DealHistory, asOf: Timestamp) {
        self.engine = engine
        self.history = history
        self.asOf = asOf
        trainedAt = asOf
        model = WinProbabilityModel.train(history: history, closedBefore: asOf)
    }

    /// One slice's forecast and where it lands against its revenue plan.
    public struct Outlook: Sendable, Codable {
        public var slice: String
        public var name: String
        public var forecast: RevenueForecast
        /// The revenue plan for the period, in minor units; nil without one.
        public var plan: Money?
        /// Expected ÷ plan, %.
        public var expectedFulfillment: Double?
        public var p10Fulfillment: Double?
        public var p90Fulfillment: Double?
    }

    public func context(_ method: RevenueForecast.Method) -> RevenueForecast.Context {
        if let c = contexts[method] { return c }
        let c = RevenueForecast.Context(
            history: history, calendar: engine.calendar, asOf: trainedAt, probability: model.scorer(for: method))
        contexts[method] = c
        return c
    }

    public func outlook(
        _ slice: Slice, period: Period, method: RevenueForecast.Method = .model,
        scenario: RevenueForecast.Scenario = .none,
        plans: PlanResolver?, revenue: KPIDefinition?
    ) -> Outlook {
        let cal = engine.calendar
        let owners: Set<Int64>? = slice == .company ? nil : Set(engine.members(of: slice))
        let f = RevenueForecast.make(
            method, start: cal.start(of: period.start), end: cal.start(of: period.end), owners: owners,
            context: context(method), now: asOf, scenario: scenario)
        let plan = revenue.flatMap { plans?.target(kpi: $0, slice: slice, period: period) }.map {
            Money(($0 * 100).rounded())
        }
        func share(_ m: Money) -> Double? { plan.flatMap { $0 > 0 ? Double(m) / Double($0) * 100 : nil } }
        return Outlook(
            slice: Self.key(slice), name: name(of: slice), forecast: f, plan: plan,
            expectedFulfillment: share(f.expected), p10Fulfillment: share(f.p10), p90Fulfillment: share(f.p90))
    }

    /// A change of the drivers as people state it: conversion into a stage in percentage points,
    /// average deal, cycle and activity in per cent.
    public struct Change: Sendable, Codable, Equatable {
        public var stage: DealStage?
        public var conversionPoints = 0.0
        public var dealSizePercent = 0.0
        public var cyclePercent = 0.0
        public var activityPercent = 0.0
        public init(
            stage: DealStage? = nil, conversionPoints: Double = 0, dealSizePercent: Double = 0,
            cyclePercent: Double = 0, activityPercent: Double = 0
        ) {
            self.stage = stage
            self.conversionPoints = conversionPoints
            self.dealSizePercent = dealSizePercent
            self.cyclePercent = cyclePercent
            self.activityPercent = activityPercent
        }
    }

    public struct WhatIf: Sendable, Codable {
        public var base: Outlook
        public var scenario: Outlook
        /// The slice's conversion into the stage over the last 90 days (deals opened then), % —
        /// what the points are added to.
        public var conversionNow: Double?
        public var conversionThen: Double?
        public var revenueChange: Money { scenario.forecast.expected - base.forecast.expected }
    }

    /// The period's forecast as it is and with the drivers changed.
    public func whatIf(_ slice: Slice, period: Period, change: Change, plans: PlanResolver?, revenue: KPIDefinition?)
        -> WhatIf
    {
        var scenario = RevenueForecast.Scenario(
            dealSizeFactor: 1 + change.dealSizePercent / 100,
            cycleFactor: max(0.05, 1 + change.cyclePercent / 100),
            activityFactor: max(0, 1 + change.activityPercent / 100))
        var now: Double?
        var then: Double?
        if let stage = change.stage, let step = Self.funnelStep[stage] {
            let day = engine.calendar.day(of: asOf)
            let steps = Funnel.measures(for: .ae)
            let m = engine.measures(slice, in: Period(start: day - 90, end: day))
            let entering = Double(m[steps[step - 1].0])
            let reached = Double(m[steps[step].0])
            if entering > 0, reached > 0 {
                let c = reached / entering * 100
                now = c
                then = min(100, max(0, c + change.conversionPoints))
                scenario.conversionStage = stage
                scenario.conversionFactor = then! / c
            }
        }
        return WhatIf(
            base: outlook(slice, period: period, plans: plans, revenue: revenue),
            scenario: outlook(slice, period: period, scenario: scenario, plans: plans, revenue: revenue),
            conversionNow: now, conversionThen: then)
    }

    /// Each stage's step in the deal funnel (`Funnel.measures(for: .ae)`).
    public static let funnelStep: [DealStage: Int] = [.meeting: 1, .proposal: 2, .contract: 3, .won: 4]

    /// `rep:12`, `team:3`, `role:ae`, `company`: how a slice is written in the ledger.
    public static func key(_ slice: Slice) -> String {
        switch slice {
        case .rep(let id): "rep:\(id)"
        case .team(let id): "team:\(id)"
        case .role(let r): "role:\(r.rawValue)"
        case .company: "company"
        }
    }

    public func name(of slice: Slice) -> String {
        switch slice {
        case .rep(let id): engine.reps[id]?.name ?? "\(id)"
        case .team(let id): engine.teams[id]?.name ?? "\(id)"
        case .role(let r): r.rawValue
        case .company: "company"
        }
    }
}
