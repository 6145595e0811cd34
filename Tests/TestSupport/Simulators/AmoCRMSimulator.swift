import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local amoCRM written from its API v4 documentation (../shared/design/crm-formats.md §1c), for the connector's
/// tests: Bearer tokens, HAL pages (`_embedded`, `_links.next`) by `page` and `limit` (250 at most; a larger
/// `limit` silently gives 50), `filter[updated_at][from]` with `order[updated_at]=asc`, 204 when nothing matches,
/// `/api/v4/events` (100 a page at most, newest first) filtered by type and a `created_at` window, 401 with a
/// problem+json body for a bad token, and 429 above 7 calls a second (or, when asked, on every n-th call).
public final class AmoCRMSimulator: Sendable {
    public struct User: Sendable {
        public var id: Int64
        public var name: String
        public var group: Int64
    }
    public struct Lead: Sendable {
        public var id: Int64
        public var name: String
        public var price: Int64
        public var responsible: Int64
        public var status: Int64
        public var company: Int64?
        public var createdAt: Int64
        public var updatedAt: Int64
        public var closedAt: Int64?
        public var lossReason: String?
    }
    public struct Event: Sendable {
        public var id: String
        public var lead: Int64
        public var status: Int64
        public var at: Int64
        public init(id: String, lead: Int64, status: Int64, at: Int64) {
            self.id = id
            self.lead = lead
            self.status = status
            self.at = at
        }
    }
    /// A call note (on a lead, or with `lead` nil on a contact) or, with `duration` nil, a meeting task.
    public struct Activity: Sendable {
        public var id: Int64
        public var user: Int64
        public var lead: Int64?
        public var incoming = false
        public var duration: Int?
        public var completed = false
        public var at: Int64
        public var createdAt: Int64
        public var updatedAt: Int64
    }
    public struct Data: Sendable {
        public var users: [User] = []
        public var calls: [Activity] = []
        public var meetings: [Activity] = []
        /// The calls on leads and on contacts, each list in `updated_at` order.
        var leadCalls: [Activity] = []
        var contactCalls: [Activity] = []
        public var groups: [Int64: String] = [:]
        public var companies: [(id: Int64, name: String, updatedAt: Int64)] = []
        public var leads: [Lead] = []
        public var events: [Event] = []
    }

    /// The default pipeline's statuses as a Russian account names them; 142 and 143 are every pipeline's close.
    public static let statuses: [(Int64, String)] = [
        (101, "Неразобранное"), (102, "Первичный контакт"), (103, "Переговоры"), (104, "Принимают решение"),
        (105, "Согласование договора"), (142, "Успешно реализовано"), (143, "Закрыто и не реализовано"),
    ]

    public let token: String
    private let state: Mutex<(data: Data, calls: Int, recent: [ContinuousClock.Instant])>
    /// Answer 429 on every n-th call (0: only above the documented rate).
    public let limitEvery: Int
    private let server = LocalServer()

    /// Whether more than 7 calls a second are refused, as amoCRM does (off for measuring the connector itself).
    public let enforcesRate: Bool

    public init(data: Data, token: String = "sim-token", limitEvery: Int = 0, enforcesRate: Bool = true) {
        self.token = token
        self.limitEvery = limitEvery
        self.enforcesRate = enforcesRate
        state = Mutex((data.sorted(), 0, []))
    }

    /// Calls answered so far, refused ones included.
    public var calls: Int { state.withLock { $0.calls } }
    public var data: Data { state.withLock { $0.data } }
    public func change(_ body: (inout Data) -> Void) {
        state.withLock {
            body(&$0.data)
            $0.data = $0.data.sorted()
        }
    }

    /// `http://127.0.0.1:PORT`, once the server listens.
    public func start() async throws -> String { "http://127.0.0.1:\(try await server.start(router()))" }

