import Foundation
import SalesCore
import SalesImport

/// Pipedrive through its API with a personal API token: users become reps, organizations accounts, deals deals
/// with their close (`won_time`, `lost_time` and `lost_reason`), each moved deal's flow (`stage_id` changes) its
/// moves, and done calls and meetings activities. Stages map by name as the pipedrive export preset does, plus the
/// connection's own (by name or stage id).
///
/// Incremental: organizations, deals and activities by `update_time` (v2 `updated_since`, oldest first, the
/// page's `next_cursor` kept while a listing runs; after the last page the next sync starts at the latest time
/// read); a deal's flow is read when its `stage_change_time` is in what changed. Pipedrive's burst limit is per
/// 2 seconds (20 calls on the smallest plan): the client keeps to 9 a second, and a 429 waits for its
/// `X-RateLimit-Reset`.
public final class PipedriveConnector: CRMConnector, @unchecked Sendable {
    public let crm = "pipedrive"
    let api: CRMEndpoint
    let context: ConnectorContext
    static let pageSize = 500
    static let flowPageSize = 100

    public var requests: Int { api.http.requests }

    public init(
        settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar,
        backoff: Duration = .seconds(1), perSecond: Double = 9
    ) throws {
        api = try CRMEndpoint(
            settings, headers: ["x-api-token": settings.token, "Accept": "application/json"], perSecond: perSecond,
            backoff: backoff, decoder: PipedriveAPI.decoder)
        context = try ConnectorContext(
            settings: settings, preset: "pipedrive", conversion: conversion, calendar: calendar)
    }

    struct Cursor: Codable {
        var organizations = Position()
        var deals = Position()
        var activities = Position()
    }
    /// Where an `update_time` listing stands: its `updated_since`, and the page cursor within it.
    struct Position: Codable {
        var since = ""
        var page: String?
    }

