import Foundation
import Hummingbird
import SalesCore
import SalesImport

/// `/api/v1` routes of the predictive layer: forecast, open deals with win probability, recommendations, what-if.
extension APIController {
    func registerInsights(on api: RouterGroup<SignedInContext>) {
        api.get(Route.apiForecast.pattern, use: cached(forecast))
        api.get(Route.apiPipeline.pattern, use: cached(pipeline))
        api.get(Route.apiRecommendations.pattern, use: cached(recommendations))
        api.get(Route.apiWhatIf.pattern, use: cached(whatIf))
        api.get(Route.apiChurn.pattern, use: cached(churn))
        api.get(Route.apiLeads.pattern, use: cached(leads))
        api.get(Route.apiRenewals.pattern, use: cached(renewals))
    }

    /// Runs `body` for the request's visible slice and period with the insight tables.
    private func withInsights<T>(
        _ slice: SliceQuery, _ period: PeriodQuery, _ context: SignedInContext,
        _ body: (InsightTables, Slice, Period) throws -> T
    ) throws -> T {
        let viewer = context.viewer
        try services.checkPeriod(period)
        return try live.readInsights(now: services.forecastInstant) { engine, _, forecaster in
            let slice = try services.slice(slice, engine, viewer)
            let period = try services.period(period, engine)
            return try body(
                InsightTables(
                    engine: engine, forecaster: forecaster, system: live.system, catalog: live.catalog,
                    lang: context.language), slice, period)
        }
    }

    /// `GET /forecast?team=…&period=…&format=…`: the slice and its parts against plan, P10–P90.
    @Sendable func forecast(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let (table, label) = try withInsights(query.slice, query.period, context) { t, slice, period in
            (
                ReportTable(outlooks: t.outlooks(slice, period: period), lang: context.language),
                "forecast-\(period.label)"
            )
        }
        return try table.payload(format: query.format, name: label)
    }

    /// `GET /pipeline?rep=…&limit=…&format=…`: open deals, highest expected value first, with reasons.
    @Sendable func pipeline(_ query: PipelineQuery, context: SignedInContext) throws -> Payload {
        let (limit, q) = (query.list.limit, query.list.table)
        let table = try withInsights(q.slice, q.period, context) { t, slice, _ in t.openDeals(slice, limit: limit) }
        return try table.payload(format: q.format, name: "pipeline")
    }

    /// `GET /recommendations?team=…&period=…&format=…`.
    @Sendable func recommendations(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let (table, label) = try withInsights(query.slice, query.period, context) { t, slice, period in
            (
                ReportTable(recommendations: t.recommendations(slice, period: period), lang: context.language),
                "recommendations-\(period.label)"
            )
        }
        return try table.payload(format: query.format, name: label)
    }

    /// `GET /churn?team=…&format=…`: the slice's accounts at risk, with reasons.
    @Sendable func churn(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let table = try withInsights(query.slice, query.period, context) { t, slice, _ in
            ReportTable(churn: t.churn(slice), repNames: t.repNames, lang: context.language)
        }
        return try table.payload(format: query.format, name: "churn")
    }

    /// `GET /renewals?rep=…&period=…&format=…`: the accounts due to buy again in the period, soonest first.
    @Sendable func renewals(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let (table, label) = try withInsights(query.slice, query.period, context) { t, slice, period in
            (
                ReportTable(renewals: t.renewals(slice, period: period), repNames: t.repNames, lang: context.language),
                "renewals-\(period.label)"
            )
        }
        return try table.payload(format: query.format, name: label)
    }

    /// `GET /leads?rep=…&format=…`: open leads by their chance to become an SQL, with reasons.
    @Sendable func leads(_ query: TableQuery, context: SignedInContext) throws -> Payload {
        let table = try withInsights(query.slice, query.period, context) { t, slice, _ in
            ReportTable(leads: t.leads(slice), repNames: t.repNames, lang: context.language)
        }
        return try table.payload(format: query.format, name: "leads")
    }

    /// `GET /whatif?team=…&stage=proposal&conversion=5&deal_size=10&cycle=-10&activity=20`.
    @Sendable func whatIf(_ query: WhatIfQuery, context: SignedInContext) throws -> Payload {
        try json(
            try withInsights(query.slice, query.period, context) { t, slice, period in
                t.whatIf(slice, period: period, change: query.change)
            })
    }
}
