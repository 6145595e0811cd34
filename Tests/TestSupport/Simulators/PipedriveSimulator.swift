import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A local Pipedrive company written from its API documentation (../shared/design/crm-formats.md §4b–4c), for
/// the connector's tests: the `x-api-token` header (or `api_token`; 401 `unauthorized access` otherwise), v1
/// `users` and `deals/{id}/flow` (offset pages with `additional_data.pagination`, 100 at most; field changes mixed
/// with activities and notes, v1 times), v2 `stages`, `organizations`, `deals` and `activities` (`updated_since`,
/// `sort_by=update_time`, `limit` at most 500 else a 400, an opaque `cursor` and `additional_data.next_cursor`,
/// RFC 3339 times); 429 with `x-ratelimit-reset` above 20 calls in 2 seconds (or, when asked, on every n-th
/// call). It sends webhooks v2 (`meta`, `data`, `previous`) with the HTTP Basic credentials set on them.
public final class PipedriveSimulator: Sendable {
    public struct Deal: Sendable {
        public var id: Int64
        public var title: String
        public var owner: Int64
        public var organization: Int64?
        public var stage: Int64
        /// `open`, `won` or `lost`.
        public var status: String
        public var value: Double
        public var added: Int64
        public var updated: Int64
        public var closed: Int64?
        public var lostReason: String?
        /// The `stage_id` changes: change id, from, to, time.
        public var moves: [(id: Int64, from: Int64, to: Int64, at: Int64)] = []
    }
    public struct Activity: Sendable {
        public var id: Int64
        /// `call`, `meeting`, `email`, `task`…
        public var type: String
        public var owner: Int64
        public var deal: Int64?
        public var done: Bool
        public var due: Int64
        /// Minutes.
        public var minutes: Int
        public var added: Int64
        public var updated: Int64
    }
    public struct Data: Sendable {
        public var users: [(id: Int64, name: String)] = []
        public var organizations: [(id: Int64, name: String, updated: Int64)] = []
        public var deals: [Deal] = []
        public var activities: [Activity] = []
        /// Where each deal is in `deals`.
        var index: [Int64: Int] = [:]
    }

    /// The default pipeline's stages.
    public static let stages: [(Int64, String)] = [
        (1, "Qualified"), (2, "Contact Made"), (3, "Demo Scheduled"), (4, "Proposal Made"),
        (5, "Negotiations Started"),
    ]

    public let token: String
    public let limitEvery: Int
    public let enforcesRate: Bool
    private let state: Mutex<(data: Data, calls: Int, recent: [ContinuousClock.Instant], overLimit: Int)>
    private let server = LocalServer()

    public init(data: Data, token: String = "pd-sim-token", limitEvery: Int = 0, enforcesRate: Bool = true) {
        self.token = token
        self.limitEvery = limitEvery
        self.enforcesRate = enforcesRate
        state = Mutex((data.sorted(), 0, [], 0))
    }

    public var calls: Int { state.withLock { $0.calls } }
    /// Calls refused for going over 20 in 2 seconds (not the every-n-th refusals asked for).
    public var overLimit: Int { state.withLock { $0.overLimit } }
    public var data: Data { state.withLock { $0.data } }
    public func change(_ body: (inout Data) -> Void) {
        state.withLock {
            body(&$0.data)
            $0.data = $0.data.sorted()
        }
    }

    /// The company's API base once the server listens: `http://127.0.0.1:PORT`.
    public func start() async throws -> String {
        let router = Router()
        router.get("/api/v1/users") { request, _ in
            self.answer(request) { d, _ in
                (.ok, ["success": true, "data": d.users.map { ["id": $0.id, "name": $0.name, "active_flag": true] }])
            }
        }
        router.get("/api/v1/deals/:id/flow") { request, context in
            let id = Int64(context.parameters.get("id") ?? "") ?? 0
            return self.answer(request) { d, q in self.flow(id, q, d) }
        }
        router.get("/api/v2/:list") { request, context in
            let list = context.parameters.get("list") ?? ""
            return self.answer(request) { d, q in self.list(list, q, d) }
        }
        return "http://127.0.0.1:\(try await server.start(router))"
    }

    public func stop() { server.stop() }

