import Foundation
import SalesCore
import SalesImport

/// HubSpot through its CRM API with a private app's token: owners and their primary teams become reps and teams,
/// companies accounts, deals deals, and each deal's `dealstage` history (`propertiesWithHistory`) its moves with
/// their times — a closed stage of probability 1 a win, another closed one a loss with `closed_lost_reason`, the
/// open ones through the hubspot export preset's stage labels plus the connection's own (by label or stage id).
/// Completed calls become calls (`hs_call_duration` is in milliseconds), meetings a meeting booked when created
/// and held when their outcome is `COMPLETED`.
///
/// Incremental: companies, deals, calls and meetings by `hs_lastmodifieddate` through the search endpoint, each
/// page a new query from the latest second read (a query stops at 10 000 results; a page all within one second
/// goes on by `after`), then the page's deals read again in one batch with their history and, in another, their
/// companies. The search endpoint allows 4 calls a second per token and the account 100 in 10 seconds on
/// Starter: the client keeps to 4 a second, and a 429 waits and retries.
public final class HubSpotConnector: CRMConnector, @unchecked Sendable {
    public let crm = "hubspot"
    let api: CRMEndpoint
    let context: ConnectorContext
    /// One search page = one batch read (its maximum).
    static let pageSize = 100
    /// A search query's last reachable result.
    static let searchCap = 10_000

    public var requests: Int { api.http.requests }

    public init(
        settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar,
        backoff: Duration = .seconds(1), perSecond: Double = 4
    ) throws {
        api = try CRMEndpoint(
            settings, headers: ["Authorization": "Bearer \(settings.token)", "Accept": "application/json"],
            perSecond: perSecond, backoff: backoff)
        context = try ConnectorContext(
            settings: settings, preset: "hubspot", conversion: conversion, calendar: calendar)
    }

    struct Cursor: Codable {
        var companies = Position()
        var deals = Position()
        var calls = Position()
        var meetings = Position()
    }
    /// Where a search stands: the lower bound (ms) and how many results at it were read.
    struct Position: Codable {
        var from: Int64 = 0
        var after = 0
    }

    static let dealProperties = [
        "dealname", "amount", "deal_currency_code", "dealstage", "pipeline", "hubspot_owner_id", "createdate",
        "closedate", "closed_lost_reason", HubSpotAPI.modified,
    ]

