import Crypto
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local HubSpot account written from its CRM API v3 documentation (../shared/design/crm-formats.md §3b–3c), for
/// the connector's tests: Bearer tokens (401 `INVALID_AUTHENTICATION`, or `EXPIRED_AUTHENTICATION` once expired),
/// `GET /crm/v3/owners` and `/crm/v3/pipelines/deals`, `POST /crm/v3/objects/{companies,deals}/search` filtered
/// `GTE` on `hs_lastmodifieddate` (ms), sorted, `limit` at most 200 and `after` never past 10 000 (a 400 each),
/// `POST /crm/v3/objects/deals/batch/read` (100 ids at most) with `propertiesWithHistory` newest first,
/// `POST /crm/v4/associations/deals/companies/batch/read`; every value a string, times ISO with milliseconds; 429
/// without `Retry-After` above 4 searches a second or 100 calls in 10 seconds (or, when asked, on every n-th
/// call). It signs webhook batches as HubSpot does (`X-HubSpot-Signature-v3`).
public final class HubSpotSimulator: Sendable {
    public struct Owner: Sendable {
        public var id: Int
        public var firstName: String
        public var lastName: String
        public var team: Int
    }
    public struct Deal: Sendable {
        public var id: Int64
        public var name: String
        public var stage: String
        public var amount: String
        public var owner: Int?
        public var company: Int64?
        public var created: Int64
        public var modified: Int64
        /// Every `dealstage` value with its time (ms), oldest first.
        public var history: [(stage: String, at: Int64)]
        public var lostReason: String?
    }
    /// A call (`hs_call_duration` in ms) or, with `outcome` set, a meeting (`hs_timestamp` its start).
    public struct Engagement: Sendable {
        public var id: Int64
        public var owner: Int?
        public var created: Int64
        public var at: Int64
        public var durationMs: Int64 = 0
        /// A call's `hs_call_status` (`COMPLETED`, `NO_ANSWER`…) or a meeting's `hs_meeting_outcome`.
        public var status: String
        public var modified: Int64
    }
    public struct Data: Sendable {
        public var teams: [Int: String] = [:]
        public var owners: [Owner] = []
        public var companies: [(id: Int64, name: String, modified: Int64)] = []
        public var deals: [Deal] = []
        public var calls: [Engagement] = []
        public var meetings: [Engagement] = []
        /// Where each deal is in `deals`.
        var index: [Int64: Int] = [:]
    }

    /// The default pipeline: id, label, closed, probability.
    public static let stages: [(String, String, Bool, String)] = [
        ("appointmentscheduled", "Appointment Scheduled", false, "0.2"),
        ("qualifiedtobuy", "Qualified To Buy", false, "0.4"),
        ("presentationscheduled", "Presentation Scheduled", false, "0.6"),
        ("decisionmakerboughtin", "Decision Maker Bought-In", false, "0.8"),
        ("contractsent", "Contract Sent", false, "0.9"), ("closedwon", "Closed Won", true, "1.0"),
        ("closedlost", "Closed Lost", true, "0.0"),
    ]

    public let token: String
    /// The app's client secret: what its webhooks are signed with.
    public let clientSecret: String
    public let limitEvery: Int
    public let enforcesRate: Bool
    private let state: Mutex<State>
    private let server = LocalServer()

    struct State {
        var data: Data
        var calls = 0
        var expired = false
        var recent: [ContinuousClock.Instant] = []
        var searches: [ContinuousClock.Instant] = []
        var overLimit = 0
    }

    public init(
        data: Data, token: String = "pat-na1-sim", clientSecret: String = "client-secret-sim", limitEvery: Int = 0,
        enforcesRate: Bool = true
    ) {
        self.token = token
        self.clientSecret = clientSecret
        self.limitEvery = limitEvery
        self.enforcesRate = enforcesRate
        state = Mutex(State(data: data.sorted()))
    }

