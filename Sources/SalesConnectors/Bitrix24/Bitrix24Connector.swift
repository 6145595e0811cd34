import Foundation
import SalesCore
import SalesImport

/// Bitrix24 through an inbound REST webhook (`https://PORTAL/rest/USER/SECRET/`): users and their departments
/// become reps and teams, companies accounts, deals deals, and `crm.stagehistory.list` every move with its time —
/// a success stage (semantics S) a win, a failure stage (F) a loss with the stage's name as the reason, the
/// others through the bitrix24 export preset's stage names plus the connection's own (by name or `STATUS_ID`);
/// completed calls of `crm.activity.list` calls, its meetings meetings.
///
/// Incremental: companies and deals by `DATE_MODIFY`, activities by `LAST_UPDATED` (ascending; within one second
/// by `start`), the stage history by its `ID` up to the run's start (the deals read after it include every deal a
/// move of it touched). Bitrix24 drains its request counter at 2 a second (a burst of 50): the client keeps to 2
/// a second, and a 503 `QUERY_LIMIT_EXCEEDED` waits and retries.
public final class Bitrix24Connector: CRMConnector, @unchecked Sendable {
    public let crm = "bitrix24"
    let api: CRMEndpoint
    let context: ConnectorContext

    public var requests: Int { api.http.requests }

    public init(
        settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar,
        backoff: Duration = .seconds(1), perSecond: Double = 2
    ) throws {
        // The webhook URL is the credential; a token given apart is its secret part.
        var webhook = settings
        webhook.baseURL = settings.baseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !settings.token.isEmpty, !webhook.baseURL.hasSuffix(settings.token) {
            webhook.baseURL += "/" + settings.token
        }
        // `…/rest/USER/SECRET`: the last part is the credential.
        let secret = webhook.baseURL.split(separator: "/").last.map(String.init) ?? ""
        api = try CRMEndpoint(
            webhook, headers: ["Accept": "application/json"], perSecond: perSecond, backoff: backoff,
            decoder: Bitrix24API.decoder, secrets: [secret])
        context = try ConnectorContext(
            settings: settings, preset: "bitrix24", conversion: conversion, calendar: calendar)
    }

    struct Cursor: Codable {
        var companies = Position()
        var deals = Position()
        /// The last stage-history `ID` stored.
        var historyID: Int64 = 0
        var activities = Position()

        init() {}

