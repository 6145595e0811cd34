import Foundation

/// Forecasts of a period's won revenue for reps, teams and the company against their plans, from
/// one trained model and one view of the history (built once, asked many times).
public final class SalesForecaster {
    public let engine: SalesEngine
    public let history: DealHistory
    public let model: WinProbabilityModel
    public let asOf: Timestamp
    private var contexts: [RevenueForecast.Method: RevenueForecast.Context] = [:]

    /// Trains on every deal closed before `asOf`.
    public init(engine: SalesEngine, history: DealHistory, asOf: Timestamp) {
        self.engine = engine; self.history = history; self.asOf = asOf
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
        let model = self.model
        let probability: (DealSnapshot) -> Double
        if method == .stageRates {
            let rates = model.rates
            probability = { rates.rates(stage: $0.stage, rep: $0.owner).stageAndRep }
        } else {
            probability = { model.probability($0) }
        }
        let c = RevenueForecast.Context(history: history, asOf: asOf, probability: probability)
        contexts[method] = c
        return c
    }

    public func outlook(_ slice: Slice, period: Period, method: RevenueForecast.Method = .model, plans: PlanResolver?, revenue: KPIDefinition?) -> Outlook {
        let cal = engine.calendar
        let owners: Set<Int64>? = slice == .company ? nil : Set(engine.members(of: slice))
        let f = RevenueForecast.make(method, start: cal.start(of: period.start), end: cal.start(of: period.end), owners: owners, context: context(method))
        let plan = revenue.flatMap { plans?.target(kpi: $0, slice: slice, period: period) }.map { Money(($0 * 100).rounded()) }
        func share(_ m: Money) -> Double? { plan.flatMap { $0 > 0 ? Double(m) / Double($0) * 100 : nil } }
        return Outlook(slice: Self.key(slice), name: name(of: slice), forecast: f, plan: plan,
                       expectedFulfillment: share(f.expected), p10Fulfillment: share(f.p10), p90Fulfillment: share(f.p90))
    }

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
