import SalesCore

/// "Where will the period's revenue land?" for the company and each team, or for each rep: every row's
/// outlook by one method, and what the forecast ledger keeps — every method's, so that their errors can be
/// compared once the period is over (`saleskpi forecast --ledger`).
public struct ForecastQuestion: Sendable {
    public var by: Slice.Kind
    public var period: Period
    public var method: RevenueForecast.Method

    public init(by: Slice.Kind, period: Period, method: RevenueForecast.Method) {
        (self.by, self.period, self.method) = (by, period, method)
    }

    public struct Answer: Sendable {
        public var outlooks: [SalesForecaster.Outlook]
        public var ledger: [ForecastRecord]
    }

    /// The rows: the company first, then each team (by name) — or the people who sell, by team.
    public func slices(_ engine: SalesEngine) -> [Slice] {
        switch by {
        case .company: [.company]
        case .team, .role: [.company] + engine.teams.values.sorted { $0.name < $1.name }.map { .team($0.id) }
        case .rep: engine.repsByTeam.filter { $0.role != .head && $0.role != .sdr }.map { .rep($0.id) }
        }
    }

    public func answer(_ forecaster: SalesForecaster, system: KPISystem, catalog: KPICatalog) -> Answer {
        let plans = ScorecardBuilder(engine: forecaster.engine, system: system, catalog: catalog).plans
        let slices = slices(forecaster.engine)
        func outlooks(_ method: RevenueForecast.Method) -> [SalesForecaster.Outlook] {
            slices.map {
                forecaster.outlook($0, period: period, method: method, plans: plans, revenue: catalog[.revenue])
            }
        }
        let asked = outlooks(method)
        let ledger = RevenueForecast.Method.allCases.flatMap { m in
            (m == method ? asked : outlooks(m)).map { o in
                ForecastRecord(
                    madeAt: forecaster.asOf, period: period, slice: o.slice, name: o.name, method: m.rawValue,
                    expected: o.forecast.expected, p10: o.forecast.p10, p90: o.forecast.p90, plan: o.plan)
            }
        }
        return Answer(outlooks: asked, ledger: ledger)
    }
}
