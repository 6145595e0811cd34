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
    }

    /// Runs `body` for the request's visible slice and period with the insight tables.
    private func withInsights<T>(
        _ request: Request, _ context: SignedInContext, _ body: (InsightTables, Slice, Period) throws -> T
    ) throws -> T {
        let viewer = context.viewer
        try services.checkPeriod(request)
        return try live.readInsights(now: services.forecastInstant) { engine, _, forecaster in
            let slice = try services.slice(request, engine, viewer)
            let period = try services.period(request, engine)
            return try body(
                InsightTables(
                    engine: engine, forecaster: forecaster, system: live.system, catalog: live.catalog,
                    lang: context.language), slice, period)
        }
    }

    /// `GET /forecast?team=…&period=…&format=…`: the slice and its parts against plan, P10–P90.
    @Sendable func forecast(_ request: Request, context: SignedInContext) throws -> Payload {
        let (table, label) = try withInsights(request, context) { t, slice, period in
            (
                ReportTable(outlooks: t.outlooks(slice, period: period), lang: context.language),
                "forecast-\(period.label)"
            )
        }
        return try table.payload(format: request.query("format"), name: label)
    }

    /// `GET /pipeline?rep=…&limit=…&format=…`: open deals, highest expected value first, with reasons.
    @Sendable func pipeline(_ request: Request, context: SignedInContext) throws -> Payload {
        let limit = try Self.limit(request, default: 100)
        let table = try withInsights(request, context) { t, slice, _ in t.openDeals(slice, limit: limit) }
        return try table.payload(format: request.query("format"), name: "pipeline")
    }

    /// `GET /recommendations?team=…&period=…&format=…`.
    @Sendable func recommendations(_ request: Request, context: SignedInContext) throws -> Payload {
        let (table, label) = try withInsights(request, context) { t, slice, period in
            (
                ReportTable(recommendations: t.recommendations(slice, period: period), lang: context.language),
                "recommendations-\(period.label)"
            )
        }
        return try table.payload(format: request.query("format"), name: label)
    }

    /// `GET /churn?team=…&format=…`: the slice's accounts at risk, with reasons.
    @Sendable func churn(_ request: Request, context: SignedInContext) throws -> Payload {
        let table = try withInsights(request, context) { t, slice, _ in
            ReportTable(churn: t.churn(slice), repNames: t.repNames, lang: context.language)
        }
        return try table.payload(format: request.query("format"), name: "churn")
    }

    /// `GET /leads?rep=…&format=…`: open leads by their chance to become an SQL, with reasons.
    @Sendable func leads(_ request: Request, context: SignedInContext) throws -> Payload {
        let table = try withInsights(request, context) { t, slice, _ in
            ReportTable(leads: t.leads(slice), repNames: t.repNames, lang: context.language)
        }
        return try table.payload(format: request.query("format"), name: "leads")
    }

    /// `GET /whatif?team=…&stage=proposal&conversion=5&deal_size=10&cycle=-10&activity=20`.
    @Sendable func whatIf(_ request: Request, context: SignedInContext) throws -> Payload {
        let change = try Self.change(request)
        return try json(
            try withInsights(request, context) { t, slice, period in t.whatIf(slice, period: period, change: change) })
    }

    static func change(_ request: Request) throws -> SalesForecaster.Change {
        func number(_ name: String, _ range: ClosedRange<Double>) throws -> Double {
            guard let raw = request.query(name) else { return 0 }
            guard let v = Double(raw), range.contains(v) else {
                throw APIError(
                    .badRequest,
                    LocalizedText(
                        "api.error.number_out_of_range",
                        [
                            "name": .text(name), "from": .count(Int(range.lowerBound)),
                            "to": .count(Int(range.upperBound)),
                        ]))
            }
            return v
        }
        var stage: DealStage?
        if let raw = request.query("stage"), !raw.isEmpty {
            guard let s = DealStage(rawValue: raw), SalesForecaster.funnelStep[s] != nil else {
                throw APIError(
                    .badRequest,
                    LocalizedText("api.error.one_of", ["name": "stage", "values": "meeting, proposal, contract, won"]))
            }
            stage = s
        }
        return .init(
            stage: stage, conversionPoints: try number("conversion", -100...100),
            dealSizePercent: try number("deal_size", -90...500),
            cyclePercent: try number("cycle", -90...500), activityPercent: try number("activity", -100...500))
    }

    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let raw = request.query("limit") else { return value }
        guard let n = Int(raw), (1...100_000).contains(n) else {
            throw APIError(
                .badRequest,
                LocalizedText("api.error.bad_limit")
            )
        }
        return n
    }
}
