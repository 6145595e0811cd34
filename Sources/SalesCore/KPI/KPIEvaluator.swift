/// Finds a KPI's target for a slice and period.
public protocol PlanResolver {
    func target(kpi: KPIDefinition, slice: Slice, period: Period) -> Double?
}

/// Plans from the engine's plan book. A team or the company without a plan of its own gets the
/// sum of its members' plans (for additive KPIs) or their average (for ratios).
public struct StoredPlans: PlanResolver {
    public let engine: SalesEngine
    public init(engine: SalesEngine) { self.engine = engine }

    public func target(kpi: KPIDefinition, slice: Slice, period: Period) -> Double? {
        let book = engine.plans
        let additive = kpi.isAdditive
        switch slice {
        case .rep(let id):
            return book.target(scope: .rep, owner: id, kpi: kpi.id.rawValue, period: period, additive: additive)
        case .team(let id):
            if let t = book.target(scope: .team, owner: id, kpi: kpi.id.rawValue, period: period, additive: additive) {
                return t
            }
        case .company:
            if let t = book.target(scope: .company, owner: 0, kpi: kpi.id.rawValue, period: period, additive: additive)
            {
                return t
            }
        case .role: break
        }
        let parts = engine.members(of: slice).compactMap { target(kpi: kpi, slice: .rep($0), period: period) }
        guard !parts.isEmpty else { return nil }
        let sum = parts.reduce(0, +)
        return additive ? sum : sum / Double(parts.count)
    }
}

/// Computes KPI values from the engine's sums. Measures are read in display units (money in major
/// units), so formulas and plans speak the user's units. Sums are computed once per evaluator and
/// period and shared by every KPI asked of it.
public final class KPIEvaluator {
    public let engine: SalesEngine
    public let catalog: KPICatalog
    public let plans: PlanResolver
    public private(set) var slice: Slice
    public let period: Period
    /// The period's sums and those from the beginning of history, summed on first use.
    private var current: MeasureVector?, toDate: MeasureVector?
    private var previousEvaluator: KPIEvaluator?
    /// Values by catalog position: `.some(nil)` is a KPI computed to have no value.
    private var cache: [Double??]

    /// The period as the day cells read it, when the caller worked it out once for many slices.
    private let span: DayCells.Span?

    public convenience init(
        engine: SalesEngine, catalog: KPICatalog, plans: PlanResolver? = nil, slice: Slice, period: Period
    ) {
        self.init(engine: engine, catalog: catalog, plans: plans, slice: slice, period: period, span: nil)
    }

    init(
        engine: SalesEngine, catalog: KPICatalog, plans: PlanResolver?, slice: Slice, period: Period,
        span: DayCells.Span?
    ) {
        self.engine = engine
        self.catalog = catalog
        self.plans = plans ?? StoredPlans(engine: engine)
        self.slice = slice
        self.period = period
        self.span = span
        cache = Array(repeating: nil, count: catalog.kpis.count)
    }

    /// The KPI's value, or nil when it has none (nothing to divide by, no plan…).
    public func value(_ id: KPI.ID) -> Double? { catalog.position(of: id).flatMap(value(at:)) }

    /// The KPI's target for this slice and period.
    public func target(_ id: KPI.ID) -> Double? { catalog.position(of: id).flatMap(target(at:)) }

    func value(at i: Int) -> Double? {
        if let v = cache[i] { return v }
        let v = evaluate(catalog.linked[i], toDate: false)
        cache[i] = .some(v)
        return v
    }

    func target(at i: Int) -> Double? { plans.target(kpi: catalog.kpis[i], slice: slice, period: period) }

    public var measures: MeasureVector {
        sumThePeriod()
        return current!
    }

    private func sumThePeriod() {
        if current == nil { current = engine.measures(slice, over: span ?? engine.span(period.start, period.end)) }
    }

    /// One measure, without copying the vector (a copy per read was a retain and a release).
    private func measure(_ m: BaseMeasure, toDate: Bool) -> Int64 {
        if toDate {
            if self.toDate == nil { self.toDate = engine.measures(slice, Day.min, period.end) }
            return self.toDate!.values[m.rawValue]
        }
        sumThePeriod()
        return current!.values[m.rawValue]
    }

    /// The same questions about another slice over the same period: a report asks them of every rep in turn,
    /// with one evaluator rather than one each.
    func move(to other: Slice) {
        slice = other
        current = nil
        toDate = nil
        previousEvaluator = nil
        cache.withUnsafeMutableBufferPointer { $0.update(repeating: nil) }
    }

    private var previous: KPIEvaluator {
        if previousEvaluator == nil {
            previousEvaluator = KPIEvaluator(
                engine: engine, catalog: catalog, plans: plans, slice: slice, period: period.previous)
        }
        return previousEvaluator!
    }

    static func displayValue(_ raw: Int64, _ m: BaseMeasure) -> Double {
        m.unit == .money ? Double(raw) / 100 : Double(raw)
    }

    /// `toDate`: measures inside `todate(…)` are summed from the beginning of history.
    private func evaluate(_ f: LinkedFormula, toDate: Bool) -> Double? {
        switch f {
        case .number(let v): return v
        case .measure(let m): return Self.displayValue(measure(m, toDate: toDate), m)
        case .variable(.days): return Double(period.days)
        case .variable(.workdays): return period.workdays > 0 ? Double(period.workdays) : nil
        case .variable(.weeks): return Double(period.days) / 7
        case .variable(.months): return Double(period.days) / (365.2425 / 12)
        case .kpi(let i): return toDate ? evaluate(catalog.linked[i], toDate: true) : value(at: i)
        case .unknown: return nil
        case .negate(let a): return evaluate(a, toDate: toDate).map { -$0 }
        case .binary(let op, let a, let b):
            guard let x = evaluate(a, toDate: toDate), let y = evaluate(b, toDate: toDate) else { return nil }
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            default: return y == 0 ? nil : x / y
            }
        case .plan(let i): return target(at: i)
        case .previous(let inner): return previous.evaluate(inner, toDate: toDate)
        case .toDate(let inner): return evaluate(inner, toDate: true)
        }
    }
}
