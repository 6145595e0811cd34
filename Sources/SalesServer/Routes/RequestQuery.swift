import Foundation
import Hummingbird
import SalesCore
import SalesImport

/// A route's query string decoded into the values its handler uses. A bad value is a 400 that names the
/// parameter and what it accepts, before any lock is taken; `parameters` is what the OpenAPI document must
/// list for the route (`OpenAPITests`), and reading a name it does not declare stops a debug build.
protocol RequestQuery: Sendable {
    static var parameters: Set<String> { get }
    init(_ query: QueryParameters) throws
}

extension Request {
    func decode<Query: RequestQuery>(_: Query.Type) throws -> Query {
        try Query(QueryParameters(uri.queryParameters, declared: Query.parameters))
    }
}

/// The query string as a query type reads it: an empty value is an absent one.
struct QueryParameters {
    private let values: [String: String]
    private let declared: Set<String>

    init(_ parameters: Parameters, declared: Set<String>) {
        var values: [String: String] = [:]
        for (name, value) in parameters where !value.isEmpty { values[String(name)] = String(value) }
        self.values = values
        self.declared = declared
    }

    func text(_ name: String) -> String? {
        assert(declared.contains(name), "\(name) is read but not among the query type's parameters")
        return values[name]
    }

    /// One of an enumeration's raw values; nil when absent.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String) throws -> T? where T.RawValue == String {
        guard let raw = text(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            let all = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(
                .badRequest,
                LocalizedText(
                    "api.error.one_of", ["name": .text(name), "value": .text(raw), "values": .text(all)]))
        }
        return value
    }

    /// How many rows to return: 1 to 100 000.
    func limit(default value: Int) throws -> Int {
        guard let raw = text("limit") else { return value }
        guard let n = Int(raw), (1...100_000).contains(n) else {
            throw APIError(.badRequest, LocalizedText("api.error.bad_limit"))
        }
        return n
    }

    /// A number within `range`; 0 when absent.
    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double {
        guard let raw = text(name) else { return 0 }
        guard let v = Double(raw), range.contains(v) else {
            let bounds: MessageArguments = [
                "name": .text(name), "from": .count(Int(range.lowerBound)), "to": .count(Int(range.upperBound)),
            ]
            throw APIError(.badRequest, LocalizedText("api.error.number_out_of_range", bounds))
        }
        return v
    }
}

/// A route that reads no parameters.
struct NoQuery: RequestQuery {
    static let parameters: Set<String> = []
    init(_: QueryParameters) {}
}

/// `period=2017-Q2`, or `from`/`to`; resolved against the store's latest day (`AppServices.period`).
struct PeriodQuery: RequestQuery {
    static let parameters: Set<String> = ["period", "from", "to"]
    var period, from, to: String?

    init(_ q: QueryParameters) {
        (period, from, to) = (q.text("period"), q.text("from"), q.text("to"))
    }
}

/// Whose records: `rep` or `team` by CRM id, or a `role`; none means the viewer's own (`AppServices.slice`).
struct SliceQuery: RequestQuery {
    static let parameters: Set<String> = ["rep", "team", "role"]
    var rep, team: String?
    var role: RepRole?
    var isGiven: Bool { rep != nil || team != nil || role != nil }

    init(_ q: QueryParameters) throws {
        (rep, team, role) = (q.text("rep"), q.text("team"), try q.choice("role"))
    }
}

/// How a table is sent: `format=json` (the default), `csv` or `xlsx`.
enum TableFormat: String, CaseIterable, Sendable {
    case json, csv, xlsx
}

/// A table about a slice and a period: scorecards, forecast, recommendations, churn, leads.
struct TableQuery: RequestQuery {
    static let parameters = PeriodQuery.parameters.union(SliceQuery.parameters).union(["format"])
    var slice: SliceQuery
    var period: PeriodQuery
    var format: TableFormat

    init(_ q: QueryParameters) throws {
        (slice, period, format) = (try SliceQuery(q), PeriodQuery(q), try q.choice("format") ?? .json)
    }
}

/// `GET /reports`: KPIs by rep, team, role or company.
struct ReportQuery: RequestQuery {
    static let parameters = PeriodQuery.parameters.union(["by", "kpis", "format"])
    var by: Slice.Kind
    var kpis: String?
    var period: PeriodQuery
    var format: TableFormat

    init(_ q: QueryParameters) throws {
        (by, kpis, period) = (try q.choice("by") ?? .rep, q.text("kpis"), PeriodQuery(q))
        format = try q.choice("format") ?? .json
    }
}

/// `GET /plans`: the plans of a period.
typealias PlansQuery = PeriodQuery

/// Which deals are behind a number: `set=won` (the default), `lost`, `closed`, `open`, …; the deals page reads
/// just this.
struct DealSetQuery: RequestQuery {
    static let parameters: Set<String> = ["set"]
    var set: SalesEngine.DealSet