        /// A cursor stored before activities were read has no position for them: they start from the first.
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            companies = try c.decode(Position.self, forKey: .companies)
            deals = try c.decode(Position.self, forKey: .deals)
            historyID = try c.decode(Int64.self, forKey: .historyID)
            activities = try c.decodeIfPresent(Position.self, forKey: .activities) ?? Position()
        }
    }
    struct Position: Codable {
        var from = ""
        var start = 0
    }

    public func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var at = try cursor.map { try JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) } ?? Cursor()
        let runStart = APITime.utc(Timestamp(Date().timeIntervalSince1970))
        let text = { (c: Cursor) in String(decoding: try JSONEncoder().encode(c), as: UTF8.self) }
        try await page(SyncPage(label: "user.get", records: try await users(), cursor: try text(at)))
        let stageOf = try await stageMap()
        try await listing("crm.company.list", from: at.companies, select: ["ID", "TITLE", "DATE_MODIFY"]) {
            (list: [Bitrix24API.Company], next) in
            at.companies = next
            let accounts = list.map { SalesEvent.account(Account(externalID: $0.id, name: $0.title ?? "#\($0.id)")) }
            try await page(SyncPage(label: "crm.company.list", records: accounts, cursor: try text(at)))
        }
        let noCompany = SalesEvent.account(Account(externalID: Self.noCompany, name: Self.noCompany))
        let dealFields = [
            "ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "CURRENCY_ID", "ASSIGNED_BY_ID", "COMPANY_ID", "DATE_CREATE",
            "DATE_MODIFY",
        ]
        try await listing("crm.deal.list", from: at.deals, select: dealFields) { (list: [Bitrix24API.Deal], next) in
            at.deals = next
            let records = try [noCompany] + list.map(self.deal)
            try await page(SyncPage(label: "crm.deal.list", records: records, cursor: try text(at)))
        }
        while true {
            let fields = ["ID", "TYPE_ID", "OWNER_ID", "CREATED_TIME", "STAGE_ID", "STAGE_SEMANTIC_ID"]
            let list = try await api.get(
                Bitrix24API.HistoryPage.self, Self.path("crm.stagehistory.list"),
                [
                    ("entityTypeId", "2"), ("order[ID]", "ASC"), ("filter[>ID]", "\(at.historyID)"),
                    ("filter[<=CREATED_TIME]", runStart),
                ] + fields.map { ("select[]", $0) })
            let items = list.result.items
            at.historyID = items.compactMap { Int64($0.id) }.max() ?? at.historyID
            let moves = items.compactMap { self.move($0, stageOf) }
            // A move of a deal deleted since is not stored: not an error.
            try await page(
                SyncPage(
                    label: "crm.stagehistory.list", records: moves, cursor: try text(at), skipsUnknownReferences: true))
            if list.next == nil || items.isEmpty { break }
        }
        let activityFields = [
            "ID", "OWNER_ID", "OWNER_TYPE_ID", "TYPE_ID", "COMPLETED", "RESPONSIBLE_ID", "START_TIME", "END_TIME",
            "CREATED", "LAST_UPDATED",
        ]
        try await listing("crm.activity.list", from: at.activities, select: activityFields) {
            (list: [Bitrix24API.Activity], next) in
            at.activities = next
            let records = try list.flatMap(self.activity)
            // An activity of a user or deal the store does not have (deleted since) is left out.
            try await page(
                SyncPage(
                    label: "crm.activity.list", records: records, cursor: try text(at), skipsUnknownReferences: true))
        }
    }

    /// A completed call as a call (its length from its start to its end); a meeting as booked when created and
    /// held at its start once completed. Other activities (e-mails, tasks) are not read.
    private func activity(_ a: Bitrix24API.Activity) throws -> [SalesEvent] {
        let rep = EntityRef(a.responsibleId)
        let deal = a.ownerTypeId == "2" ? a.ownerId.map { EntityRef($0) } : nil
        let start = try a.startTime.map(Self.time)
        let done = a.completed == "Y"
        switch a.typeId {
        case "2":
            guard done, let start else { return [] }
            var call = Activity(externalID: "activity:\(a.id)", rep: rep, type: .call, at: start)
            call.durationSeconds = Int32(clamping: max(0, (try a.endTime.map(Self.time) ?? start) - start))
            call.deal = deal
            return [.activity(call)]
        case "1":
            var booked = Activity(
                externalID: "activity:\(a.id)", rep: rep, type: .meetingBooked, at: try Self.time(a.created))
            booked.deal = deal
            guard done, let start else { return [.activity(booked)] }
            var held = Activity(externalID: "activity:\(a.id):held", rep: rep, type: .meetingHeld, at: start)
            held.deal = deal
            return [.activity(booked), .activity(held)]
        default: return []
        }
    }

    static let noCompany = "(no company)"

    private func users() async throws -> [SalesEvent] {
        let departments: [Bitrix24API.Department] = try await all("department.get")
        let teams = departments.map { SalesEvent.team(Team(externalID: $0.id, name: $0.name)) }
        let known = Set(departments.map(\.id))
        let users: [Bitrix24API.User] = try await all("user.get")
        let reps = users.map { u -> SalesEvent in
            let name = [u.name, u.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            let department = u.ufDepartment?.first.map { String($0) }
            let team = department.flatMap { known.contains($0) ? EntityRef($0) : nil }
            return .rep(
                Rep(externalID: u.id, name: name.isEmpty ? "#\(u.id)" : name, role: .ae, team: team, email: u.email))
        }
        return teams + reps
    }

    /// Every deal stage of every pipeline → SalesKPI's stage: S won, F lost, the rest by name or id; names no
    /// map knows stop the sync with a stub.
    private func stageMap() async throws -> [String: (stage: DealStage, name: String)] {
        let statuses: [Bitrix24API.Status] = try await all("crm.status.list")
        var out: [String: (DealStage, String)] = [:]
        var unknown: [String] = []
        for s in statuses where s.entityId.hasPrefix("DEAL_STAGE") {
            switch s.extra?.semantics {
            case "success": out[s.statusId] = (.won, s.name)
            case "failure": out[s.statusId] = (.lost, s.name)
            default:
                if let stage = context.stage(id: s.statusId, name: s.name) {
                    out[s.statusId] = (stage, s.name)
                } else {
                    unknown.append(s.name)
                }
            }
        }
        guard unknown.isEmpty else { throw ConnectorError.unknownStages(Array(Set(unknown)).sorted()) }
        return out
    }

    private func deal(_ d: Bitrix24API.Deal) throws -> SalesEvent {
        let created = try Self.time(d.dateCreate)
        let cents = Money(((Double(d.opportunity ?? "0") ?? 0) * 100).rounded())
        let (amount, original) = try context.converted(cents, currency: d.currencyId, on: created)
        let company = d.companyId.flatMap { $0 == "0" || $0.isEmpty ? nil : $0 } ?? Self.noCompany
        var deal = Deal(
            externalID: d.id, account: EntityRef(company), owner: EntityRef(d.assignedById), createdAt: created,
            amount: amount)
        deal.original = original
        deal.product = d.title
        return .deal(deal)
    }

    /// A move as a stage change: into an open stage, or a close (a failure stage's name is the loss reason).
    private func move(_ h: Bitrix24API.HistoryItem, _ stageOf: [String: (stage: DealStage, name: String)])
        -> SalesEvent?
    {
        let semantic: DealStage? =
            switch h.stageSemanticId {
            case "S": .won
            case "F": .lost
            default: nil
            }
        guard let known = stageOf[h.stageId], let at = try? Self.time(h.createdTime) else { return nil }
        let stage = semantic ?? known.stage
        guard stage != .new else { return nil }
        var change = StageChange(externalID: "h\(h.id)", deal: EntityRef(h.ownerId), stage: stage, at: at)
        if stage == .lost { change.lostReason = known.name }
        return .stageChange(change)
    }

    /// Pages through a `DATE_MODIFY` listing from `position`, handing `body` each page and the position after it:
    /// from a later second, else the next page of this one (a bulk edit gives many records one second); after
    /// the last page, the next sync starts again at the latest second read.
    private func listing<Item: Bitrix24API.Modified>(
        _ method: String, from position: Position, select: [String], _ body: ([Item], Position) async throws -> Void
    ) async throws {
        var at = position
        let fields = select.map { ("select[]", $0) }
        let modified = Item.modifiedField
        while true {
            let filter = at.from.isEmpty ? [] : [("filter[>=\(modified)]", at.from)]
            let page = try await api.get(
                Bitrix24API.Page<Item>.self, Self.path(method),
                [("order[\(modified)]", "ASC"), ("order[ID]", "ASC"), ("start", "\(at.start)")] + filter + fields)
            let stamped = try page.result.map { (text: $0.dateModify, at: try Self.time($0.dateModify)) }
            let from = at.from.isEmpty ? Timestamp.min : try Self.time(at.from)
            let latest = stamped.max { $0.at < $1.at }
            let last = page.next == nil || page.result.isEmpty
            if let latest, latest.at > from || last {
                at = Position(from: latest.text, start: 0)
            } else {
                at.start += page.result.count
            }
            try await body(page.result, at)
            if last { return }
        }
    }

    private func all<Item: Decodable>(_ method: String) async throws -> [Item] {
        var out: [Item] = []
        var start = 0
        while true {
            let page = try await api.get(Bitrix24API.Page<Item>.self, Self.path(method), [("start", "\(start)")])
            out += page.result
            guard let next = page.next else { return out }
            start = next
        }
    }

    /// A method's path under the webhook: `/crm.deal.list.json`.
    private static func path(_ method: String) -> String { "/" + method + ".json" }

    /// A time as the portal writes it (`2026-01-01T13:00:00+03:00`), read as every connector reads one.
    static func time(_ text: String) throws -> Timestamp { try APITime.time(text, "time") }
}