    public var calls: Int { state.withLock { $0.calls } }
    /// Calls refused for going over a rate (not the every-n-th refusals asked for).
    public var overLimit: Int { state.withLock { $0.overLimit } }
    public var data: Data { state.withLock { $0.data } }
    public func change(_ body: (inout Data) -> Void) {
        state.withLock {
            body(&$0.data)
            $0.data = $0.data.sorted()
        }
    }
    /// From now on the token is refused as expired.
    public func expireToken() { state.withLock { $0.expired = true } }

    /// The API's base once the server listens: `http://127.0.0.1:PORT`.
    public func start() async throws -> String {
        let router = Router()
        router.get("/crm/v3/owners") { request, _ in try self.answer(request, search: false) { self.owners($0) } }
        router.get("/crm/v3/pipelines/deals") { request, _ in
            try self.answer(request, search: false) { _ in (.ok, self.pipelines()) }
        }
        router.post("/crm/v3/objects/:type/search") { request, context in
            let type = context.parameters.get("type") ?? ""
            let body = try await Self.json(request)
            return try self.answer(request, search: true) { d in self.search(type, body, d) }
        }
        router.post("/crm/v3/objects/deals/batch/read") { request, _ in
            let body = try await Self.json(request)
            return try self.answer(request, search: false) { d in self.batchRead(body, d) }
        }
        router.post("/crm/v4/associations/deals/companies/batch/read") { request, _ in
            let body = try await Self.json(request)
            return try self.answer(request, search: false) { d in self.associations(body, d) }
        }
        return "http://127.0.0.1:\(try await server.start(router))"
    }

    public func stop() { server.stop() }

    /// A webhook batch as HubSpot posts it to `url` (`http://127.0.0.1:PORT/hooks/hubspot/SECRET`), signed at `ms`.
    public func webhook(_ events: [[String: Any]], to url: String, at ms: Int64) -> (
        body: Foundation.Data, headers: [String: String]
    ) {
        let body = (try? JSONSerialization.data(withJSONObject: events)) ?? Foundation.Data()
        let message = Foundation.Data(("POST" + url).utf8) + body + Foundation.Data("\(ms)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(
            for: message, using: SymmetricKey(data: Foundation.Data(clientSecret.utf8)))
        return (
            body,
            [
                "Content-Type": "application/json",
                "X-HubSpot-Signature-v3": Foundation.Data(mac).base64EncodedString(),
                "X-HubSpot-Request-Timestamp": "\(ms)", "X-HubSpot-Signature-Version": "v3",
            ]
        )
    }

