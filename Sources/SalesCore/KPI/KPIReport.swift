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
    public init(
        engine: SalesEngine, catalog: KPICatalog, kpis: [KPIDefinition], by kind: Slice.Kind,
        period: Period, plans: PlanResolver? = nil, companyName: String = "company"
    ) {
        self.kpis = kpis
        self.period = period
        let slices: [(Slice, String)]
        switch kind {
        case .rep: slices = engine.repsByName.map { (.rep($0.id), $0.name) }
        case .team: slices = engine.teams.values.map { (.team($0.id), $0.name) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        case .role: slices = Set(engine.reps.values.map(\.role)).map { (.role($0), $0.rawValue) }.sorted { $0.1 < $1.1 }
        case .company: slices = [(.company, companyName)]
        }
        let positions = kpis.map { catalog.position(of: $0.id) }
        let plans = plans ?? StoredPlans(engine: engine)
        let e = KPIEvaluator(
            engine: engine, catalog: catalog, plans: plans, slice: .company, period: period,
            span: engine.span(period.start, period.end))
        rows = slices.map { slice, name in
            e.move(to: slice)
            return Row(slice: slice, name: name, values: positions.map { $0.flatMap(e.value(at:)) })
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
