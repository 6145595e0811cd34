import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SalesCore
import SalesImport
import SalesServer
import SalesStorage
import Testing

/// A small company in a temporary SQLite store, with users of every role, numbers known by hand:
///
/// team T1 "North": head H1, sales managers A1 (Anna) and A2 (Boris); team T2 "South": C1 (Carl).
/// In October 2026 Anna wins 100 000 and 50 000 ₽; Boris wins 30 000 ₽ and loses one deal;
/// Carl wins 70 000 ₽. So in 2026-Q4: Anna revenue 150 000, win rate 100 %, average 75 000;
/// Boris 30 000, win rate 50 %; team North 180 000; Carl 70 000. All deals opened on 2026-09-01,
/// so at the end of 2026-Q3 all five were open. Boris made three calls in Q4 (1 Oct, 5 and 1 min;
/// 3 Nov, 10 min) and one on 30 Sep at 23:30 Moscow time (Q3), and held a meeting on 7 Oct.
/// `@unchecked Sendable`: the router is built once and only read by the tests.
struct ServerFixture: @unchecked Sendable {
    let dir: String
    let live: LiveEngine
    let store: SQLiteEventStore
    let router: Router<AppContext>
    let adminToken: String

    static let password = "correct horse"

    init() throws {
        dir = NSTemporaryDirectory() + "saleskpi-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try SQLiteEventStore(path: dir + "/store.sqlite")
        let system = try KPISystemFile.standard()
        let cal = system.calendar
        func at(_ iso: String) -> Timestamp { ValueFormat(calendar: cal).timestamp(iso)! }
        var events: [SalesEvent] = [
            .team(Team(externalID: "T1", name: "North")), .team(Team(externalID: "T2", name: "South")),
        ]
        events += [
            ("H1", "Helga Head", RepRole.head, "T1"), ("A1", "Anna", .ae, "T1"), ("A2", "Boris", .ae, "T1"),
            ("C1", "Carl", .ae, "T2"),
        ]
        .map { .rep(Rep(externalID: $0.0, name: $0.1, role: $0.2, team: EntityRef($0.3))) }
        events.append(.account(Account(externalID: "ACC", name: "Client")))
        let deals: [(String, String, Money, DealStage, String)] = [
            ("D1", "A1", 100_000_00, .won, "2026-10-05"), ("D2", "A1", 50_000_00, .won, "2026-10-20"),
            ("D3", "A2", 30_000_00, .won, "2026-10-10"), ("D4", "A2", 10_000_00, .lost, "2026-10-12"),
            ("D5", "C1", 70_000_00, .won, "2026-10-15"),
        ]
        for (id, owner, amount, stage, day) in deals {
            events.append(
                .deal(
                    Deal(
                        externalID: id, account: EntityRef("ACC"), owner: EntityRef(owner), createdAt: at("2026-09-01"),
                        amount: amount)))
            events.append(
                .stageChange(
                    StageChange(externalID: id + "-close", deal: EntityRef(id), stage: stage, at: at(day + "T12:00:00"))
                ))
        }
        let activities: [(String, ActivityType, String, Int32)] = [
            ("B-call-1", .call, "2026-10-01T09:30:00", 300), ("B-call-2", .call, "2026-10-01T16:00:00", 60),
            ("B-call-3", .call, "2026-11-03T15:45:00", 600), ("B-call-0", .call, "2026-09-30T23:30:00", 120),
            ("B-meet-1", .meetingHeld, "2026-10-07T11:00:00", 3600),
        ]
        for (id, type, time, seconds) in activities {
            var a = Activity(externalID: id, rep: EntityRef("A2"), type: type, at: at(time))
            a.durationSeconds = seconds
            a.account = EntityRef("ACC")
            events.append(.activity(a))
        }
        try store.append(events, source: "crm")
        live = try LiveEngine(store: store, system: system, yaml: KPISystemFile.defaultText)
        let hasher = PasswordHasher(cost: 4)
        for (login, role, rep) in [
            ("admin", UserRole.admin, nil), ("head", .head, "H1"), ("anna", .rep, "A1"), ("carl", .rep, "C1"),
        ] as [(String, UserRole, String?)] {
            _ = try store.users.add(
                UserAccount(
                    login: login, name: login.capitalized, role: role, repExternalID: rep,
                    passwordHash: hasher.hash(Self.password)))
        }
        adminToken = try TokenIssuer.issue(
            for: try store.users.user(login: "admin")!, name: "tests", in: store.apiTokens)
        var settings = ServerSettings()
        settings.passwordCost = 4
        settings.today = CivilDate(year: 2026, month: 11, day: 20).dayNumber
        ServerMetrics.bootstrap()
        router = buildRouter(live: live, stores: ServerStores(store), settings: settings)
    }

    /// Runs `body` against the router in process.
    func test<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: router)
        return try await app.test(.router, body)
    }
}

extension TestClientProtocol {
    /// Signs in through the form and returns the session cookie and the CSRF token of the dashboard.
    func signIn(_ login: String, password: String = ServerFixture.password) async throws -> (
        cookie: String, csrf: String
    ) {
        let cookie = try await execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "login=\(login)&password=\(password.replacingOccurrences(of: " ", with: "+"))")
        ) { r in
            #expect(r.status == .seeOther)
            let setCookie = try #require(r.headers[.setCookie])
            return String(setCookie.split(separator: ";")[0])
        }
        let page = try await execute(uri: "/", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
        let csrf = page.components(separatedBy: "name=\"_csrf\" value=\"").dropFirst().first?.prefix(64) ?? ""
        return (cookie, String(csrf))
    }

    func get(_ uri: String, _ headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, String) {
        try await execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
    }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
