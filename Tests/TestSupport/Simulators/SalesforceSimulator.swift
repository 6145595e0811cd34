import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A local Salesforce org written from its REST API documentation (../shared/design/crm-formats.md §5b–5c), for
/// the connector's tests: Bearer sessions (401 `INVALID_SESSION_ID`), SOQL through `query?q=` for the queries a
/// sync makes (`SELECT … FROM … [WHERE SystemModstamp > T OR (SystemModstamp = T AND Id > 'X')] ORDER BY
/// SystemModstamp, Id`; a field the org lacks is 400 `INVALID_FIELD`, any other query 400 `MALFORMED_QUERY`),
/// batches of `batchSize` with `done` and `nextRecordsUrl` over the results as they were when the query ran,
/// `sobjects/Opportunity/describe` (`CurrencyIsoCode` only in a multi-currency org), `Sforce-Limit-Info` on
/// every answer and 403 `REQUEST_LIMIT_EXCEEDED` past the daily budget, 503 on every n-th call when asked. It
/// writes Outbound Messages as a workflow sends them.
public final class SalesforceSimulator: Sendable {
    public struct Opportunity: Sendable {
        public var id: String
        public var name: String
        public var account: String?
        public var owner: String
        public var stage: String
        public var amount: Double
        public var currency: String
        public var closeDate: String
        public var created: Int64
        public var stamp: Int64
    }
    public struct History: Sendable {
        public var id: String
        public var opportunity: String
        public var stage: String
        public var created: Int64
        public init(id: String, opportunity: String, stage: String, created: Int64) {
            self.id = id
            self.opportunity = opportunity
            self.stage = stage
            self.created = created
        }
    }
    public struct Task: Sendable {
        public var id: String
        public var owner: String
        public var what: String?
        /// `Call`, `Email` or `Task`.
        public var subtype: String
        public var seconds: Int?
        public var closed: Bool
        public var completed: Int64
        public var stamp: Int64
    }
    public struct Event: Sendable {
        public var id: String
        public var owner: String
        public var what: String?
        public var at: Int64
        public var created: Int64
        public var stamp: Int64
    }
    public struct Data: Sendable {
        public var organization = "00D5g000004SIMQEA0"
        public var multiCurrency = true
        public var roles: [String: String] = [:]
        public var users: [(id: String, name: String, role: String?)] = []
        public var accounts: [(id: String, name: String, stamp: Int64)] = []
        public var opportunities: [Opportunity] = []
        public var history: [History] = []
        public var tasks: [Task] = []
        public var events: [Event] = []
    }

    /// The standard sales process: name, closed, won.
    /// The forecast category Salesforce gives each default stage.
    public static func forecastCategory(_ stage: String) -> String {
        switch stage {
        case "Closed Won": "Closed"
        case "Closed Lost": "Omitted"
        case "Negotiation/Review": "Commit"
        case "Perception Analysis", "Proposal/Price Quote": "Best Case"
        default: "Pipeline"
        }
    }

    public static let stages: [(String, Bool, Bool)] = [
        ("Prospecting", false, false), ("Qualification", false, false), ("Needs Analysis", false, false),
        ("Value Proposition", false, false), ("Id. Decision Makers", false, false),
        ("Perception Analysis", false, false), ("Proposal/Price Quote", false, false),
        ("Negotiation/Review", false, false), ("Closed Won", true, true), ("Closed Lost", true, false),
    ]

    public let token: String
    public let batchSize: Int
    public let dailyLimit: Int
    public let failEvery: Int
    private let state: Mutex<State>
    private let server = LocalServer()

    /// Guarded by the mutex; the stored query results are JSON objects.
    struct State: @unchecked Sendable {
        var data: Data
        var calls = 0
        var used: Int
        var expired = false
        /// Each query's results as they were when it ran, by locator.
        var cursors: [String: [[String: Any]]] = [:]
    }

    public init(
        data: Data, token: String = "00D5g000004SIMQ!sim-session", batchSize: Int = 2_000, dailyLimit: Int = 100_000,
        usedBefore: Int = 0, failEvery: Int = 0
    ) {
        self.token = token
        self.batchSize = batchSize
        self.dailyLimit = dailyLimit
        self.failEvery = failEvery
        state = Mutex(State(data: data, used: usedBefore))
    }

    public var calls: Int { state.withLock { $0.calls } }
    public var data: Data { state.withLock { $0.data } }
    public func change(_ body: (inout Data) -> Void) { state.withLock { body(&$0.data) } }
    public func expireSession() { state.withLock { $0.expired = true } }