    public func stop() { server.stop() }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/api/v4/users") { request, _ in
            try self.answer(request) { d, q in
                self.page(d.users.sorted { $0.id < $1.id }[...], q, key: "users") { u in
                    [
                        "id": u.id, "name": u.name, "email": "\(u.id)@firm.ru",
                        "rights": ["is_active": true, "group_id": u.group],
                        "_embedded": ["groups": [["id": u.group, "name": d.groups[u.group] ?? ""]]],
                    ]
                }
            }
        }
        router.get("/api/v4/leads/pipelines") { request, _ in
            try self.answer(request) { _, _ in
                let statuses = Self.statuses.map { ["id": $0.0, "name": $0.1, "pipeline_id": 1] as [String: Any] }
                return .json([
                    "_embedded": [
                        "pipelines": [
                            [
                                "id": 1, "name": "Воронка", "is_main": true,
                                "_embedded": ["statuses": statuses],
                            ]
                        ]
                    ]
                ])
            }
        }
        router.get("/api/v4/companies") { request, _ in
            try self.answer(request) { d, q in
                let from = q.int("filter[updated_at][from]") ?? 0
                return self.page(d.companies.since(from, by: \.updatedAt), q, key: "companies") {
                    ["id": $0.id, "name": $0.name, "updated_at": $0.updatedAt]
                }
            }
        }
        router.get("/api/v4/leads") { request, _ in
            try self.answer(request) { d, q in
                let from = q.int("filter[updated_at][from]") ?? 0
                return self.page(d.leads.since(from, by: \.updatedAt), q, key: "leads") { l in
                    var embedded: [String: Any] = ["companies": l.company.map { [["id": $0]] } ?? []]
                    if let r = l.lossReason { embedded["loss_reason"] = [["id": 1, "name": r]] }
                    return [
                        "id": l.id, "name": l.name, "price": l.price, "responsible_user_id": l.responsible,
                        "status_id": l.status, "pipeline_id": 1, "created_at": l.createdAt,
                        "updated_at": l.updatedAt, "closed_at": l.closedAt as Any, "_embedded": embedded,
                    ]
                }
            }
        }
        for entity in ["leads", "contacts"] {
            router.get("/api/v4/\(entity)/notes") { request, _ in
                try self.answer(request) { d, q in
                    let from = q.int("filter[updated_at][from]") ?? 0
                    let rows = (entity == "leads" ? d.leadCalls : d.contactCalls).since(from, by: \.updatedAt)
                    return self.page(rows, q, key: "notes") { n in
                        [
                            "id": n.id, "entity_id": n.lead ?? n.id + 7_000_000, "created_by": n.user,
                            "responsible_user_id": n.user, "note_type": n.incoming ? "call_in" : "call_out",
                            "created_at": n.at, "updated_at": n.updatedAt, "account_id": 1,
                            "params": [
                                "uniq": "call-\(n.id)", "duration": n.duration ?? 0, "source": "Sim PBX",
                                "phone": "+7 900 000-00-00", "call_status": (n.duration ?? 0) > 0 ? 4 : 6,
                            ],
                        ]
                    }
                }
            }
        }
        router.get("/api/v4/tasks") { request, _ in
            try self.answer(request) { d, q in
                let from = q.int("filter[updated_at][from]") ?? 0
                return self.page(d.meetings.since(from, by: \.updatedAt), q, key: "tasks") { t in
                    [
                        "id": t.id, "created_by": t.user, "responsible_user_id": t.user, "entity_id": t.lead ?? 0,
                        "entity_type": "leads", "is_completed": t.completed, "task_type_id": 2, "text": "Встреча",
                        "complete_till": t.at, "created_at": t.createdAt, "updated_at": t.updatedAt, "account_id": 1,
                    ]
                }
            }
        }
        router.get("/api/v4/events") { request, _ in
            try self.answer(request, maxLimit: 100) { d, q in
                guard q["filter[type]"] == "lead_status_changed" else {
                    return self.page([Event]()[...], q, key: "events") { _ in [:] }
                }
                let from = q.int("filter[created_at][from]") ?? 0
                let to = q.int("filter[created_at][to]") ?? .max
                // Kept newest first: the window is a slice found by two binary searches.
                let window = d.events.firstIndex(atOrBelow: to)..<d.events.firstIndex(atOrBelow: from - 1)
                return self.page(d.events[window], q, key: "events") { e in
                    [
                        "id": e.id, "type": "lead_status_changed", "entity_id": e.lead, "entity_type": "lead",
                        "created_at": e.at, "value_after": [["lead_status": ["id": e.status, "pipeline_id": 1]]],
                    ]
                }
            }
        }
        return router
    }

    enum Answer {
        case json([String: Any])
        case empty
    }

    /// Checks the token and the rate, then answers from the data.
    private func answer(_ request: Request, maxLimit: Int = 250, _ body: (Data, Query) -> Answer) throws -> Response {
        let query = Query(request.uri.queryParameters, maxLimit: maxLimit)
        let (data, refused) = state.withLock { s -> (Data, Bool) in
            s.calls += 1
            let now = ContinuousClock.now
            s.recent = s.recent.filter { now - $0 < .seconds(1) } + [now]
            return (s.data, (limitEvery > 0 && s.calls % limitEvery == 0) || (enforcesRate && s.recent.count > 7))
        }
        if refused { return Response(status: .tooManyRequests) }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return Self.body(
                [
                    "title": "Unauthorized", "type": "https://httpstatus.es/401", "status": 401,
                    "detail": "Unauthorized",
                ],
                status: .unauthorized, type: "application/problem+json")
        }
        switch body(data, query) {
        case .empty: return Response(status: .noContent)
        case .json(let object): return Self.body(object, status: .ok, type: "application/hal+json")
        }
    }

    /// The page `q` asks for of `rows` (a slice of a sorted list: only the page is written out).
    private func page<T>(_ rows: ArraySlice<T>, _ q: Query, key: String, _ item: (T) -> [String: Any]) -> Answer {
        let start = (q.page - 1) * q.limit
        guard start < rows.count else { return .empty }
        let slice = rows.dropFirst(start).prefix(q.limit)
        var links: [String: Any] = ["self": ["href": "page=\(q.page)"]]
        if start + q.limit < rows.count { links["next"] = ["href": "page=\(q.page + 1)"] }
        return .json(["_page": q.page, "_embedded": [key: slice.map(item)], "_links": links])
    }

    private static func body(_ object: [String: Any], status: HTTPResponse.Status, type: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Foundation.Data()
        return Response(
            status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The query as amoCRM reads it: `limit` above the maximum falls back to 50, as the real API does.
    struct Query {
        let values: [String: String]
        let page: Int
        let limit: Int
        init(_ params: Hummingbird.Parameters, maxLimit: Int) {
            var v: [String: String] = [:]
            // Brackets come percent-encoded (`filter%5Btype%5D`), as any HTTP client sends them.
            for (k, value) in params {
                v[String(k).removingPercentEncoding ?? String(k)] =
                    String(value).removingPercentEncoding ?? String(value)
            }
            values = v
            page = max(1, Int(v["page"] ?? "1") ?? 1)
            let asked = Int(v["limit"] ?? "50") ?? 50
            limit = asked > maxLimit ? 50 : max(1, asked)
        }
        subscript(_ key: String) -> String? { values[key] }
        func int(_ key: String) -> Int64? { values[key].flatMap { Int64($0) } }
    }
}

extension AmoCRMSimulator.Data {
    /// Leads and companies by (`updated_at`, id), events newest first: the orders the API lists them in.
    func sorted() -> Self {
        var d = self
        d.leads.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        d.companies.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        d.events.sort { ($0.at, $0.id) > ($1.at, $1.id) }
        d.calls.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        d.leadCalls = d.calls.filter { $0.lead != nil }
        d.contactCalls = d.calls.filter { $0.lead == nil }
        d.meetings.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        return d
    }
}

extension Array where Element == AmoCRMSimulator.Event {
    /// In a newest-first list, the first event at or before `t`.
    func firstIndex(atOrBelow t: Int64) -> Int {
        var (lo, hi) = (0, count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].at > t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