    /// A webhook v2 for a deal as Pipedrive posts it, with the HTTP Basic credentials its creator set.
    public func webhook(deal id: Int64, previous: [String: Any]?, user: String, password: String)
        -> (body: Foundation.Data, headers: [String: String])
    {
        let d = data.deals.first { $0.id == id }!
        let meta: [String: Any] = [
            "action": previous == nil ? "create" : "change", "entity": "deal", "entity_id": "\(id)",
            "id": UUID().uuidString.lowercased(), "version": "2.0", "company_id": "77", "user_id": "\(d.owner)",
            "timestamp": Self.rfc(d.updated), "attempt": 1, "host": "firm.pipedrive.com", "change_source": "app",
        ]
        let body: [String: Any] = ["meta": meta, "data": deal(d), "previous": previous ?? NSNull()]
        return (
            (try? JSONSerialization.data(withJSONObject: body)) ?? Foundation.Data(),
            [
                "Content-Type": "application/json", "User-Agent": "Pipedrive-Webhook",
                "Authorization": "Basic " + Foundation.Data("\(user):\(password)".utf8).base64EncodedString(),
            ]
        )
    }

    /// `2026-01-01T10:00:00Z` (v2).
    public static func rfc(_ t: Int64) -> String { WireTime.utc(t) + "Z" }
    /// `2026-01-01 10:00:00` (v1, UTC).
    static func v1(_ t: Int64) -> String {
        rfc(t).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    private func answer(_ request: Request, _ body: (Data, [String: String]) -> (HTTPResponse.Status, Any)) -> Response
    {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { q[String(k)] = String(v).removingPercentEncoding ?? String(v) }
        let given = request.headers[HTTPField.Name("x-api-token")!] ?? q["api_token"]
        let (data, limited) = state.withLock { s -> (Data, Bool) in
            s.calls += 1
            let now = ContinuousClock.now
            s.recent = s.recent.filter { now - $0 < .seconds(2) } + [now]
            if enforcesRate && s.recent.count > 20 { s.overLimit += 1 }
            return (s.data, (limitEvery > 0 && s.calls % limitEvery == 0) || (enforcesRate && s.recent.count > 20))
        }
        let (status, object): (HTTPResponse.Status, Any)
        var headers: HTTPFields = [.contentType: "application/json"]
        if limited {
            (status, object) = (
                .tooManyRequests,
                [
                    "success": false, "error": "Request over limit", "errorCode": 429,
                    "error_info": "Please check developers.pipedrive.com",
                ]
            )
            headers[HTTPField.Name("x-ratelimit-limit")!] = "20"
            headers[HTTPField.Name("x-ratelimit-remaining")!] = "0"
            headers[HTTPField.Name("x-ratelimit-reset")!] = enforcesRate ? "2" : "0"
        } else if given != token {
            (status, object) = (
                .unauthorized,
                [
                    "success": false, "error": "unauthorized access", "errorCode": 401,
                    "error_info": "Please check developers.pipedrive.com",
                ]
            )
        } else {
            (status, object) = body(data, q)
        }
        let bytes = (try? JSONSerialization.data(withJSONObject: object)) ?? Foundation.Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func deal(_ d: Deal) -> [String: Any] {
        [
            "id": d.id, "title": d.title, "owner_id": d.owner, "org_id": d.organization.map { $0 as Any } ?? NSNull(),
            "person_id": NSNull(), "stage_id": d.stage, "pipeline_id": 1, "status": d.status, "value": d.value,
            "currency": "RUB", "add_time": Self.rfc(d.added), "update_time": Self.rfc(d.updated),
            "stage_change_time": d.moves.last.map { Self.rfc($0.at) as Any } ?? NSNull(),
            "won_time": d.status == "won" ? Self.rfc(d.closed!) : NSNull(),
            "lost_time": d.status == "lost" ? Self.rfc(d.closed!) : NSNull(),
            "close_time": d.closed.map { Self.rfc($0) as Any } ?? NSNull(),
            "lost_reason": d.lostReason.map { $0 as Any } ?? NSNull(), "visible_to": "3", "is_archived": false,
            "custom_fields": [String: Any](),
        ]
    }

    private func list(_ name: String, _ q: [String: String], _ d: Data) -> (HTTPResponse.Status, Any) {
        let limit = Int(q["limit"] ?? "100") ?? 100
        guard limit <= 500 else {
            return (
                .badRequest,
                [
                    "success": false, "error": "Validation failed: limit: Must be less than or equal to 500",
                    "code": "ERR_SCHEMA_VALIDATION_FAILED",
                ]
            )
        }
        let since =
            q["updated_since"].flatMap { ISO8601DateFormatter().date(from: $0) }.map { Int64($0.timeIntervalSince1970) }
            ?? .min
        // The cursor is opaque to clients: here, the offset it stands for.
        var offset = 0
        if let cursor = q["cursor"] {
            guard let text = Foundation.Data(base64Encoded: cursor).map({ String(decoding: $0, as: UTF8.self) }),
                text.hasPrefix("o:"), let n = Int(text.dropFirst(2))
            else { return (.badRequest, ["success": false, "error": "Invalid cursor", "code": "ERR_INVALID_CURSOR"]) }
            offset = n
        }
        // Organizations, deals and activities are kept by (update_time, id): what matches starts where a binary
        // search puts it, and only the page is written out.
        let byUpdate = q["sort_by"] == "update_time"
        let total: Int
        let page: [[String: Any]]
        switch name {
        case "stages":
            total = Self.stages.count
            page = Self.stages.dropFirst(offset).prefix(limit).map { s in
                ["id": s.0, "name": s.1, "pipeline_id": 1, "order_nr": s.0, "is_deleted": false]
            }
        case "organizations":
            let rows = d.organizations.since(since, by: \.updated)
            total = rows.count
            page = rows.dropFirst(offset).prefix(limit).map { o in
                ["id": o.id, "name": o.name, "update_time": Self.rfc(o.updated)]
            }
        case "deals":
            let rows = byUpdate ? d.deals.since(since, by: \.updated) : ArraySlice(d.deals.sorted { $0.id < $1.id })
            total = rows.count
            page = rows.dropFirst(offset).prefix(limit).map(deal)
        case "activities":
            let rows = d.activities.since(since, by: \.updated)
            total = rows.count
            page = rows.dropFirst(offset).prefix(limit).map(activity)
        default:
            return (.notFound, ["success": false, "error": "Unknown method .", "errorCode": 404])
        }
        let next: Any =
            offset + limit < total ? Foundation.Data("o:\(offset + limit)".utf8).base64EncodedString() : NSNull()
        return (.ok, ["success": true, "data": page, "additional_data": ["next_cursor": next]])
    }

    private func activity(_ a: Activity) -> [String: Any] {
        let due = Self.rfc(a.due)
        return [
            "id": a.id, "type": a.type, "owner_id": a.owner, "deal_id": a.deal.map { $0 as Any } ?? NSNull(),
            "done": a.done, "due_date": String(due.prefix(10)), "due_time": String(due.dropFirst(11).prefix(5)),
            "duration": String(format: "%02d:%02d", a.minutes / 60, a.minutes % 60), "add_time": Self.rfc(a.added),
            "update_time": Self.rfc(a.updated),
            "marked_as_done_time": a.done ? Self.rfc(a.due + Int64(a.minutes) * 60) : NSNull(),
        ]
    }

    /// The deal's flow, newest first: its stage and status changes, with an activity entry between them.
    private func flow(_ id: Int64, _ q: [String: String], _ d: Data) -> (HTTPResponse.Status, Any) {
        guard let deal = d.index[id].map({ d.deals[$0] }) else {
            return (.notFound, ["success": false, "error": "Deal not found", "errorCode": 404])
        }
        let start = Int(q["start"] ?? "0") ?? 0
        let limit = min(Int(q["limit"] ?? "100") ?? 100, 100)
        var entries: [(at: Int64, item: [String: Any])] = deal.moves.map { m in
            let change: [String: Any] = [
                "id": m.id, "item_id": deal.id, "user_id": deal.owner, "field_key": "stage_id",
                "old_value": "\(m.from)",
                "new_value": "\(m.to)", "is_bulk_update_flag": NSNull(), "log_time": Self.v1(m.at),
                "change_source": "app",
            ]
            return (m.at, ["object": "dealChange", "timestamp": Self.v1(m.at), "data": change])
        }
        if let closed = deal.closed {
            let change: [String: Any] = [
                "id": deal.id * 1_000 + 999, "item_id": deal.id, "field_key": "status", "old_value": "open",
                "new_value": deal.status, "log_time": Self.v1(closed),
            ]
            entries.append((closed, ["object": "dealChange", "timestamp": Self.v1(closed), "data": change]))
        }
        entries.append(
            (
                deal.added + 60,
                ["object": "activity", "timestamp": Self.v1(deal.added + 60), "data": ["id": 1, "type": "call"]]
            ))
        entries.sort { $0.at > $1.at }
        let page = entries.dropFirst(start).prefix(limit).map(\.item)
        let more = start + limit < entries.count
        var pagination: [String: Any] = ["start": start, "limit": limit, "more_items_in_collection": more]
        if more { pagination["next_start"] = start + limit }
        return (.ok, ["success": true, "data": page, "additional_data": ["pagination": pagination]])
    }
}

extension PipedriveSimulator.Data {
    func sorted() -> Self {
        var d = self
        d.deals.sort { ($0.updated, $0.id) < ($1.updated, $1.id) }
        d.organizations.sort { ($0.updated, $0.id) < ($1.updated, $1.id) }
        d.activities.sort { ($0.updated, $0.id) < ($1.updated, $1.id) }
        d.index = Dictionary(uniqueKeysWithValues: d.deals.enumerated().map { ($1.id, $0) })
        return d
    }
}