    /// The instance URL once the server listens: `http://127.0.0.1:PORT`.
    public func start() async throws -> String {
        let router = Router()
        let root = "/services/data/v60.0"
        router.get("\(root)/query") { request, _ in
            let q = request.uri.queryParameters["q"].map { String($0).removingPercentEncoding ?? String($0) } ?? ""
            return self.answer(request) { s in self.query(q, &s) }
        }
        router.get("\(root)/query/:locator") { request, context in
            let locator = context.parameters.get("locator") ?? ""
            return self.answer(request) { s in self.more(locator, &s) }
        }
        router.get("\(root)/sobjects/Opportunity/describe") { request, _ in
            self.answer(request) { s in
                var fields = ["Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "CloseDate", "IsClosed"]
                fields +=
                    ["IsWon", "CreatedDate", "SystemModstamp"] + (s.data.multiCurrency ? ["CurrencyIsoCode"] : [])
                return (.ok, ["name": "Opportunity", "fields": fields.map { ["name": $0] }])
            }
        }
        return "http://127.0.0.1:\(try await server.start(router))"
    }

    public func stop() { server.stop() }

    /// `2026-01-01T10:00:00.000+0000`.
    public static func stamp(_ t: Int64) -> String { WireTime.utc(t) + ".000+0000" }
    static func time(_ literal: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (f.date(from: literal) ?? ISO8601DateFormatter().date(from: literal)).map {
            Int64($0.timeIntervalSince1970)
        }
    }

    /// An Outbound Message for `opportunities`, as a workflow rule on Opportunity sends it.
    /// Each delivery of a new message carries new notification ids (`batch`); a resend, the same.
    public func outboundMessage(_ opportunities: [String], organization: String? = nil, batch: Int = 0) -> String {
        let d = data
        let notes = opportunities.enumerated().map { i, id -> String in
            let o = d.opportunities.first { $0.id == id }!
            return """
                <notification><Id>04l5g0000SIM\(batch)N\(i)A</Id><sObject xsi:type="sf:Opportunity" \
                xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>\(o.id)</sf:Id>\
                <sf:StageName>\(o.stage)</sf:StageName><sf:Amount>\(o.amount)</sf:Amount>\
                <sf:OwnerId>\(o.owner)</sf:OwnerId></sObject></notification>
                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">\
            <OrganizationId>\(organization ?? d.organization)</OrganizationId><ActionId>04k5g000000SIMAAA</ActionId>\
            <SessionId xsi:nil="true"/>\
            <EnterpriseUrl>https://firm.my.salesforce.com/services/Soap/c/60.0/00D</EnterpriseUrl>\
            <PartnerUrl>https://firm.my.salesforce.com/services/Soap/u/60.0/00D</PartnerUrl>\
            \(notes.joined())</notifications></soapenv:Body></soapenv:Envelope>
            """
    }

    // MARK: answers

    private func answer(_ request: Request, _ body: (inout State) -> (HTTPResponse.Status, Any)) -> Response {
        let auth = request.headers[.authorization] ?? ""
        let (status, object, used) = state.withLock { s -> (HTTPResponse.Status, Any, Int) in
            s.calls += 1
            s.used += 1
            if failEvery > 0 && s.calls % failEvery == 0 {
                return (.serviceUnavailable, Self.error("Server temporarily unavailable", "SERVER_UNAVAILABLE"), s.used)
            }
            if auth != "Bearer \(token)" || s.expired {
                return (.unauthorized, Self.error("Session expired or invalid", "INVALID_SESSION_ID"), s.used)
            }
            if s.used > dailyLimit {
                return (.forbidden, Self.error("TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED"), s.used)
            }
            let (status, object) = body(&s)
            return (status, object, s.used)
        }
        let bytes = (try? JSONSerialization.data(withJSONObject: object)) ?? Foundation.Data()
        return Response(
            status: status,
            headers: [
                .contentType: "application/json;charset=UTF-8",
                HTTPField.Name("Sforce-Limit-Info")!: "api-usage=\(used)/\(dailyLimit)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func error(_ message: String, _ code: String) -> [[String: Any]] {
        [["message": message, "errorCode": code]]
    }

    /// The queries a sync makes: the fields, the object, and the keyset after which to read.
    private func query(_ soql: String, _ s: inout State) -> (HTTPResponse.Status, Any) {
        let pattern =
            #"^SELECT (.+) FROM (\w+)(?: WHERE SystemModstamp > (\S+) OR \(SystemModstamp = (\S+) AND Id > '(\w*)'\))?"#
            + #"(?: ORDER BY SystemModstamp, Id)?$"#
        guard let match = soql.wholeMatch(of: try! Regex(pattern)) else {
            return (.badRequest, Self.error("unexpected token: \(soql.prefix(40))", "MALFORMED_QUERY"))
        }
        let text = { (i: Int) in match.output[i].substring.map(String.init) }
        let fields = (text(1) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let object = text(2) ?? ""
        guard let all = rows(object, s.data) else {
            return (.badRequest, Self.error("sObject type '\(object)' is not supported.", "INVALID_TYPE"))
        }
        let has = { (f: String) in all.first.map { $0[f.components(separatedBy: ".")[0]] != nil } ?? true }
        if let bad = fields.first(where: { !has($0) }) {
            return (.badRequest, Self.error("No such column '\(bad)' on entity '\(object)'.", "INVALID_FIELD"))
        }
        var selected = all
        if let after = text(3).flatMap(Self.time), let id = text(5) {
            selected = all.filter { r in
                let stamp = r["_stamp"] as! Int64
                return stamp > after || (stamp == after && (r["Id"] as! String) > id)
            }
        }
        selected.sort { ($0["_stamp"] as! Int64, $0["Id"] as! String) < ($1["_stamp"] as! Int64, $1["Id"] as! String) }
        let records = selected.map { r -> [String: Any] in
            var out: [String: Any] = [
                "attributes": ["type": object, "url": "/services/data/v60.0/sobjects/\(object)/\(r["Id"]!)"]
            ]
            for f in fields {
                let top = f.components(separatedBy: ".")[0]
                out[top] = r[top]
            }
            return out
        }
        let locator = "01gSIM\(s.calls)"
        s.cursors[locator] = records
        return (.ok, batch(locator, from: 0, of: records))
    }

    private func more(_ locator: String, _ s: inout State) -> (HTTPResponse.Status, Any) {
        let parts = locator.split(separator: "-")
        guard parts.count == 2, let records = s.cursors[String(parts[0])], let from = Int(parts[1]) else {
            return (.badRequest, Self.error("invalid query locator", "INVALID_QUERY_LOCATOR"))
        }
        return (.ok, batch(String(parts[0]), from: from, of: records))
    }

    private func batch(_ locator: String, from: Int, of records: [[String: Any]]) -> [String: Any] {
        let done = from + batchSize >= records.count
        var out: [String: Any] = [
            "totalSize": records.count, "done": done, "records": Array(records.dropFirst(from).prefix(batchSize)),
        ]
        if !done { out["nextRecordsUrl"] = "/services/data/v60.0/query/\(locator)-\(from + batchSize)" }
        return out
    }

    /// Every record of `object` with every field it has (`_stamp` its `SystemModstamp` as a number).
    private func rows(_ object: String, _ d: Data) -> [[String: Any]]? {
        let null = NSNull()
        switch object {
        case "OpportunityStage":
            return Self.stages.enumerated().map { i, s in
                [
                    "Id": "01J\(i)", "ApiName": s.0, "MasterLabel": s.0, "IsClosed": s.1, "IsWon": s.2,
                    "_stamp": Int64(0),
                ]
            }
        case "User":
            return d.users.map { u in
                let role: Any =
                    u.role.map { ["attributes": ["type": "UserRole"], "Name": d.roles[$0] ?? ""] as Any } ?? null
                return [
                    "Id": u.id, "Name": u.name, "Email": "\(u.id)@firm.example", "UserRoleId": u.role ?? null as Any,
                    "UserRole": role, "SystemModstamp": Self.stamp(0), "_stamp": Int64(0),
                ]
            }
        case "Account":
            return d.accounts.map {
                ["Id": $0.id, "Name": $0.name, "SystemModstamp": Self.stamp($0.stamp), "_stamp": $0.stamp]
            }
        case "Opportunity":
            return d.opportunities.map { o in
                var r: [String: Any] = [
                    "Id": o.id, "Name": o.name, "AccountId": o.account ?? null as Any, "OwnerId": o.owner,
                    "StageName": o.stage, "Amount": o.amount, "CloseDate": o.closeDate,
                    "IsClosed": o.stage.hasPrefix("Closed"), "IsWon": o.stage == "Closed Won",
                    "CreatedDate": Self.stamp(o.created), "SystemModstamp": Self.stamp(o.stamp), "_stamp": o.stamp,
                ]
                if d.multiCurrency { r["CurrencyIsoCode"] = o.currency }
                return r
            }
        case "OpportunityHistory":
            let closeDates = Dictionary(d.opportunities.map { ($0.id, $0.closeDate) }, uniquingKeysWith: { a, _ in a })
            return d.history.map { h in
                [
                    "Id": h.id, "OpportunityId": h.opportunity, "StageName": h.stage,
                    "ForecastCategory": Self.forecastCategory(h.stage), "CloseDate": closeDates[h.opportunity] ?? null,
                    "CreatedDate": Self.stamp(h.created),
                    "SystemModstamp": Self.stamp(h.created), "_stamp": h.created,
                ]
            }
        case "Task":
            return d.tasks.map { t in
                [
                    "Id": t.id, "OwnerId": t.owner, "WhatId": t.what ?? null as Any, "TaskSubtype": t.subtype,
                    "Type": t.subtype == "Task" ? null : t.subtype as Any,
                    "CallDurationInSeconds": t.seconds ?? null as Any,
                    "CallDisposition": t.seconds == nil ? null : "Connected" as Any, "IsClosed": t.closed,
                    "ActivityDate": String(Self.stamp(t.completed).prefix(10)),
                    "CompletedDateTime": t.closed ? Self.stamp(t.completed) : null as Any,
                    "CreatedDate": Self.stamp(t.completed - 3_600), "SystemModstamp": Self.stamp(t.stamp),
                    "_stamp": t.stamp,
                ]
            }
        case "Event":
            return d.events.map { e in
                [
                    "Id": e.id, "OwnerId": e.owner, "WhatId": e.what ?? null as Any,
                    "ActivityDateTime": Self.stamp(e.at), "ActivityDate": String(Self.stamp(e.at).prefix(10)),
                    "CreatedDate": Self.stamp(e.created), "SystemModstamp": Self.stamp(e.stamp), "_stamp": e.stamp,
                ]
            }
        default: return nil
        }
    }
}