    init(_ q: QueryParameters) throws { set = try q.choice("set") ?? .won }
}

/// `GET /deals`: the deals behind a number.
struct DealsQuery: RequestQuery {
    static let parameters = TableQuery.parameters.union(DealSetQuery.parameters)
    var table: TableQuery
    var set: SalesEngine.DealSet

    init(_ q: QueryParameters) throws {
        (table, set) = (try TableQuery(q), try DealSetQuery(q).set)
    }
}

/// A list newest first, cut at `limit`: activities (of one `type`, or all), analysed calls, open deals.
struct ListQuery: RequestQuery {
    static let parameters = TableQuery.parameters.union(["limit"])
    var table: TableQuery
    var limit: Int

    init(_ q: QueryParameters) throws { try self.init(q, defaultLimit: 1000) }

    init(_ q: QueryParameters, defaultLimit: Int) throws {
        (table, limit) = (try TableQuery(q), try q.limit(default: defaultLimit))
    }
}

/// One kind of activity (`type=call`), or all of them; the activities page reads just this.
struct ActivityTypeQuery: RequestQuery {
    static let parameters: Set<String> = ["type"]
    var type: ActivityType?

    init(_ q: QueryParameters) throws { type = try q.choice("type") }
}

/// `GET /activities`: the latest activities.
struct ActivitiesQuery: RequestQuery {
    static let parameters = ListQuery.parameters.union(ActivityTypeQuery.parameters)
    var list: ListQuery
    var type: ActivityType?

    init(_ q: QueryParameters) throws {
        (list, type) = (try ListQuery(q), try ActivityTypeQuery(q).type)
    }
}

/// `GET /pipeline`: open deals, 100 unless told.
struct PipelineQuery: RequestQuery {
    static let parameters = ListQuery.parameters
    var list: ListQuery

    init(_ q: QueryParameters) throws { list = try ListQuery(q, defaultLimit: 100) }
}

/// A change to one funnel step (`stage`, `conversion` in points) and to the levers (`deal_size`, `cycle`,
/// `activity` in percent); the forecast page reads just this.
struct ChangeQuery: RequestQuery {
    static let parameters: Set<String> = ["stage", "conversion", "deal_size", "cycle", "activity"]
    var change: SalesForecaster.Change

    init(_ q: QueryParameters) throws {
        // Only the funnel's steps, not every stage a deal can be in.
        let stage = q.text("stage").flatMap(DealStage.init(rawValue:))
        if let raw = q.text("stage"), stage.flatMap({ SalesForecaster.funnelStep[$0] }) == nil {
            let steps: MessageArguments = [
                "name": "stage", "value": .text(raw), "values": "meeting, proposal, contract, won",
            ]
            throw APIError(.badRequest, LocalizedText("api.error.one_of", steps))
        }
        change = .init(
            stage: stage, conversionPoints: try q.number("conversion", in: -100...100),
            dealSizePercent: try q.number("deal_size", in: -90...500),
            cyclePercent: try q.number("cycle", in: -90...500),
            activityPercent: try q.number("activity", in: -100...500))
    }
}

/// `GET /whatif`: the forecast of a slice and period under a change.
struct WhatIfQuery: RequestQuery {
    static let parameters = PeriodQuery.parameters.union(SliceQuery.parameters).union(ChangeQuery.parameters)
    var slice: SliceQuery
    var period: PeriodQuery
    var change: SalesForecaster.Change

    init(_ q: QueryParameters) throws {
        (slice, period, change) = (try SliceQuery(q), PeriodQuery(q), try ChangeQuery(q).change)
    }
}

/// `POST /calls`: the call a transcript belongs to, the file's name, the source system.
struct CallUploadQuery: RequestQuery {
    static let parameters: Set<String> = ["call", "file", "source"]
    var call: String?
    var file, source: String

    init(_ q: QueryParameters) {
        (call, file, source) = (q.text("call"), q.text("file") ?? "transcript", q.text("source") ?? "crm")
    }
}

/// `POST /events`: the source system, and whether bad events are skipped rather than refusing the batch.
struct EventBatchQuery: RequestQuery {
    static let parameters: Set<String> = ["source", "skip_invalid"]
    var source: String
    var skipInvalid: Bool

    init(_ q: QueryParameters) {
        (source, skipInvalid) = (q.text("source") ?? "api", q.text("skip_invalid") == "true")
    }
}

/// The sign-in page: where to go once signed in (a path on this server; anything else is ignored).
struct SignInQuery: RequestQuery {
    static let parameters: Set<String> = ["next"]
    var next: String?

    init(_ q: QueryParameters) { next = q.text("next") }
}

/// An admin page after a change: what was done (`notice`) and, after an import, how many events went in.
struct NoticeQuery: RequestQuery {
    static let parameters: Set<String> = ["notice", "inserted"]
    var notice, inserted: String?

    init(_ q: QueryParameters) { (notice, inserted) = (q.text("notice"), q.text("inserted")) }
}