    public func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var at = try cursor.map { try JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) } ?? Cursor()
        let text = { (c: Cursor) in String(decoding: try JSONEncoder().encode(c), as: UTF8.self) }
        try await page(SyncPage(label: "users", records: try await users(), cursor: try text(at)))
        let stages = try await stageMap()
        try await listing("/api/v2/organizations", from: at.organizations) {
            (list: [PipedriveAPI.Organization], next) in
            at.organizations = next
            let accounts = list.map {
                SalesEvent.account(Account(externalID: "\($0.id)", name: $0.name ?? "#\($0.id)"))
            }
            try await page(SyncPage(label: "organizations", records: accounts, cursor: try text(at)))
        }
        let noOrganization = SalesEvent.account(Account(externalID: Self.noOrganization, name: Self.noOrganization))
        let since = at.deals.since
        try await listing("/api/v2/deals", from: at.deals) { (list: [PipedriveAPI.Deal], next) in
            at.deals = next
            var records = [noOrganization]
            for d in list {
                records += try self.records(of: d, stages)
                // Only a deal whose stage moved since the last sync has new moves to read.
                if d.stageChangeTime.map({ since.isEmpty || $0 >= since }) == true {
                    records += try await self.moves(of: d, stages)
                }
            }
            try await page(SyncPage(label: "deals", records: records, cursor: try text(at)))
        }
        try await listing("/api/v2/activities", from: at.activities) { (list: [PipedriveAPI.Activity], next) in
            at.activities = next
            let activities = try list.flatMap { try self.activity($0) }
            // An activity of a deal or user unknown to the store (deleted since) is left out.
            try await page(
                SyncPage(label: "activities", records: activities, cursor: try text(at), skipsUnknownReferences: true))
        }
    }

    static let noOrganization = "(no organization)"

    private func users() async throws -> [SalesEvent] {
        let list = try await api.get(PipedriveAPI.List<PipedriveAPI.User>.self, "/api/v1/users")
        return (list.data ?? []).map { .rep(Rep(externalID: "\($0.id)", name: $0.name, role: .ae, email: $0.email)) }
    }

    /// Every pipeline's stages by name or id; names no map knows stop the sync with a stub. Won and lost are a
    /// deal's status, not stages.
    private func stageMap() async throws -> [Int64: DealStage] {
        var out: [Int64: DealStage] = [:]
        var unknown: [String] = []
        try await listing("/api/v2/stages", from: Position(), sorted: false) { (list: [PipedriveAPI.Stage], _) in
            for s in list {
                if let stage = context.stage(id: "\(s.id)", name: s.name) {
                    out[s.id] = stage
                } else {
                    unknown.append(s.name)
                }
            }
        }
        guard unknown.isEmpty else { throw ConnectorError.unknownStages(Array(Set(unknown)).sorted()) }
        return out
    }

    /// A deal, its stage when it never moved, and its close when it is won or lost.
    private func records(of d: PipedriveAPI.Deal, _ stages: [Int64: DealStage]) throws -> [SalesEvent] {
        let path = "deals/\(d.id)"
        let created = try APITime.time(d.addTime, path)
        let outcome: (stage: DealStage, at: String?)? =
            switch d.status {
            case "won": (.won, d.wonTime)
            case "lost": (.lost, d.lostTime)
            default: nil
            }
        let closedAt = try outcome.map { try APITime.time($0.at ?? d.updateTime ?? d.addTime, path) }
        let cents = Money(((d.value ?? 0) * 100).rounded())
        let (amount, original) = try context.converted(cents, currency: d.currency, on: closedAt ?? created)
        var deal = Deal(
            externalID: "\(d.id)", account: EntityRef(d.orgId.map { "\($0)" } ?? Self.noOrganization),
            owner: EntityRef("\(d.ownerId)"), createdAt: created, amount: amount)
        deal.original = original
        deal.product = d.title
        var out = [SalesEvent.deal(deal)]
        if d.stageChangeTime == nil, let stage = stages[d.stageId], stage != .new {
            out.append(.stageChange(Self.created(d, stage, at: created)))
        }
        guard let outcome, let closedAt else { return out }
        var close = StageChange(
            externalID: "\(d.id):\(outcome.stage.rawValue)", deal: EntityRef("\(d.id)"), stage: outcome.stage,
            at: closedAt)
        close.lostReason = outcome.stage == .lost ? d.lostReason : nil
        return out + [.stageChange(close)]
    }

    /// The deal in its first stage when it was added.
    static func created(_ d: PipedriveAPI.Deal, _ stage: DealStage, at: Timestamp) -> StageChange {
        StageChange(externalID: "\(d.id)/created", deal: EntityRef("\(d.id)"), stage: stage, at: at)
    }

    /// The deal's stage moves from its flow: its first stage at its creation, then each `stage_id` change.
    private func moves(of d: PipedriveAPI.Deal, _ stages: [Int64: DealStage]) async throws -> [SalesEvent] {
        var changes: [PipedriveAPI.Flow.Change] = []
        var start = 0
        while true {
            let list = try await api.get(
                PipedriveAPI.List<PipedriveAPI.Flow>.self, "/api/v1/deals/\(d.id)/flow",
                [("start", "\(start)"), ("limit", "\(Self.flowPageSize)")])
            changes += (list.data ?? []).filter { $0.object == "dealChange" }.compactMap(\.data).filter {
                $0.fieldKey == "stage_id"
            }
            guard let next = list.additionalData?.pagination?.nextStart,
                list.additionalData?.pagination?.moreItemsInCollection == true
            else { break }
            start = next
        }
        let path = "deals/\(d.id)/flow"
        let dated = try changes.map { (change: $0, at: try APITime.time($0.logTime ?? "", path)) }.sorted {
            $0.at < $1.at
        }
        var out: [SalesEvent] = []
        let first = (dated.first?.change.oldValue).flatMap { Int64($0) } ?? d.stageId
        if let stage = stages[first], stage != .new {
            out.append(.stageChange(Self.created(d, stage, at: try APITime.time(d.addTime, path))))
        }
        for (change, at) in dated {
            guard let id = change.newValue.flatMap({ Int64($0) }), let stage = stages[id], stage != .new else {
                continue
            }
            let key = change.id.map { "\($0)" } ?? "\(id)@\(at)"
            out.append(
                .stageChange(
                    StageChange(externalID: "\(d.id)/\(key)", deal: EntityRef("\(d.id)"), stage: stage, at: at)))
        }
        return out
    }

    /// A done call as a call; a meeting as booked when added and held once done.
    private func activity(_ a: PipedriveAPI.Activity) throws -> [SalesEvent] {
        guard let owner = a.ownerId, ["call", "meeting"].contains(a.type) else { return [] }
        let path = "activities/\(a.id)"
        let due = try a.dueDate.map {
            try APITime.time($0 + " " + (a.dueTime.map { $0.count == 5 ? $0 + ":00" : $0 } ?? "00:00:00"), path)
        }
        let doneAt = try a.markedAsDoneTime.map { try APITime.time($0, path) } ?? due
        let rep = EntityRef("\(owner)")
        var out: [SalesEvent] = []
        if a.type == "call" {
            guard a.done == true, let doneAt else { return [] }
            var call = Activity(externalID: "activity:\(a.id)", rep: rep, type: .call, at: due ?? doneAt)
            call.durationSeconds = Self.seconds(a.duration)
            call.deal = a.dealId.map { EntityRef("\($0)") }
            out.append(.activity(call))
        } else {
            let added = try APITime.time(a.addTime ?? a.updateTime ?? "", path)
            var booked = Activity(externalID: "activity:\(a.id)", rep: rep, type: .meetingBooked, at: added)
            booked.deal = a.dealId.map { EntityRef("\($0)") }
            out.append(.activity(booked))
            if a.done == true, let held = due ?? doneAt {
                var meeting = Activity(externalID: "activity:\(a.id):held", rep: rep, type: .meetingHeld, at: held)
                meeting.deal = booked.deal
                out.append(.activity(meeting))
            }
        }
        return out
    }

    /// `01:30` → 5 400.
    static func seconds(_ duration: String?) -> Int32 {
        let parts = (duration ?? "").split(separator: ":").compactMap { Int32($0) }
        guard parts.count >= 2 else { return 0 }
        return parts[0] * 3_600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
    }

    /// Pages through a v2 listing from `position` (by `update_time` unless `sorted` is false), handing `body` each
    /// page and the position after it: the next page's cursor while there is one, then `updated_since` the latest
    /// time read (what changes within that second later is not missed; what is read again is known).
    private func listing<Item: PipedriveAPI.Updated>(
        _ path: String, from position: Position, sorted: Bool = true, _ body: ([Item], Position) async throws -> Void
    ) async throws {
        var at = position
        while true {
            var query: QueryItems = [("limit", "\(Self.pageSize)")]
            if sorted { query += [("sort_by", "update_time"), ("sort_direction", "asc")] }
            if !at.since.isEmpty { query.append(("updated_since", at.since)) }
            if let page = at.page { query.append(("cursor", page)) }
            let list = try await api.get(PipedriveAPI.List<Item>.self, path, query)
            let items = list.data ?? []
            let latest = items.compactMap(\.updateTime).max()
            if let next = list.additionalData?.nextCursor {
                at.page = next
            } else {
                at = Position(since: max(latest ?? at.since, at.since), page: nil)
            }
            try await body(items, at)
            if at.page == nil { return }
        }
    }
}