    public func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var at = try cursor.map { try JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) } ?? Cursor()
        let text = { (c: Cursor) in String(decoding: try JSONEncoder().encode(c), as: UTF8.self) }
        try await page(SyncPage(label: "owners", records: try await owners(), cursor: try text(at)))
        let stages = try await stageMap()
        try await search("companies", from: at.companies, properties: ["name", HubSpotAPI.modified]) { list, next in
            at.companies = next
            let accounts = list.map { c in
                SalesEvent.account(Account(externalID: c.id, name: c.value("name") ?? "#\(c.id)"))
            }
            try await page(SyncPage(label: "companies", records: accounts, cursor: try text(at)))
        }
        let fallback = [
            SalesEvent.account(Account(externalID: Self.noCompany, name: Self.noCompany))
        ]
        try await search("deals", from: at.deals, properties: [HubSpotAPI.modified]) { found, next in
            at.deals = next
            let ids = found.map(\.id)
            let deals = try await self.withHistory(ids)
            let companies = try await self.companies(of: ids)
            let records = try fallback + deals.flatMap { try self.records(of: $0, company: companies[$0.id], stages) }
            try await page(SyncPage(label: "deals", records: records, cursor: try text(at)))
        }
        try await search("calls", from: at.calls, properties: Self.callProperties) { list, next in
            at.calls = next
            let calls = try list.compactMap { try self.call($0) }
            try await page(SyncPage(label: "calls", records: calls, cursor: try text(at)))
        }
        try await search("meetings", from: at.meetings, properties: Self.meetingProperties) { list, next in
            at.meetings = next
            let meetings = try list.flatMap { try self.meeting($0) }
            try await page(SyncPage(label: "meetings", records: meetings, cursor: try text(at)))
        }
    }

    static let callProperties = [
        "hs_timestamp", "hs_call_duration", "hs_call_status", "hs_call_disposition", "hubspot_owner_id",
        HubSpotAPI.modified,
    ]
    static let meetingProperties = [
        "hs_timestamp", "hs_createdate", "hs_meeting_start_time", "hs_meeting_outcome", "hubspot_owner_id",
        HubSpotAPI.modified,
    ]

    /// A completed call; nil for one queued, ringing or failed.
    private func call(_ c: HubSpotAPI.Object) throws -> SalesEvent? {
        guard c.value("hs_call_status") == "COMPLETED" else { return nil }
        var call = Activity(
            externalID: "call:\(c.id)", rep: EntityRef(c.value("hubspot_owner_id") ?? Self.noOwner), type: .call,
            at: try APITime.time(c.value("hs_timestamp") ?? "", "calls/\(c.id)"))
        call.durationSeconds = Int32(clamping: (Int64(c.value("hs_call_duration") ?? "0") ?? 0) / 1000)
        call.outcome = c.value("hs_call_disposition").map { HubSpotAPI.dispositions[$0] ?? $0 }
        return .activity(call)
    }

    /// A meeting booked when it was created, and held at its start once its outcome is `COMPLETED`.
    private func meeting(_ m: HubSpotAPI.Object) throws -> [SalesEvent] {
        let path = "meetings/\(m.id)"
        let rep = EntityRef(m.value("hubspot_owner_id") ?? Self.noOwner)
        let start = try APITime.time(m.value("hs_meeting_start_time") ?? m.value("hs_timestamp") ?? "", path)
        let booked = try m.value("hs_createdate").map { try APITime.time($0, path) } ?? start
        var out = [
            SalesEvent.activity(Activity(externalID: "meeting:\(m.id)", rep: rep, type: .meetingBooked, at: booked))
        ]
        if m.value("hs_meeting_outcome") == "COMPLETED" {
            out.append(.activity(Activity(externalID: "meeting:\(m.id):held", rep: rep, type: .meetingHeld, at: start)))
        }
        return out
    }

    static let noCompany = "(no company)"
    static let noOwner = "(no owner)"

    private func owners() async throws -> [SalesEvent] {
        var teams: [String: SalesEvent] = [:]
        var reps = [SalesEvent.rep(Rep(externalID: Self.noOwner, name: Self.noOwner, role: .ae))]
        var after: String?
        repeat {
            let list = try await api.get(
                HubSpotAPI.Owners.self, "/crm/v3/owners", [("limit", "100")] + (after.map { [("after", $0)] } ?? []))
            for o in list.results {
                let team = o.teams?.first { $0.primary == true } ?? o.teams?.first
                if let team { teams[team.id] = .team(Team(externalID: team.id, name: team.name)) }
                let name = [o.firstName, o.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                reps.append(
                    .rep(
                        Rep(
                            externalID: o.id, name: name.isEmpty ? o.email ?? "#\(o.id)" : name, role: .ae,
                            team: team.map { EntityRef($0.id) }, email: o.email)))
            }
            after = list.paging?.next?.after
        } while after != nil
        return teams.sorted { $0.key < $1.key }.map(\.value) + reps
    }

    /// Every pipeline's stages → SalesKPI's: closed with probability 1 won, closed otherwise lost, the rest by label
    /// or id; labels no map knows stop the sync with a stub.
    private func stageMap() async throws -> [String: DealStage] {
        let list = try await api.get(HubSpotAPI.Pipelines.self, "/crm/v3/pipelines/deals")
        var out: [String: DealStage] = [:]
        var unknown: [String] = []
        for stage in list.results.flatMap(\.stages) {
            if stage.metadata["isClosed"] == "true" {
                out[stage.id] = Double(stage.metadata["probability"] ?? "0") == 1 ? .won : .lost
            } else if let known = context.stage(id: stage.id, name: stage.label) {
                out[stage.id] = known
            } else {
                unknown.append(stage.label)
            }
        }
        guard unknown.isEmpty else { throw ConnectorError.unknownStages(Array(Set(unknown)).sorted()) }
        return out
    }

    /// A deal, and each move of its history into a stage past the first (oldest first).
    private func records(of d: HubSpotAPI.Object, company: String?, _ stages: [String: DealStage]) throws
        -> [SalesEvent]
    {
        let path = "deals/\(d.id)"
        let created = try APITime.time(d.value("createdate") ?? "", path)
        let history = try (d.propertiesWithHistory?["dealstage"] ?? [])
            .map { (stage: $0.value, at: try APITime.time($0.timestamp, path)) }
            .sorted { $0.at < $1.at }
        guard let current = d.value("dealstage"), let stage = stages[current] else {
            throw ConnectorError.badAnswer(
                path: path, reason: "stage '\(d.value("dealstage") ?? "")' is in no pipeline")
        }
        let closedAt = stage.isClosed ? history.last { $0.stage == current }?.at ?? created : nil
        let cents = Money(((Double(d.value("amount") ?? "0") ?? 0) * 100).rounded())
        let (amount, original) = try context.converted(
            cents, currency: d.value("deal_currency_code"), on: closedAt ?? created)
        var deal = Deal(
            externalID: d.id, account: EntityRef(company ?? Self.noCompany),
            owner: EntityRef(d.value("hubspot_owner_id") ?? Self.noOwner), createdAt: created, amount: amount)
        deal.original = original
        deal.product = d.value("dealname")
        let moves = history.compactMap { move -> SalesEvent? in
            guard let to = stages[move.stage], to != .new else { return nil }
            var change = StageChange(externalID: "\(d.id)@\(move.at)", deal: EntityRef(d.id), stage: to, at: move.at)
            if to == .lost { change.lostReason = d.value("closed_lost_reason") }
            return .stageChange(change)
        }
        return [.deal(deal)] + moves
    }

    /// Pages through a search from `position`, handing `body` each page and the position after it: a new query
    /// from the latest time read, else (a page all at one millisecond) the next results of this one.
    private func search(
        _ type: String, from position: Position, properties: [String],
        _ body: ([HubSpotAPI.Object], Position) async throws -> Void
    ) async throws {
        var at = position
        while true {
            let path = "/crm/v3/objects/\(type)/search"
            let query = HubSpotAPI.Search(from: at.from, properties: properties, limit: Self.pageSize, after: at.after)
            let page = try await api.post(HubSpotAPI.Objects.self, path, json: query)
            let times = try page.results.map { try APITime.time($0.value(HubSpotAPI.modified) ?? "", path) }
            let latest = (times.max() ?? at.from / 1000) * 1000
            let last = page.paging?.next == nil || page.results.isEmpty
            if latest > at.from || last {
                at = Position(from: max(latest, at.from), after: 0)
            } else if at.after + 2 * Self.pageSize > Self.searchCap {
                // 10 000 changes in one second: the rest of it is out of a query's reach.
                at = Position(from: at.from + 1, after: 0)
            } else {
                at.after += page.results.count
            }
            try await body(page.results, at)
            if last { return }
        }
    }

    /// The deals with their properties and stage history, in one batch read.
    private func withHistory(_ ids: [String]) async throws -> [HubSpotAPI.Object] {
        guard !ids.isEmpty else { return [] }
        let read = HubSpotAPI.BatchRead(
            inputs: ids.map { .init(id: $0) }, properties: Self.dealProperties, propertiesWithHistory: ["dealstage"])
        return try await api.post(HubSpotAPI.Objects.self, "/crm/v3/objects/deals/batch/read", json: read).results
    }

    /// Each deal's first associated company, in one batch read.
    private func companies(of ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let list = try await api.post(
            HubSpotAPI.Associations.self, "/crm/v4/associations/deals/companies/batch/read",
            json: ["inputs": ids.map { ["id": $0] }])
        var out: [String: String] = [:]
        for a in list.results { if let first = a.to.first { out[a.from.id] = "\(first.toObjectId)" } }
        return out
    }
}
