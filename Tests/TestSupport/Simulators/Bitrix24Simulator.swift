import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local Bitrix24 portal written from its REST documentation (../shared/design/crm-formats.md §2c), for the
/// connector's tests: methods at `/rest/USER/SECRET/METHOD.json`, 50 items a page with `next` and `total`,
/// `filter[>=DATE_MODIFY]` and `order` on the CRM lists, `crm.stagehistory.list` with `filter[>ID]` and
/// `filter[<=CREATED_TIME]` and its items under `result.items`, strings for every value and ISO times with the
/// portal's offset, `INVALID_CREDENTIALS` (401) for a wrong secret, and the leaky bucket: the counter drains 2 a
/// second and above 50 the answer is 503 `QUERY_LIMIT_EXCEEDED` (or, when asked, every n-th call is).
public final class Bitrix24Simulator: Sendable {
    public struct User: Sendable {
        public var id: Int
        public var name: String
        public var lastName: String
        public var department: Int
    }
    public struct Deal: Sendable {
        public var id: Int
        public var title: String
        public var stage: String
        public var opportunity: String
        public var assigned: Int
        public var company: Int
        public var created: Int64
        public var modified: Int64
    }
    public struct Move: Sendable {
        public var id: Int
        public var deal: Int
        public var stage: String
        public var at: Int64
        public init(id: Int, deal: Int, stage: String, at: Int64) {
            self.id = id
            self.deal = deal
            self.stage = stage
            self.at = at
        }
    }
    /// An activity: `type` 2 a call, 1 a meeting.
    public struct Activity: Sendable {
        public var id: Int
        public var type: Int
        public var user: Int
        public var deal: Int?
        public var completed: Bool
        public var start: Int64
        public var end: Int64
        public var created: Int64
        public var updated: Int64
    }
    public struct Data: Sendable {
        public var activities: [Activity] = []
        public var departments: [Int: String] = [:]
        public var users: [User] = []
        public var companies: [(id: Int, title: String, modified: Int64)] = []
        public var deals: [Deal] = []
        public var history: [Move] = []
    }

    /// The default pipeline's stages: id, name, semantics.
    public static let stages: [(String, String, String)] = [
        ("NEW", "Новая", "process"), ("PREPARATION", "Подготовка документов", "process"),
        ("PREPAYMENT_INVOICE", "Счёт на предоплату", "process"), ("EXECUTING", "В работе", "process"),
        ("FINAL_INVOICE", "Финальный счёт", "process"), ("WON", "Сделка успешна", "success"),
        ("LOSE", "Сделка провалена", "failure"), ("APOLOGY", "Анализ причины провала", "failure"),
    ]

    public let secret: String
    public let limitEvery: Int
    private let state: Mutex<(data: Data, calls: Int, bucket: Double, drained: ContinuousClock.Instant)>
    private let server = LocalServer()

    /// Whether the leaky bucket refuses (off for measuring the connector itself).
    public let enforcesRate: Bool

    public init(data: Data, secret: String = "k3y8sim", limitEvery: Int = 0, enforcesRate: Bool = true) {
        self.secret = secret
        self.limitEvery = limitEvery
        self.enforcesRate = enforcesRate
        state = Mutex((data.sorted(), 0, 0, .now))
    }

    public var calls: Int { state.withLock { $0.calls } }
    public var data: Data { state.withLock { $0.data } }
    public func change(_ body: (inout Data) -> Void) {
        state.withLock {
            body(&$0.data)
            $0.data = $0.data.sorted()
        }
    }

    /// The inbound webhook's URL, once the server listens: `http://127.0.0.1:PORT/rest/1/SECRET/`.
    public func start() async throws -> String {
        let router = Router()
        router.get("/rest/:user/:secret/:method") { request, context in
            try self.answer(
                request, secret: context.parameters.get("secret") ?? "", method: context.parameters.get("method") ?? "")
        }
        return "http://127.0.0.1:\(try await server.start(router))/rest/1/\(secret)/"
    }

    public func stop() { server.stop() }

    /// `2026-01-01T10:00:00+03:00`: how the portal (Moscow) writes a time.
    public static func iso(_ t: Int64) -> String { WireTime.utc(t + 3 * 3_600) + "+03:00" }
    static func time(_ s: String) -> Int64? {
        ISO8601DateFormatter().date(from: s).map { Int64($0.timeIntervalSince1970) }
    }

