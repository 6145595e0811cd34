import Foundation
import SalesCore
import SalesImport

/// amoCRM / Kommo through its REST API v4: users and their groups become reps and teams, companies accounts,
/// leads (amoCRM's deals) deals with their close (won 142, lost 143, the loss reason), and `lead_status_changed`
/// events the moves between open stages; call notes of leads and contacts calls (with their length), meeting
/// tasks a meeting booked when created and held when completed. Stage names map as the amocrm export preset maps
/// them, plus the connection's own; a name neither knows stops the sync with a stub to fill in.
///
/// Incremental: companies and leads by `updated_at` (ascending, the cursor moving to the last one seen: a page
/// whose records all share one second goes on by page number), events by a `created_at` window closed when the
/// run starts. At most 7 calls a second, as amoCRM asks.
public final class AmoCRMConnector: CRMConnector, @unchecked Sendable {
    public let crm = "amocrm"
    let api: CRMEndpoint
    let context: ConnectorContext
    /// Items per page: amoCRM's maximum (a larger `limit` is silently cut to 50).
    static let pageSize = 250
    /// Events per page: the events API's maximum.
    static let eventPageSize = 100

    public var requests: Int { api.http.requests }

    public init(
        settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar,
        backoff: Duration = .seconds(1), perSecond: Double = 7
    ) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        api = try CRMEndpoint(
            settings, headers: ["Authorization": "Bearer \(settings.token)", "Accept": "application/hal+json"],
            perSecond: perSecond, backoff: backoff, decoder: decoder)
        context = try ConnectorContext(
            settings: settings, preset: "amocrm", conversion: conversion, calendar: calendar)
    }

    struct Cursor: Codable {
        var companies = Position()
        var leads = Position()
        /// The start of the next events window.
        var eventsFrom: Int64 = 0
        var leadCalls = Position()
        var contactCalls = Position()
        var meetings = Position()

        init() {}

        /// A cursor stored before calls and meetings were read has none of their positions: they start at 0.
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            companies = try c.decode(Position.self, forKey: .companies)
            leads = try c.decode(Position.self, forKey: .leads)
            eventsFrom = try c.decode(Int64.self, forKey: .eventsFrom)
            leadCalls = try c.decodeIfPresent(Position.self, forKey: .leadCalls) ?? Position()
            contactCalls = try c.decodeIfPresent(Position.self, forKey: .contactCalls) ?? Position()
            meetings = try c.decodeIfPresent(Position.self, forKey: .meetings) ?? Position()
        }
    }
    /// Where an `updated_at` listing stands: the lower bound and the page under it.
    struct Position: Codable {
        var from: Int64 = 0
        var page = 1
    }

    public func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var at = try cursor.map { try JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) } ?? Cursor()
        let windowEnd = Int64(Date().timeIntervalSince1970)
        let text = { (c: Cursor) in String(decoding: try JSONEncoder().encode(c), as: UTF8.self) }
        try await page(SyncPage(label: "users", records: try await users(), cursor: try text(at)))
        let statuses = try await pipelineStatuses()
        try await listing("/api/v4/companies", from: at.companies, as: AmoCRMAPI.Companies.self) { list, next in
            at.companies = next
            let accounts = list.companies.map { c in
                SalesEvent.account(Account(externalID: "\(c.id)", name: c.name ?? "#\(c.id)"))
            }
            try await page(SyncPage(label: "companies", records: accounts, cursor: try text(at)))
        }
        let noCompany = SalesEvent.account(Account(externalID: Self.noCompany, name: Self.noCompany))
        try await listing("/api/v4/leads", from: at.leads, query: [("with", "loss_reason")], as: AmoCRMAPI.Leads.self) {
            list, next in
            at.leads = next
            let records = try [noCompany] + list.leads.flatMap { try self.records(of: $0, statuses) }
            try await page(SyncPage(label: "leads", records: records, cursor: try text(at)))
        }
        var eventPage = 1
        while true {
            let url = try api.url(
                "/api/v4/events",
                [
                    ("limit", "\(Self.eventPageSize)"), ("page", "\(eventPage)"),
                    ("filter[type]", "lead_status_changed"),
                    ("filter[entity]", "lead"), ("filter[created_at][from]", "\(at.eventsFrom)"),
                    ("filter[created_at][to]", "\(windowEnd)"),
                ])
            let (status, body) = try await api.http.get(url)
            let list = status == 204 ? nil : try api.decode(AmoCRMAPI.Page<AmoCRMAPI.Events>.self, body, url)
            let moves = (list?.embedded?.events ?? []).compactMap { self.move($0, statuses) }
            let last = list?.links?.next == nil
            if last { at.eventsFrom = windowEnd }
            // A move of a lead deleted since is not stored (its deal is gone): not an error.
            try await page(
                SyncPage(label: "events", records: moves, cursor: try text(at), skipsUnknownReferences: true))
            if last { break }
            eventPage += 1
        }
        try await activities(&at, text, page)
    }

    /// Calls logged on leads and on contacts, and meeting tasks.
    private func activities(
        _ at: inout Cursor, _ text: (Cursor) throws -> String, _ page: (SyncPage) async throws -> Void
    ) async throws {
        let calls: QueryItems = [("filter[note_type][]", "call_in"), ("filter[note_type][]", "call_out")]
        try await listing("/api/v4/leads/notes", from: at.leadCalls, query: calls, as: AmoCRMAPI.Notes.self) {
            list, next in
            at.leadCalls = next
            let records = list.notes.map { self.call($0, lead: true) }
            // A call of a lead deleted since is left out.
            try await page(
                SyncPage(label: "lead calls", records: records, cursor: try text(at), skipsUnknownReferences: true))
        }
        try await listing("/api/v4/contacts/notes", from: at.contactCalls, query: calls, as: AmoCRMAPI.Notes.self) {
            list, next in
            at.contactCalls = next
            let records = list.notes.map { self.call($0, lead: false) }
            try await page(
                SyncPage(label: "contact calls", records: records, cursor: try text(at), skipsUnknownReferences: true))
        }
        let meetings: QueryItems = [("filter[task_type][]", "\(AmoCRMAPI.meetingTask)")]
        try await listing("/api/v4/tasks", from: at.meetings, query: meetings, as: AmoCRMAPI.Tasks.self) { list, next in
            at.meetings = next
            let records = list.tasks.filter { $0.taskTypeId == AmoCRMAPI.meetingTask }.flatMap(self.meeting)
            try await page(
                SyncPage(label: "meetings", records: records, cursor: try text(at), skipsUnknownReferences: true))
        }
    }

    /// A call note as a call of its responsible user, on the lead it was logged on.
    private func call(_ n: AmoCRMAPI.Note, lead: Bool) -> SalesEvent {
        var call = Activity(
            externalID: "note:\(n.id)", rep: EntityRef("\(n.responsibleUserId)"), type: .call, at: n.createdAt)
        call.durationSeconds = Int32(clamping: n.params?.duration ?? 0)
        call.outcome = n.params?.callStatus.map { $0 == 4 ? "talked" : "not reached (\($0))" }
        call.deal = lead ? EntityRef("\(n.entityId)") : nil
        return .activity(call)
    }

    /// A meeting task: booked when created, held at its due time once completed.
    private func meeting(_ t: AmoCRMAPI.Task) -> [SalesEvent] {
        let rep = EntityRef("\(t.responsibleUserId)")
        let deal = t.entityType == "leads" ? t.entityId.map { EntityRef("\($0)") } : nil
        var booked = Activity(externalID: "task:\(t.id)", rep: rep, type: .meetingBooked, at: t.createdAt)
        booked.deal = deal
        guard t.isCompleted else { return [.activity(booked)] }
        var held = Activity(externalID: "task:\(t.id):held", rep: rep, type: .meetingHeld, at: t.completeTill)
        held.deal = deal
        return [.activity(booked), .activity(held)]
    }

    /// The account of a lead without a company.
    static let noCompany = "(no company)"

    private func users() async throws -> [SalesEvent] {
        var out: [SalesEvent] = []
        var teams: [Int64: SalesEvent] = [:]
        var page = 1
        while true {
            let url = try api.url(
                "/api/v4/users", [("limit", "\(Self.pageSize)"), ("page", "\(page)"), ("with", "group")])
            let (status, body) = try await api.http.get(url)
            guard status != 204 else { break }
            let list = try api.decode(AmoCRMAPI.Page<AmoCRMAPI.Users>.self, body, url)
            for u in list.embedded?.users ?? [] {
                let group = u.embedded?.groups?.first
                if let group { teams[group.id] = .team(Team(externalID: "\(group.id)", name: group.name)) }
                out.append(
                    .rep(
                        Rep(
                            externalID: "\(u.id)", name: u.name, role: .ae, team: group.map { EntityRef("\($0.id)") },
                            email: u.email)))
            }
            guard list.links?.next != nil else { break }
            page += 1
        }
        return teams.sorted { $0.key < $1.key }.map(\.value) + out
    }

    /// Every pipeline's statuses → SalesKPI's stage; a status name neither the preset nor the connection's stage
    /// map knows stops the sync, listing them all with a stub.
    private func pipelineStatuses() async throws -> [Int64: DealStage] {
        let url = try api.url("/api/v4/leads/pipelines", [])
        let (_, body) = try await api.http.get(url)
        let list = try api.decode(AmoCRMAPI.Page<AmoCRMAPI.Pipelines>.self, body, url)
        var out: [Int64: DealStage] = [AmoCRMAPI.won: .won, AmoCRMAPI.lost: .lost]
        var unknown: [String] = []
        for p in list.embedded?.pipelines ?? [] {
            for s in p.embedded.statuses where out[s.id] == nil {
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

    /// A lead as a deal, and its close when it is closed.
    private func records(of lead: AmoCRMAPI.Lead, _ statuses: [Int64: DealStage]) throws -> [SalesEvent] {
        guard let stage = statuses[lead.statusId] else { throw ConnectorError.unknownStatus(lead.statusId) }
        let account = lead.embedded?.companies?.first.map { "\($0.id)" } ?? Self.noCompany
        let closedAt = stage.isClosed ? lead.closedAt ?? lead.updatedAt : nil
        let (amount, original) = try context.converted((lead.price ?? 0) * 100, on: closedAt ?? lead.createdAt)
        var deal = Deal(
            externalID: "\(lead.id)", account: EntityRef(account), owner: EntityRef("\(lead.responsibleUserId)"),
            createdAt: lead.createdAt, amount: amount)
        deal.original = original
        deal.product = lead.name
        guard let closedAt else { return [.deal(deal)] }
        var close = StageChange(
            externalID: "\(lead.id):\(stage.rawValue)", deal: EntityRef("\(lead.id)"), stage: stage, at: closedAt)
        close.lostReason = stage == .lost ? lead.embedded?.lossReason?.first?.name : nil
        return [.deal(deal), .stageChange(close)]
    }

    /// A move into an open stage; nil for a close (the lead's own status gives it, with its date and reason).
    private func move(_ e: AmoCRMAPI.Event, _ statuses: [Int64: DealStage]) -> SalesEvent? {
        guard let status = e.valueAfter.first?.leadStatus, let stage = statuses[status.id], !stage.isClosed,
            stage != .new
        else { return nil }
        return .stageChange(
            StageChange(externalID: e.id, deal: EntityRef("\(e.entityId)"), stage: stage, at: e.createdAt))
    }

    /// Minor units of the account's currency in the company's, at the rate of `instant`'s day.
    /// Pages through an `updated_at` listing from `position`, handing `body` each page and the position after it.
    private func listing<List: AmoCRMAPI.Listing>(
        _ path: String, from position: Position, query: QueryItems = [], as: List.Type,
        _ body: (List, Position) async throws -> Void
    ) async throws {
        var at = position
        while true {
            let url = try api.url(
                path,
                [
                    ("limit", "\(Self.pageSize)"), ("page", "\(at.page)"), ("filter[updated_at][from]", "\(at.from)"),
                    ("order[updated_at]", "asc"),
                ] + query)
            let (status, data) = try await api.http.get(url)
            guard status != 204 else { return }  // amoCRM's "nothing matches"
            let page = try api.decode(AmoCRMAPI.Page<List>.self, data, url)
            guard let list = page.embedded else { return }
            // The next page starts past what was read: from a later `updated_at`, else at the next page number
            // (a bulk edit gives many records one second). After the last page, the next sync starts again at
            // the latest second read: what changes within it later is not missed (what it re-reads is known).
            let latest = list.updatedAt.max() ?? at.from
            let last = page.links?.next == nil
            at =
                latest > at.from || last
                ? Position(from: latest, page: 1) : Position(from: at.from, page: at.page + 1)
            try await body(list, at)
            if last { return }
        }
    }
}
