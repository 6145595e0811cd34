import SalesCore
import SalesImport

/// The predictive layer for one viewer's slice: forecasts against plan, open deals with their win
/// probability, recommendations, what-if — shared by the `/forecast` page, the dashboards and the API.
struct InsightTables {
    let engine: SalesEngine
    let forecaster: SalesForecaster
    let builder: ScorecardBuilder
    let lang: Language

    init(engine: SalesEngine, forecaster: SalesForecaster, system: KPISystem, catalog: KPICatalog, lang: Language) {
        self.engine = engine
        self.forecaster = forecaster
        self.lang = lang
        builder = ScorecardBuilder(engine: engine, system: system, catalog: catalog)
    }

    /// The slice, then its parts: the company's teams, a team's sellers, a role's people.
    func rows(of slice: Slice) -> [Slice] {
        let sellers = { (ids: [Int64]) in ids.filter { [.ae, .am].contains(engine.reps[$0]?.role) }.map(Slice.rep) }
        switch slice {
        case .company: return [slice] + engine.teams.values.sorted { $0.name < $1.name }.map { .team($0.id) }
        case .team(let id): return [slice] + sellers(engine.repsByTeam.filter { $0.teamID == id }.map(\.id))
        case .role(let role): return [slice] + engine.repsByTeam.filter { $0.role == role }.map { .rep($0.id) }
        case .rep: return [slice]
        }
    }

    func outlooks(_ slice: Slice, period: Period, scenario: RevenueForecast.Scenario = .none) -> [SalesForecaster
        .Outlook]
    {
        rows(of: slice).map {
            forecaster.outlook(
                $0, period: period, scenario: scenario, plans: builder.plans, revenue: builder.catalog[.revenue])
        }
    }

    func outlook(_ slice: Slice, period: Period) -> SalesForecaster.Outlook {
        forecaster.outlook(slice, period: period, plans: builder.plans, revenue: builder.catalog[.revenue])
    }

    func openDeals(_ slice: Slice, limit: Int) -> ReportTable {
        ReportTable(
            openDeals: forecaster, owners: slice == .company ? nil : Set(engine.members(of: slice)), limit: limit,
            lang: lang)
    }

    func recommendations(_ slice: Slice, period: Period) -> [Recommendation] {
        let asOf = min(forecaster.asOf, engine.calendar.start(of: period.end))
        return Advisor(engine: engine, history: forecaster.history, model: forecaster.model)
            .recommendations(for: engine.members(of: slice), period: period, asOf: asOf, builder: builder)
    }

    func whatIf(_ slice: Slice, period: Period, change: SalesForecaster.Change) -> SalesForecaster.WhatIf {
        forecaster.whatIf(
            slice, period: period, change: change, plans: builder.plans, revenue: builder.catalog[.revenue])
    }

    func bottlenecks(rep: Int64, period: Period) -> [FunnelBottleneckFinder.Finding] {
        FunnelBottleneckFinder(engine: engine, history: forecaster.history).findings(rep: rep, period: period)
    }

    private func owners(_ slice: Slice) -> Set<Int64>? { slice == .company ? nil : Set(engine.members(of: slice)) }
    var repNames: [Int64: String] { engine.reps.mapValues(\.name) }

    /// Accounts of the slice's people by churn risk (those with some risk), riskiest first.
    func churn(_ slice: Slice) -> [ChurnRisk] {
        let mine = owners(slice)
        return forecaster.churnRisks.filter { $0.score > 0 && (mine?.contains($0.owner) ?? true) }
    }

    /// The slice's open leads by their chance to become an SQL; empty when there are too few past leads to learn from.
    func leads(_ slice: Slice) -> [LeadScoring.Score] {
        forecaster.leadScoring?.scoreOpenLeads(
            history: forecaster.history, asOf: forecaster.asOf, owners: owners(slice)) ?? []
    }
}