    private func answer(_ request: Request, secret: String, method: String) throws -> Response {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters {
            q[String(k).removingPercentEncoding ?? String(k)] = String(v).removingPercentEncoding ?? String(v)
        }
        let (data, refused) = state.withLock { s -> (Data, Bool) in
            s.calls += 1
            let now = ContinuousClock.now
            let elapsed =
                Double((now - s.drained).components.attoseconds) / 1e18 + Double((now - s.drained).components.seconds)
            s.bucket = max(0, s.bucket - 2 * elapsed) + 1
            s.drained = now
            return (s.data, (limitEvery > 0 && s.calls % limitEvery == 0) || (enforcesRate && s.bucket > 50))
        }
        if refused {
            return Self.json(
                ["error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"], .serviceUnavailable)
        }
        guard secret == self.secret else {
            return Self.json(
                ["error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"], .unauthorized)
        }
        let start = Int(q["start"] ?? "0") ?? 0
        // `crm.deal.list.json` and `crm.deal.list` are the same method.
        switch method.hasSuffix(".json") ? String(method.dropLast(5)) : method {
        case "department.get":
            return page(data.departments.sorted { $0.key < $1.key }[...], start) {
                ["ID": "\($0.key)", "NAME": $0.value]
            }
        case "user.get":
            return page(data.users.sorted { $0.id < $1.id }[...], start) {
                [
                    "ID": "\($0.id)", "NAME": $0.name, "LAST_NAME": $0.lastName, "EMAIL": "u\($0.id)@firm.ru",
                    "ACTIVE": true, "UF_DEPARTMENT": [$0.department],
                ] as [String: Any]
            }
        case "crm.status.list":
            return page(Self.stages[...], start) {
                ["ENTITY_ID": "DEAL_STAGE", "STATUS_ID": $0.0, "NAME": $0.1, "EXTRA": ["SEMANTICS": $0.2]]
            }
        case "crm.company.list":
            let from = q["filter[>=DATE_MODIFY]"].flatMap(Self.time) ?? .min
            return page(data.companies.since(from, by: \.modified), start) {
                ["ID": "\($0.id)", "TITLE": $0.title, "DATE_MODIFY": Self.iso($0.modified)]
            }
        case "crm.deal.list":
            let from = q["filter[>=DATE_MODIFY]"].flatMap(Self.time) ?? .min
            return page(data.deals.since(from, by: \.modified), start) {
                [
                    "ID": "\($0.id)", "TITLE": $0.title, "STAGE_ID": $0.stage, "OPPORTUNITY": $0.opportunity,
                    "CURRENCY_ID": "RUB", "ASSIGNED_BY_ID": "\($0.assigned)", "COMPANY_ID": "\($0.company)",
                    "DATE_CREATE": Self.iso($0.created), "DATE_MODIFY": Self.iso($0.modified),
                ]
            }
        case "crm.activity.list":
            let from = q["filter[>=LAST_UPDATED]"].flatMap(Self.time) ?? .min
            return page(data.activities.since(from, by: \.updated), start) { a in
                [
                    "ID": "\(a.id)", "OWNER_ID": a.deal.map { "\($0)" } ?? "\(a.id + 50_000)",
                    "OWNER_TYPE_ID": a.deal == nil ? "3" : "2", "TYPE_ID": "\(a.type)",
                    "COMPLETED": a.completed ? "Y" : "N",
                    "RESPONSIBLE_ID": "\(a.user)", "START_TIME": Self.iso(a.start), "END_TIME": Self.iso(a.end),
                    "CREATED": Self.iso(a.created), "LAST_UPDATED": Self.iso(a.updated), "DIRECTION": "2",
                ]
            }
        case "crm.stagehistory.list":
            let after = Int(q["filter[>ID]"] ?? "0") ?? 0
            let to = q["filter[<=CREATED_TIME]"].flatMap(Self.time) ?? .max
            // Kept by ID: the rows after `after` start where a binary search puts them.
            var (lo, hi) = (0, data.history.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if data.history[mid].id <= after { lo = mid + 1 } else { hi = mid }
            }
            let rows = Array(data.history[lo...].lazy.filter { $0.at <= to }.prefix(start + 51))
            let semantic = Dictionary(uniqueKeysWithValues: Self.stages.map { ($0.0, $0.2) })
            let items = rows.map { m -> [String: Any] in
                let s = semantic[m.stage] ?? "process"
                return [
                    "ID": "\(m.id)", "TYPE_ID": s == "process" ? "2" : "3", "OWNER_ID": "\(m.deal)",
                    "CREATED_TIME": Self.iso(m.at), "STAGE_ID": m.stage,
                    "STAGE_SEMANTIC_ID": s == "success" ? "S" : s == "failure" ? "F" : "P",
                ]
            }
            let slice = Array(items.dropFirst(start).prefix(50))
            // `total` counts the rows after `filter[>ID]` (the connector reads `next`).
            var body: [String: Any] = ["result": ["items": slice], "total": data.history.count - lo]
            if start + 50 < items.count { body["next"] = start + 50 }
            return Self.json(body, .ok)
        default:
            return Self.json(["error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"], .notFound)
        }
    }

    /// The 50 rows from `start`, each as `item` writes it (only those: a list may be large).
    private func page<T>(_ rows: ArraySlice<T>, _ start: Int, _ item: (T) -> [String: Any]) -> Response {
        var body: [String: Any] = ["result": rows.dropFirst(start).prefix(50).map(item), "total": rows.count]
        if start + 50 < rows.count { body["next"] = start + 50 }
        return Self.json(body, .ok)
    }

    private static func json(_ object: [String: Any], _ status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Foundation.Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Bitrix24Simulator.Data {
    /// Deals and companies by (`DATE_MODIFY`, `ID`), the history by `ID`: the orders the API lists them in.
    func sorted() -> Self {
        var d = self
        d.deals.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.companies.sort { ($0.modified, $0.id) < ($1.modified, $1.id) }
        d.history.sort { $0.id < $1.id }
        d.activities.sort { ($0.updated, $0.id) < ($1.updated, $1.id) }
        return d
    }
}
