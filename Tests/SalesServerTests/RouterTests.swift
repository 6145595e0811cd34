import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SalesCore
import SalesImport
import SalesServer
import Testing

@Suite struct RouterTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }

    static let q4 = "from=2026-10-01&to=2027-01-01"

    @Test func healthIsOpenEverythingElseNeedsSignIn() async throws {
        try await f.test { client in
            let (s, body) = try await client.get("/health")
            #expect(s == .ok)
            #expect(body.contains("\"status\":\"ok\""))
            for uri in [
                "/api/v1/me", "/api/v1/catalog", "/api/v1/reports", "/api/v1/scorecards", "/api/v1/plans",
                "/api/v1/openapi.yaml", "/live",
            ] {
                let (status, text) = try await client.get(uri)
                #expect(status == .unauthorized, "\(uri)")
                #expect(text.contains("\"status\":401"), "\(uri)")
            }
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/login") == true)
            }
            try await client.execute(uri: "/api/v1/events", method: .post, body: ByteBuffer(string: "{\"events\":[]}"))
            { #expect($0.status == .unauthorized) }
            let (bad, _) = try await client.get("/api/v1/me", bearer("skp_not-a-token"))
            #expect(bad == .unauthorized)
        }
    }

    /// Every named route is registered, and its group decides who gets in: without a session a page sends the
    /// browser to sign in and the API answers 401; a rep is refused the admin pages and the API's writes.
    @Test func everyRouteIsGuardedByItsGroup() async throws {
        let anyone: Set<Route> = [.health, .metrics, .login, .logout, .language]
        let adminPages: Set<Route> = [
            .admin, .adminUsers, .adminUserChange, .adminTokenRevoke, .adminKPISystem, .adminPlans, .adminImport,
            .adminImportCommit, .adminConnections, .adminConnectionSync,
        ]
        let posts: Set<Route> = [
            .logout, .language, .adminUsers, .adminUserChange, .adminTokenRevoke, .adminImportCommit, .apiEvents, .hook,
            .adminConnectionSync, .callCorrections, .apiCallCorrections,
        ]
        try await f.test { client in
            let rep = try await client.signIn("anna")
            for route in Route.allCases {
                let uri = route.path(id: 1)
                let method: HTTPRequest.Method = posts.contains(route) ? .post : .get
                let (status, location) = try await client.execute(uri: uri, method: method) {
                    ($0.status, $0.headers[.location] ?? "")
                }
                if route == .hook {
                    // Anyone may call it; without the connection's secret, nothing happens.
                    #expect(status == .unauthorized || status == .notFound, "\(uri): \(status)")
                } else if anyone.contains(route) {
                    #expect(status != .unauthorized && status != .notFound, "\(uri): \(status)")
                } else if route.rawValue.hasPrefix("/api/") || route == .live {
                    #expect(status == .unauthorized, "\(uri): \(status)")
                } else {
                    #expect(status == .seeOther && location.hasPrefix("/login?next="), "\(uri): \(status) \(location)")
                }
                guard adminPages.contains(route) || route == .apiEvents else { continue }
                var headers: HTTPFields = [.cookie: rep.cookie, .origin: "http://localhost"]
                headers[.contentType] = "application/x-www-form-urlencoded"
                let body = ByteBuffer(string: "_csrf=\(rep.csrf)")
                let asRep = try await client.execute(uri: uri, method: method, headers: headers, body: body) {
                    $0.status
                }
                #expect(asRep == .forbidden, "\(uri) as a rep: \(asRep)")
            }
        }
    }

    @Test func wrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() async throws {
        try await f.test { client in
            for _ in 0..<5 {
                try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "login=anna&password=wrong")
                ) { r in
                    #expect(r.status == .unauthorized)
                    #expect(String(buffer: r.body).contains("login-error"))
                }
            }
            // The right password too is refused until the window passes.
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "login=anna&password=correct+horse")
            ) { r in
                #expect(r.status == .tooManyRequests)
                #expect(r.headers[.retryAfter] != nil)
            }
            // Another login from the same address is not affected.
            _ = try await client.signIn("carl")
        }
    }

    @Test func aRepSeesOnlyTheirOwnNumbers() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("anna")
            let h: HTTPFields = [.cookie: cookie]
            let (s, csv) = try await client.get(
                "/api/v1/reports?by=rep&kpis=deals_won,revenue,win_rate,avg_deal_size&format=csv&\(Self.q4)", h)
            #expect(s == .ok)
            #expect(csv == "rep,deals_won,revenue,win_rate,avg_deal_size\nAnna,2,150000.00,100.00,75000.00\n")
            let (other, message) = try await client.get("/api/v1/scorecards?rep=A2&\(Self.q4)", h)
            #expect(other == .forbidden)
            #expect(message.contains("только ваши показатели"))  // the company's language by default
            var en = h
            en[.acceptLanguage] = "en-GB,en;q=0.9"
            let (_, english) = try await client.get("/api/v1/scorecards?rep=A2&\(Self.q4)", en)
            #expect(english.contains("you may see only your own numbers"))
            let (team, _) = try await client.get("/api/v1/reports?by=team&\(Self.q4)", h)
            #expect(team == .forbidden)
            let boris = f.live.read { $0.rep(externalID: "A2")!.id }
            let (page, html) = try await client.get("/?slice=rep:\(boris)", h)
            #expect(page == .forbidden)
            #expect(html.contains("id=\"forbidden\""))
            let (own, mine) = try await client.get("/?\(Self.q4)", h)
            #expect(own == .ok)
            #expect(mine.contains("Anna"))
            #expect(!mine.contains("Boris"))  // benchmarks are anonymised
        }
    }

    @Test func aHeadSeesTheirTeamAndNoOtherTeam() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("head")
            let h: HTTPFields = [.cookie: cookie]
            let (_, csv) = try await client.get(
                "/api/v1/reports?by=rep&kpis=revenue,deals_won,deals_lost&format=csv&\(Self.q4)", h)
            #expect(
                csv == "rep,revenue,deals_won,deals_lost\nAnna,150000.00,2,0\nBoris,30000.00,1,1\nHelga Head,0.00,0,0\n"
            )
            let (_, teams) = try await client.get("/api/v1/reports?by=team&kpis=revenue&format=csv&\(Self.q4)", h)
            #expect(teams == "team,revenue\nNorth,180000.00\n")
            let (carl, _) = try await client.get("/api/v1/scorecards?rep=C1&\(Self.q4)", h)
            #expect(carl == .forbidden)
            let south = f.live.read { e in e.teams.values.first { $0.name == "South" }!.id }
            let (page, _) = try await client.get("/?slice=team:\(south)", h)
            #expect(page == .forbidden)
            let (dash, html) = try await client.get("/?\(Self.q4)", h)
            #expect(dash == .ok)
            #expect(html.contains("data-kpi=\"revenue\" data-value=\"180000.00\""))  // the team's revenue card
            #expect(html.contains("id=\"team-table\""))
            #expect(!html.contains("Carl"))
            let (admin, _) = try await client.get("/admin", h)
            #expect(admin == .forbidden)
        }
    }

    @Test func scorecardsAndExportsInEveryFormat() async throws {
        try await f.test { client in
            let h = bearer(f.adminToken)
            let (s, json) = try await client.get("/api/v1/scorecards?rep=A1&\(Self.q4)", h)
            #expect(s == .ok)
            let cards = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
            #expect(cards.count == 1)
            let lines = cards[0]["lines"] as! [[String: Any]]
            let avg = lines.first { $0["kpi"] as? String == "avg_deal_size" }!
            #expect(avg["actual"] as? Double == 75_000)
            #expect(avg["plan"] as? Double == 500_000)  // the default system's target
            #expect(avg["fulfillment"] as? Double == 15)
            try await client.execute(uri: "/api/v1/scorecards?format=xlsx&\(Self.q4)", method: .get, headers: h) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentDisposition]?.contains(".xlsx") == true)
                #expect(Array(r.body.readableBytesView.prefix(2)) == [0x50, 0x4B])  // a ZIP: PK
            }
            let (_, csv) = try await client.get("/api/v1/scorecards?format=csv&rep=C1&\(Self.q4)", h)
            #expect(csv.contains("Carl,ae,South,"))
            let (bad, msg) = try await client.get("/api/v1/reports?format=pdf", h)
            #expect(bad == .badRequest)
            #expect(msg.contains("pdf"))
            let (unknown, _) = try await client.get("/api/v1/reports?kpis=nope", h)
            #expect(unknown == .badRequest)
            let (period, _) = try await client.get("/api/v1/reports?period=2026-Q5", h)
            #expect(period == .badRequest)
        }
    }

    @Test func badEventsAreRefusedWithPerItemErrorsAndNothingIsStored() async throws {
        try await f.test { client in
            let before = f.live.read { $0.eventCount }
            let body = """
                {"events": [
                  {"event": "activity", "external_id": "call-1", "rep_id": "A1", "type": "call",
                   "at": "2026-11-02T10:00:00+03:00"},
                  {"event": "activity", "external_id": "call-2", "rep_id": "A1", "type": "call", "at": "yesterday"},
                  {"event": "deal", "external_id": "D9", "account_id": "ACC", "owner_id": "NOBODY",
                   "created_at": "2026-11-02", "amount": -5},
                  {"event": "phone", "external_id": "x"}
                ]}
                """
            try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: bearer(f.adminToken),
                body: ByteBuffer(string: body)
            ) { r in
                #expect(r.status == .unprocessableContent)
                let error =
                    (try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any])["error"]
                    as! [String: Any]
                let items = error["items"] as! [[String: Any]]
                let placed = Set(items.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "")" })
                #expect(placed == ["1:at", "2:amount", "3:event"])
            }
            #expect(f.live.read { $0.eventCount } == before)
            try await client.execute(
                uri: "/api/v1/events", method: .post, headers: bearer(f.adminToken),
                body: ByteBuffer(string: "not json")
            ) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func aReplayedEventCountsOnce() async throws {
        try await f.test { client in
            let body = ByteBuffer(
                string: """
                    {"events": [{"event": "activity", "external_id": "call-7", "rep_id": "A1", "type": "call",
                                 "at": "2026-11-03T11:00:00+03:00", "duration_seconds": 300}]}
                    """)
            var h = bearer(f.adminToken)
            let first = try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: h, body: body
            ) { String(buffer: $0.body) }
            #expect(first.contains("\"inserted\":1"))
            // A webhook retried without a key: the store sees the same external id and ignores it.
            let second = try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: h, body: body
            ) { String(buffer: $0.body) }
            #expect(second.contains("\"inserted\":0") && second.contains("\"duplicates\":1"))
            // With an Idempotency-Key the first answer comes back as it was, marked as a replay.
            h[HTTPField.Name("Idempotency-Key")!] = "retry-42"
            let keyed = ByteBuffer(
                string: """
                    {"events": [{"event": "activity", "external_id": "call-8", "rep_id": "A1", "type": "call",
                                 "at": "2026-11-03T12:00:00+03:00"}]}
                    """)
            let a = try await client.execute(uri: "/api/v1/events?source=crm", method: .post, headers: h, body: keyed) {
                String(buffer: $0.body)
            }
            try await client.execute(uri: "/api/v1/events?source=crm", method: .post, headers: h, body: keyed) { r in
                #expect(String(buffer: r.body) == a)
                #expect(r.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            }
            #expect(a.contains("\"inserted\":1"))
            let (_, csv) = try await client.get(
                "/api/v1/reports?by=rep&kpis=calls&format=csv&\(Self.q4)", bearer(f.adminToken))
            #expect(csv.contains("Anna,2\n"))
        }
    }

    @Test func onlyAnAdminMaySendEvents() async throws {
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("anna")
            try await client.execute(
                uri: "/api/v1/events", method: .post,
                headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf],
                body: ByteBuffer(string: "{\"events\":[]}")
            ) { r in
                #expect(r.status == .forbidden)
                #expect(String(buffer: r.body).contains("только администратор"))
            }
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("admin")
            #expect(csrf.count == 64)
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(
                uri: "/admin/users", method: .post, headers: form,
                body: ByteBuffer(string: "login=eve&role=admin&password=12345678")
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/admin/users", method: .post, headers: form,
                body: ByteBuffer(string: "login=eve&role=rep&rep=A2&password=12345678&_csrf=\(csrf)")
            ) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/admin?notice=added")
            }
            let (_, page) = try await client.get("/admin", [.cookie: cookie])
            #expect(page.contains("<td>eve</td>"))
            #expect(page.contains("user.add"))  // the audit log
            // The new user signs in and sees Boris's numbers.
            _ = try await client.signIn("eve", password: "12345678")
        }
    }

    @Test func languageSwitchAndSignOut() async throws {
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("anna")
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(
                uri: "/language", method: .post, headers: form, body: ByteBuffer(string: "lang=ru&back=/&_csrf=\(csrf)")
            ) {
                #expect($0.status == .seeOther)
            }
            let (_, ru) = try await client.get("/", [.cookie: cookie])
            #expect(ru.contains("Взвешенный индекс KPI"))
            let (_, me) = try await client.get("/api/v1/me", [.cookie: cookie])
            #expect(
                me.contains("\"language\":\"ru\"") && me.contains("\"rep\":\"Anna\"")
                    && me.contains("\"team\":\"North\""))
            try await client.execute(
                uri: "/logout", method: .post, headers: form, body: ByteBuffer(string: "_csrf=\(csrf)")
            ) { #expect($0.status == .seeOther) }
            let (after, _) = try await client.get("/api/v1/me", [.cookie: cookie])
            #expect(after == .unauthorized)
        }
    }

    @Test func catalogPlansMetricsAndTheLivePage() async throws {
        try await f.test { client in
            let h = bearer(f.adminToken)
            let (_, catalog) = try await client.get("/api/v1/catalog", h)
            let kpis = try JSONSerialization.jsonObject(with: Data(catalog.utf8)) as! [[String: Any]]
            #expect(kpis.count == KPICatalog.standard.kpis.count)
            #expect(
                kpis.contains {
                    $0["id"] as? String == "win_rate"
                        && $0["formula"] as? String == "deals_won / (deals_won + deals_lost) * 100"
                })
            let (p, plans) = try await client.get("/api/v1/plans?\(Self.q4)", h)
            #expect(p == .ok && plans == "[]")
            let (m, metrics) = try await client.get("/metrics")
            #expect(m == .ok)
            // 2 teams + 4 reps + 1 account + 5 deals + 5 closes + 5 activities
            #expect(metrics.contains("saleskpi_engine_events 22"))
            #expect(metrics.contains("http_server_request_duration") || metrics.contains("hb_requests"))
        }
    }

    @Test func openDashboardsHearOfEachIngest() async throws {
        var updates = try f.live.updates.subscribe(userID: 0).makeAsyncIterator()
        let items: [Importer.Item] = [
            (
                "test", 1,
                .success(
                    .activity(
                        Activity(
                            externalID: "m-1", rep: EntityRef("A1"), type: .meetingHeld,
                            at: ValueFormat(calendar: f.live.calendar).timestamp("2026-11-04")!)))
            )
        ]
        let report = try f.live.ingest(source: "crm", skipInvalid: false, items: items)
        #expect(report.totalInserted == 1)
        #expect(await updates.next() == 1)
        #expect(f.live.version == 1)
    }
}
