import SalesCore

/// The predictive layer for one slice: forecasts against plan, open deals with their win probability,
/// recommendations, what-if, churn and leads — the questions the `/forecast` page, the dashboards, the API and
/// `saleskpi forecast` ask alike.
public struct InsightTables {
    public let engine: SalesEngine
    public let forecaster: SalesForecaster
    public let builder: ScorecardBuilder
    public let lang: Language

    public init(
        engine: SalesEngine, forecaster: SalesForecaster, system: KPISystem, catalog: KPICatalog, lang: Language
    ) {
        self.engine = engine
        self.forecaster = forecaster
        self.lang = lang
        builder = ScorecardBuilder(engine: engine, system: system, catalog: catalog)
    }

    /// The slice, then its parts: the company's teams, a team's sellers, a role's people.
    public func rows(of slice: Slice) -> [Slice] {
        let sellers = { (ids: [Int64]) in ids.filter { [.ae, .am].contains(engine.reps[$0]?.role) }.map(Slice.rep) }
        switch slice {
        case .company: return [slice] + engine.teams.values.sorted { $0.name < $1.name }.map { .team($0.id) }
        case .team(let id): return [slice] + sellers(engine.repsByTeam.filter { $0.teamID == id }.map(\.id))
        case .role(let role): return [slice] + engine.repsByTeam.filter { $0.role == role }.map { .rep($0.id) }
        case .rep: return [slice]
        }
    }

    public func outlooks(_ slice: Slice, period: Period, scenario: RevenueForecast.Scenario = .none) -> [SalesForecaster
        .Outlook]
    {
        rows(of: slice).map {
            forecaster.outlook(
                $0, period: period, scenario: scenario, plans: builder.plans, revenue: builder.catalog[.revenue])
        }
    }

    public func outlook(_ slice: Slice, period: Period) -> SalesForecaster.Outlook {
        forecaster.outlook(slice, period: period, plans: builder.plans, revenue: builder.catalog[.revenue])
    }

    /// SQLs so far and expected by the period's end, against the new-SQLs plan (for SDRs).
    public func sqlOutlook(_ slice: Slice, period: Period) -> SQLOutlook {
        let plan = builder.catalog[.newSQLs].flatMap { builder.plans.target(kpi: $0, slice: slice, period: period) }
        return SQLOutlook.make(
            engine: engine, slice: slice, period: period, today: engine.calendar.day(of: forecaster.asOf), plan: plan)
    }

    public func openDeals(_ slice: Slice, limit: Int) -> ReportTable {
        ReportTable(
            openDeals: forecaster, owners: slice == .company ? nil : Set(engine.members(of: slice)), limit: limit,
            lang: lang)
    }

    public func recommendations(_ slice: Slice, period: Period) -> [Recommendation] {
        recommendations(for: engine.members(of: slice), period: period)
    }

    /// Advice for these people, as of the period's end if it has ended, ranked by the revenue at stake.
    public func recommendations(for people: [Int64], period: Period) -> [Recommendation] {
        let asOf = min(forecaster.asOf, engine.calendar.start(of: period.end))
        return Advisor(engine: engine, history: forecaster.history, model: forecaster.model)
            .recommendations(for: people, period: period, asOf: asOf, builder: builder)
    }

    public func whatIf(_ slice: Slice, period: Period, change: SalesForecaster.Change) -> SalesForecaster.WhatIf {
        forecaster.whatIf(
            slice, period: period, change: change, plans: builder.plans, revenue: builder.catalog[.revenue])
    }

    public func bottlenecks(rep: Int64, period: Period) -> [FunnelBottleneckFinder.Finding] {
        FunnelBottleneckFinder(engine: engine, history: forecaster.history).findings(rep: rep, period: period)
    }

    private func owners(_ slice: Slice) -> Set<Int64>? { slice == .company ? nil : Set(engine.members(of: slice)) }
    public var repNames: [Int64: String] { engine.reps.mapValues(\.name) }

    /// Accounts of the slice's people by churn risk (those with some risk), riskiest first.
    public func churn(_ slice: Slice) -> [ChurnRisk] { churn(owners: owners(slice)) }

    /// Accounts of these owners (nil: everyone's) at some risk of churn, riskiest first.
    public func churn(owners: Set<Int64>?) -> [ChurnRisk] {
        forecaster.churnRisks.filter { $0.score > 0 && (owners?.contains($0.owner) ?? true) }
    }

    /// The slice's accounts due to buy again in the period (their latest deal's owners), soonest first.
    public func renewals(_ slice: Slice, period: Period) -> [RenewalDue] {
        let owners = owners(slice)
        return RenewalDue.due(
            history: forecaster.history, calendar: engine.calendar, period: period, asOf: forecaster.asOf
        ).filter { owners?.contains($0.owner) ?? true }
    }

    /// The slice's open leads by their chance to become an SQL; empty when there are too few past leads to learn from.
    public func leads(_ slice: Slice) -> [LeadScoring.Score] { leads(owners: owners(slice)) }

    public func leads(owners: Set<Int64>?) -> [LeadScoring.Score] {
        forecaster.leadScoring?.scoreOpenLeads(history: forecaster.history, asOf: forecaster.asOf, owners: owners)
            ?? []
    }
}
