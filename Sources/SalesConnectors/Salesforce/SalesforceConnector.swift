import Foundation
import SalesCore
import SalesImport

/// Salesforce through its REST API with an OAuth access token: users and their roles become reps and teams,
/// accounts accounts, opportunities deals (in their `CurrencyIsoCode` where the org keeps several, converted at
/// their `CloseDate`), every `OpportunityHistory` row a move dated by its `CreatedDate` (a stage `IsWon` a win,
/// another closed one a loss; the rest by name as the salesforce-export preset maps them, plus the connection's
/// own), closed call tasks calls, e-mail tasks e-mails, and events meetings booked when created and held at their
/// time — the same records the Data Export gives.
///
/// Incremental: each object by SOQL ordered by `SystemModstamp, Id`, the cursor the last pair stored (a keyset: a
/// query stopped mid-way starts again after the last record kept). Salesforce has no per-second limit but a
/// daily budget the org's integrations share: the sync stops when `Sforce-Limit-Info` says 90 % of it is spent.
public final class SalesforceConnector: CRMConnector, @unchecked Sendable {
    public let crm = "salesforce"
    let api: CRMEndpoint
    let context: ConnectorContext
    /// The share of the daily API budget a sync may bring the org to.
    static let budgetShare = 0.9

    public var requests: Int { api.http.requests }

    public init(
        settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar,
        backoff: Duration = .seconds(1), perSecond: Double = 20
    ) throws {
        api = try CRMEndpoint(
            settings, headers: ["Authorization": "Bearer \(settings.token)", "Accept": "application/json"],
            perSecond: perSecond, backoff: backoff, decoder: SalesforceAPI.decoder)
        context = try ConnectorContext(
            settings: settings, preset: "salesforce-export", conversion: conversion, calendar: calendar)
        api.http.check = { response in
            guard let info = response.value(forHTTPHeaderField: "Sforce-Limit-Info"),
                let usage = info.split(separator: ",").first(where: { $0.contains("api-usage=") })
            else { return }
            let parts = usage.split(separator: "=").last?.split(separator: "/").compactMap { Int($0) } ?? []
            if parts.count == 2, Double(parts[0]) >= Self.budgetShare * Double(parts[1]) {
                throw ConnectorError.budgetSpent(used: parts[0], limit: parts[1])
            }
        }
    }

    struct Cursor: Codable {
        var accounts = Position()
        var opportunities = Position()
        var history = Position()
        var tasks = Position()
        var events = Position()
    }
    /// The last record stored: its `SystemModstamp` (as SOQL writes a time) and `Id`.
    struct Position: Codable {
        var stamp = ""
        var id = ""
    }

