/// KPI values for every slice of one kind over one period: what `saleskpi report` prints.
public struct KPIReport {
    public struct Row: Sendable {
        public var slice: Slice
        public var name: String
        public var values: [Double?]
    }
    public var kpis: [KPIDefinition]
    public var period: Period
    public var rows: [Row]

    /// Rows sorted by name; the company is one row named `companyName`.
    public init(engine: SalesEngine, catalog: KPICatalog, kpis: [KPIDefinition], by kind: Slice.Kind,
                period: Period, plans: PlanResolver? = nil, companyName: String = "company") {
        self.kpis = kpis; self.period = period
        var slices: [(Slice, String)]
        switch kind {
        case .rep: slices = engine.reps.values.map { (.rep($0.id), $0.name) }
        case .team: slices = engine.teams.values.map { (.team($0.id), $0.name) }
        case .role: slices = Set(engine.reps.values.map(\.role)).map { (.role($0), $0.rawValue) }
        case .company: slices = [(.company, companyName)]
        }
        slices.sort { ($0.1, "\($0.0)") < ($1.1, "\($1.0)") }
        rows = slices.map { slice, name in
            let e = KPIEvaluator(engine: engine, catalog: catalog, plans: plans, slice: slice, period: period)
            return Row(slice: slice, name: name, values: kpis.map { e.value($0.id) })
        }
    }
}

extension KPIDefinition.Unit {
    /// Decimals shown: whole counts, money and ratios to two places.
    public var decimals: Int {
        switch self {
        case .count: 0
        case .minutes, .perWeek: 1
        default: 2
        }
    }
}