    /// `2026-01-01T10:00:00.123Z`.
    public static func iso(_ ms: Int64) -> String {
        WireTime.utc(ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + WireTime.millis(ms) + "Z"
    }

    // MARK: answers

    private func answer(
        _ request: Request, search: Bool, _ body: (Data) -> (HTTPResponse.Status, Any)
    ) throws -> Response {
        let auth = request.headers[.authorization] ?? ""
        let (data, refusal) = state.withLock { s -> (Data, (HTTPResponse.Status, Any)?) in
            s.calls += 1
            let now = ContinuousClock.now
            s.recent = s.recent.filter { now - $0 < .seconds(10) } + [now]
            if search { s.searches = s.searches.filter { now - $0 < .seconds(1) } + [now] }
            if (limitEvery > 0 && s.calls % limitEvery == 0) || (enforcesRate && s.recent.count > 100) {
                if s.recent.count > 100 { s.overLimit += 1 }
                return (
                    s.data,
                    (
                        .tooManyRequests,
                        Self.error(
                            "You have reached your ten_secondly_rolling limit.", "RATE_LIMIT",
                            policy: "TEN_SECONDLY_ROLLING")
                    )
                )
            }
            if enforcesRate && search && s.searches.count > 4 {
                s.overLimit += 1
                return (
                    s.data,
                    (
                        .tooManyRequests,
                        Self.error("You have reached your secondly limit.", "RATE_LIMIT", policy: "SECONDLY")
                    )
                )
            }
            if auth != "Bearer \(token)" {
                return (
                    s.data,
                    (.unauthorized, Self.error("Authentication credentials not found.", "INVALID_AUTHENTICATION"))
                )
            }
            if s.expired {
                return (
                    s.data,
                    (
                        .unauthorized,
                        Self.error("The OAuth token used to make this call expired.", "EXPIRED_AUTHENTICATION")
                    )
                )
            }
            return (s.data, nil)
        }
        let (status, object) = refusal ?? body(data)
        let bytes = (try? JSONSerialization.data(withJSONObject: object)) ?? Foundation.Data()
        return Response(
            status: status, headers: [.contentType: "application/json;charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func error(_ message: String, _ category: String, policy: String? = nil) -> [String: Any] {
        var e: [String: Any] = [
            "status": "error", "message": message, "category": category, "correlationId": UUID().uuidString,
        ]
        if let policy {
            e["errorType"] = category
            e["policyName"] = policy
        }
        return e
    }

    private static func json(_ request: Request) async throws -> [String: Any] {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Foundation.Data(buffer: buffer)) as? [String: Any]) ?? [:]
    }

    private func owners(_ d: Data) -> (HTTPResponse.Status, Any) {
        (
            .ok,
            [
                "results": d.owners.map { o -> [String: Any] in
                    [
                        "id": "\(o.id)", "email": "\(o.firstName.lowercased())@firm.example", "firstName": o.firstName,
                        "lastName": o.lastName, "userId": 9_000 + o.id, "archived": false,
                        "teams": [["id": "\(o.team)", "name": d.teams[o.team] ?? "", "primary": true]],
                    ]
                }
            ]
        )
    }

    private func pipelines() -> [String: Any] {
        let stages = Self.stages.enumerated().map { i, s -> [String: Any] in
            [
                "id": s.0, "label": s.1, "displayOrder": i,
                "metadata": ["isClosed": s.2 ? "true" : "false", "probability": s.3],
            ]
        }
        return ["results": [["id": "default", "label": "Sales Pipeline", "displayOrder": 0, "stages": stages]]]
    }

    private func search(_ type: String, _ q: [String: Any], _ d: Data) -> (HTTPResponse.Status, Any) {
        let limit = q["limit"] as? Int ?? 10
        let after = Int(q["after"] as? String ?? "0") ?? 0
        guard limit <= 200 else {
            return (.badRequest, Self.error("limit must be less than or equal to 200", "VALIDATION_ERROR"))
        }
        guard after + limit <= 10_000 else {
            return (.badRequest, Self.error("Search results are limited to 10,000 records.", "VALIDATION_ERROR"))
        }
        let groups = q["filterGroups"] as? [[String: Any]] ?? []
        let filter = (groups.first?["filters"] as? [[String: Any]])?.first {
            $0["propertyName"] as? String == "hs_lastmodifieddate"
        }
        let from = Int64(filter?["value"] as? String ?? "") ?? .min
        // Every list is kept in (hs_lastmodifieddate, id) order: what matches starts where a binary search puts it,
        // and only the page's rows are written out.
        let page: [(id: Int64, modified: Int64, properties: [String: Any])]
        let total: Int
        switch type {
        case "companies":
            let rows = d.companies.since(from, by: \.modified)
            (total, page) = (
                rows.count, rows.dropFirst(after).prefix(limit).map { ($0.id, $0.modified, ["name": $0.name]) }
            )
        case "deals":
            let rows = d.deals.since(from, by: \.modified)
            (total, page) = (rows.count, rows.dropFirst(after).prefix(limit).map { ($0.id, $0.modified, [:]) })
        case "calls":
            let rows = d.calls.since(from, by: \.modified)
            total = rows.count
            page = rows.dropFirst(after).prefix(limit).map { c in
                let p: [String: Any] = [
                    "hs_timestamp": Self.iso(c.at), "hs_call_duration": "\(c.durationMs)", "hs_call_status": c.status,
                    "hs_call_disposition": c.status == "COMPLETED" ? "f240bbac-87c9-4f6e-bf70-924b57d47db7" : NSNull(),
                    "hubspot_owner_id": c.owner.map { "\($0)" } ?? NSNull(), "hs_createdate": Self.iso(c.created),
                ]
                return (c.id, c.modified, p)
            }
        case "meetings":
            let rows = d.meetings.since(from, by: \.modified)
            total = rows.count
            page = rows.dropFirst(after).prefix(limit).map { m in
                let p: [String: Any] = [
                    "hs_timestamp": Self.iso(m.at), "hs_meeting_start_time": Self.iso(m.at),
                    "hs_meeting_outcome": m.status, "hubspot_owner_id": m.owner.map { "\($0)" } ?? NSNull(),
                    "hs_createdate": Self.iso(m.created),
                ]
                return (m.id, m.modified, p)
            }
        default: return (.notFound, Self.error("Unknown object type \(type)", "OBJECT_NOT_FOUND"))
        }
        let results = page.map { r -> [String: Any] in
            var p = r.properties
            p["hs_object_id"] = "\(r.id)"
            p["hs_lastmodifieddate"] = Self.iso(r.modified)
            return ["id": "\(r.id)", "properties": p, "archived": false, "updatedAt": Self.iso(r.modified)]
        }
        var out: [String: Any] = ["total": total, "results": results]
        if after + limit < total { out["paging"] = ["next": ["after": "\(after + limit)"]] }
        return (.ok, out)
    }

    private func batchRead(_ q: [String: Any], _ d: Data) -> (HTTPResponse.Status, Any) {
        let ids = (q["inputs"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String).flatMap { Int64($0) } }
        guard ids.count <= 100 else {
            return (.badRequest, Self.error("Too many inputs: at most 100", "VALIDATION_ERROR"))
        }
        let history = (q["propertiesWithHistory"] as? [String] ?? []).contains("dealstage")
        let results = ids.compactMap { d.index[$0].map { d.deals[$0] } }.map { deal -> [String: Any] in
            var p: [String: Any] = [
                "dealname": deal.name, "amount": deal.amount, "deal_currency_code": "RUB", "dealstage": deal.stage,
                "pipeline": "default", "createdate": Self.iso(deal.created),
                "hs_lastmodifieddate": Self.iso(deal.modified),
                "closed_lost_reason": deal.lostReason ?? NSNull(),
                "hubspot_owner_id": deal.owner.map { "\($0)" } ?? NSNull(),
            ]
            p["hs_object_id"] = "\(deal.id)"
            var out: [String: Any] = ["id": "\(deal.id)", "properties": p, "archived": false]
            if history {
                out["propertiesWithHistory"] = [
                    "dealstage": deal.history.reversed().map {
                        [
                            "value": $0.stage, "timestamp": Self.iso($0.at), "sourceType": "CRM_UI",
                            "sourceId": "userId:1",
                        ]
                    }
                ]
            }
            return out
        }
        return (
            results.count == ids.count ? .ok : HTTPResponse.Status(code: 207),
            ["status": "COMPLETE", "results": results]
        )
    }

    private func associations(_ q: [String: Any], _ d: Data) -> (HTTPResponse.Status, Any) {
        let wanted = Set(
            (q["inputs"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String).flatMap { Int64($0) } })
        let deals = wanted.compactMap { d.index[$0].map { d.deals[$0] } }.filter { $0.company != nil }
        let results = deals.map { deal -> [String: Any] in
            [
                "from": ["id": "\(deal.id)"],
                "to": [
                    [
                        "toObjectId": deal.company!,
                        "associationTypes": [["category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"]],
                    ]
                ],
            ]
        }
        return (.ok, ["status": "COMPLETE", "results": results])
    }
}

extension HubSpotSimulator.Data {
    /// Deals and companies by (`hs_lastmodifieddate`, id): the order a search sorts them in.
    func sorted() -> Self {
        var d = self
        d.deals.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.companies.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.calls.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.meetings.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.index = Dictionary(uniqueKeysWithValues: d.deals.enumerated().map { ($1.id, $0) })
        return d
    }
}