    public func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var at = try cursor.map { try JSONDecoder().decode(Cursor.self, from: Data($0.utf8)) } ?? Cursor()
        let text = { (c: Cursor) in String(decoding: try JSONEncoder().encode(c), as: UTF8.self) }
        try await page(SyncPage(label: "User", records: try await users(), cursor: try text(at)))
        let stages = try await stageMap()
        try await query("Id, Name, SystemModstamp", from: "Account", after: at.accounts) {
            (list: [SalesforceAPI.Account], next) in
            at.accounts = next
            let accounts = list.map { SalesEvent.account(Account(externalID: $0.id, name: $0.name ?? $0.id)) }
            try await page(SyncPage(label: "Account", records: accounts, cursor: try text(at)))
        }
        let fields = try await opportunityFields()
        let noAccount = SalesEvent.account(Account(externalID: Self.noAccount, name: Self.noAccount))
        try await query(fields, from: "Opportunity", after: at.opportunities) {
            (list: [SalesforceAPI.Opportunity], next) in
            at.opportunities = next
            let deals = try [noAccount] + list.map(self.deal)
            try await page(SyncPage(label: "Opportunity", records: deals, cursor: try text(at)))
        }
        try await query(
            "Id, OpportunityId, StageName, ForecastCategory, CloseDate, CreatedDate, SystemModstamp",
            from: "OpportunityHistory", after: at.history
        ) {
            (list: [SalesforceAPI.History], next) in
            at.history = next
            let moves = try list.compactMap { try self.move($0, stages) }
            // A row of an opportunity deleted since is not stored: not an error.
            try await page(
                SyncPage(
                    label: "OpportunityHistory", records: moves, cursor: try text(at), skipsUnknownReferences: true))
        }
        let taskFields =
            "Id, OwnerId, WhatId, TaskSubtype, Type, CallDurationInSeconds, CallDisposition, IsClosed, ActivityDate, "
            + "CompletedDateTime, CreatedDate, SystemModstamp"
        try await query(taskFields, from: "Task", after: at.tasks) { (list: [SalesforceAPI.Task], next) in
            at.tasks = next
            let activities = try list.compactMap { try self.activity($0) }
            // A task of a user or opportunity the store does not have (a queue's, a deleted one's) is left out.
            try await page(
                SyncPage(label: "Task", records: activities, cursor: try text(at), skipsUnknownReferences: true))
        }
        try await query(
            "Id, OwnerId, WhatId, ActivityDateTime, ActivityDate, CreatedDate, SystemModstamp", from: "Event",
            after: at.events
        ) {
            (list: [SalesforceAPI.Event], next) in
            at.events = next
            let meetings = try list.flatMap { try self.meeting($0) }
            try await page(
                SyncPage(label: "Event", records: meetings, cursor: try text(at), skipsUnknownReferences: true))
        }
    }

    static let noAccount = "(no account)"

    /// Every user, each in its role's team.
    private func users() async throws -> [SalesEvent] {
        var teams: [String: SalesEvent] = [:]
        var reps: [SalesEvent] = []
        try await query("Id, Name, Email, UserRoleId, UserRole.Name, SystemModstamp", from: "User", after: Position()) {
            (list: [SalesforceAPI.User], _) in
            for u in list {
                if let role = u.userRoleId {
                    teams[role] = .team(Team(externalID: role, name: u.userRole?.name ?? role))
                }
                reps.append(
                    .rep(
                        Rep(
                            externalID: u.id, name: u.name ?? u.id, role: .ae, team: u.userRoleId.map { EntityRef($0) },
                            email: u.email)))
            }
        }
        return teams.sorted { $0.key < $1.key }.map(\.value) + reps
    }

    /// The org's stages: won and lost by `IsWon`/`IsClosed`, the rest by name; names no map knows stop the sync.
    private func stageMap() async throws -> [String: DealStage] {
        var out: [String: DealStage] = [:]
        var unknown: [String] = []
        let soql = "SELECT ApiName, MasterLabel, IsClosed, IsWon FROM OpportunityStage"
        try await batches(soql) { (list: [SalesforceAPI.Stage]) in
            for s in list {
                let stage = s.isClosed ? (s.isWon ? .won : .lost) : context.stage(id: s.apiName, name: s.masterLabel)
                if let stage {
                    out[s.apiName] = stage
                    out[s.masterLabel] = stage
                } else {
                    unknown.append(s.masterLabel)
                }
            }
        }
        guard unknown.isEmpty else { throw ConnectorError.unknownStages(Array(Set(unknown)).sorted()) }
        return out
    }

    /// The opportunity's fields to read: `CurrencyIsoCode` only where the org has it (else SOQL refuses it).
    private func opportunityFields() async throws -> String {
        let path = "/services/data/\(SalesforceAPI.version)/sobjects/Opportunity/describe"
        let names = Set(try await api.get(SalesforceAPI.Describe.self, path).fields.map(\.name))
        let wanted = [
            "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "CurrencyIsoCode", "CloseDate", "IsClosed",
            "CreatedDate", "SystemModstamp",
        ]
        return wanted.filter { names.contains($0) || $0 != "CurrencyIsoCode" }.joined(separator: ", ")
    }

    private func deal(_ o: SalesforceAPI.Opportunity) throws -> SalesEvent {
        let path = "Opportunity/\(o.id)"
        let created = try APITime.time(o.createdDate, path)
        let closeDay = try o.closeDate.map { try APITime.time($0, path) }
        let cents = Money(((o.amount ?? 0) * 100).rounded())
        let (amount, original) = try context.converted(cents, currency: o.currencyIsoCode, on: closeDay ?? created)
        var deal = Deal(
            externalID: o.id, account: EntityRef(o.accountId ?? Self.noAccount), owner: EntityRef(o.ownerId),
            createdAt: created, amount: amount)
        deal.original = original
        deal.product = o.name
        return .deal(deal)
    }

    private func move(_ h: SalesforceAPI.History, _ stages: [String: DealStage]) throws -> SalesEvent? {
        guard let name = h.stageName, let stage = stages[name], stage != .new else { return nil }
        let at = try APITime.time(h.createdDate, "OpportunityHistory/\(h.id)")
        var move = StageChange(externalID: h.id, deal: EntityRef(h.opportunityId), stage: stage, at: at)
        // The reps' commit as it stood: kept for the backtest's crm_commit.
        move.forecastCategory = h.forecastCategory
        move.expectedClose = h.closeDate.flatMap { CivilDate(iso: $0.prefix(10))?.dayNumber }
        return .stageChange(move)
    }

    /// A closed task as the call, e-mail or meeting it was (by its subtype, its type, or a call's duration).
    private func activity(_ t: SalesforceAPI.Task) throws -> SalesEvent? {
        guard t.isClosed == true, let owner = t.ownerId else { return nil }
        let kind = t.taskSubtype ?? t.type
        let type: ActivityType? =
            switch kind {
            case "Call": .call
            case "Email": .email
            case "Meeting": .meetingHeld
            default: t.callDurationInSeconds != nil ? .call : nil
            }
        guard let type else { return nil }
        let at = try APITime.time(t.completedDateTime ?? t.activityDate ?? t.createdDate, "Task/\(t.id)")
        var activity = Activity(externalID: t.id, rep: EntityRef(owner), type: type, at: at)
        activity.durationSeconds = Int32(clamping: t.callDurationInSeconds ?? 0)
        activity.outcome = t.callDisposition
        activity.deal = t.whatId.flatMap { $0.hasPrefix("006") ? EntityRef($0) : nil }  // 006: an opportunity's id
        return .activity(activity)
    }

    /// An event: a meeting booked when it was created, held at its time.
    private func meeting(_ e: SalesforceAPI.Event) throws -> [SalesEvent] {
        guard let owner = e.ownerId else { return [] }
        let path = "Event/\(e.id)"
        let booked = Activity(
            externalID: "\(e.id):booked", rep: EntityRef(owner), type: .meetingBooked,
            at: try APITime.time(e.createdDate, path))
        guard let time = e.activityDateTime ?? e.activityDate else { return [.activity(booked)] }
        var held = Activity(
            externalID: e.id, rep: EntityRef(owner), type: .meetingHeld, at: try APITime.time(time, path))
        held.deal = e.whatId.flatMap { $0.hasPrefix("006") ? EntityRef($0) : nil }
        return [.activity(booked), .activity(held)]
    }

    /// Reads `object` after `position` in `SystemModstamp, Id` order, handing `body` each batch and the last
    /// record's position.
    private func query<Record: SalesforceAPI.Stamped>(
        _ fields: String, from object: String, after position: Position,
        _ body: ([Record], Position) async throws -> Void
    ) async throws {
        var soql = "SELECT \(fields) FROM \(object)"
        if !position.stamp.isEmpty {
            let id = position.id.replacingOccurrences(of: "'", with: "")
            soql += " WHERE SystemModstamp > \(position.stamp) OR (SystemModstamp = \(position.stamp) AND Id > '\(id)')"
        }
        soql += " ORDER BY SystemModstamp, Id"
        var at = position
        try await batches(soql) { (list: [Record]) in
            if let last = list.last { at = Position(stamp: Self.literal(last.systemModstamp), id: last.id) }
            try await body(list, at)
        }
    }

    /// A query's batches: the first from `q`, the next from each `nextRecordsUrl` until `done`.
    private func batches<Record: Decodable>(_ soql: String, _ body: ([Record]) async throws -> Void) async throws {
        var url = try api.url("/services/data/\(SalesforceAPI.version)/query", [("q", soql)])
        while true {
            let batch = try await api.get(SalesforceAPI.Query<Record>.self, url)
            try await body(batch.records)
            guard !batch.done, let next = batch.nextRecordsUrl else { return }
            url = try api.url(next)
        }
    }

    /// `2026-01-01T10:00:00.000+0000` → `2026-01-01T10:00:00.000Z`, as SOQL takes a time.
    static func literal(_ stamp: String) -> String {
        stamp.hasSuffix("+0000") ? String(stamp.dropLast(5)) + "Z" : stamp
    }
}
