import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SalesCore
import SalesImport
import SalesStorage
import Testing
import ZIPFoundation

@testable import SalesServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an attacker tried before the server was hardened (issue 16), one test per finding.
@Suite struct HardeningTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let q4 = "from=2026-10-01&to=2027-01-01"

    // MARK: Sign-in

    @Test func aHugeLoginCostsNeitherAThrottleKeyNorMemory() async throws {
        let login = String(repeating: "x", count: 1 << 20)
        try await f.test { client in
            try await client.execute(
                uri: "/login", method: .post, headers: Self.form,
                body: ByteBuffer(string: "login=\(login)&password=p")
            ) { r in
                #expect(r.status == .contentTooLarge)
            }
            // Under the form limit but over the longest login: refused before the throttle sees it.
            let long = String(repeating: "y", count: 4_000)
            try await client.execute(
                uri: "/login", method: .post, headers: Self.form,
                body: ByteBuffer(string: "login=\(long)&password=p")
            ) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func theThrottleTableIsBounded() {
        let throttle = LoginThrottle(maxKeys: 1_000)
        for i in 0..<5_000 { _ = throttle.begin(login: "guess-\(i)", address: "10.0.0.\(i % 200)", now: 1_000) }
        // Two keys a try (login and address, login alone), cut to nine tenths when over.
        #expect(throttle.keyCount <= 1_000)
        // Tries age out: a later prune drops every key of the first wave.
        for i in 0..<1_000 { _ = throttle.begin(login: "later-\(i)", address: "a", now: 2_000) }
        #expect(throttle.keyCount <= 1_000)
        #expect(throttle.begin(login: "guess-4999", address: "10.0.0.199", now: 2_000) == nil)
    }

    @Test func triesAreCountedBeforeThePasswordIsChecked() {
        let throttle = LoginThrottle()
        // Five tries in flight at once (none has failed yet): the sixth must wait.
        for _ in 0..<5 { #expect(throttle.begin(login: "anna", address: "1.2.3.4", now: 100) == nil) }
        #expect(throttle.begin(login: "anna", address: "1.2.3.4", now: 100) == 300)
        // Another address may still try, up to the login's own limit of 20 across addresses.
        for i in 0..<15 { #expect(throttle.begin(login: "ANNA", address: "5.6.7.\(i)", now: 101) == nil) }
        #expect(throttle.begin(login: "anna", address: "9.9.9.9", now: 102) == 298)
        // A right password forgives that address's tries.
        throttle.succeed(login: "anna", address: "5.6.7.0")
        #expect(throttle.begin(login: "carl", address: "1.2.3.4", now: 102) == nil)
    }

    @Test func anUnknownLoginTakesAsLongAsAWrongPassword() throws {
        let hasher = PasswordHasher(cost: 8)
        let hash = hasher.hash("the right one")
        hasher.verifyNothing("warm up")  // the dummy hash is made once
        func seconds(_ body: () -> Void) -> Double {
            let start = Date()
            for _ in 0..<5 { body() }
            return Date().timeIntervalSince(start)
        }
        let known = seconds { _ = hasher.verify("wrong", hash: hash) }
        let unknown = seconds { hasher.verifyNothing("wrong") }
        // Both are a bcrypt of cost 8 (tens of ms); without the dummy an unknown login took no time at all.
        #expect(unknown > known * 0.5, "unknown \(unknown) s, known \(known) s")
    }

    @Test func aSignInFormFromAnotherSiteIsRefused() async throws {
        try await f.test { client in
            let body = ByteBuffer(string: "login=anna&password=correct+horse")
            var h = Self.form
            h[.origin] = "https://evil.example"
            try await client.execute(uri: "/login", method: .post, headers: h, body: body) {
                #expect($0.status == .forbidden)
            }
            h = Self.form
            h[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(uri: "/login", method: .post, headers: h, body: body) {
                #expect($0.status == .forbidden)
            }
            h = Self.form
            h[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            try await client.execute(uri: "/login", method: .post, headers: h, body: body) {
                #expect($0.status == .seeOther)
            }
        }
    }

    @Test func afterSignInOnlyLocalPaths() async throws {
        try await f.test { client in
            for (next, expected) in [
                ("/%5Cevil.example/", "/"), ("/%09/evil.example/", "/"), ("//evil.example", "/"),
                ("https://evil.example", "/"),
                ("/forecast?period=2026-Q4", "/forecast?period=2026-Q4"),
            ] {
                let body = ByteBuffer(string: "login=carl&password=correct+horse&next=\(next)")
                try await client.execute(uri: "/login", method: .post, headers: Self.form, body: body) { r in
                    #expect(r.headers[.location] == expected, "next=\(next)")
                }
            }
            let (cookie, csrf) = try await client.signIn("anna")
            var h = Self.form
            h[.cookie] = cookie
            let body = ByteBuffer(string: "_csrf=\(csrf)&lang=en&back=/%5Cevil.example/")
            try await client.execute(uri: "/language", method: .post, headers: h, body: body) { r in
                #expect(r.headers[.location] == "/")
            }
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("anna")
            for (uri, headers) in [
                ("/login", [:]), ("/", [.cookie: cookie]), ("/api/v1/me", bearer(f.adminToken)),
                ("/no-such-page", [.cookie: cookie]),
            ] as [(String, HTTPFields)] {
                try await client.execute(uri: uri, method: .get, headers: headers) { r in
                    let csp = r.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                    #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'sha256-"), "\(uri)")
                    #expect(r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                    #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                }
            }
            // The hash is the page's one script: a page without inline handlers runs under the policy.
            let (_, page) = try await client.get("/forecast", [.cookie: cookie])
            #expect(!page.contains("onchange=") && !page.contains("oninput="))
            #expect(page.contains("<script>\(Layout.liveScript)</script>"))
        }
    }

    // MARK: Requests that cost the server

    @Test func anUnboundedPeriodIsA400AtOnce() async throws {
        try await f.test { client in
            var h = bearer(f.adminToken)
            h[.acceptLanguage] = "en"
            for uri in [
                "/api/v1/forecast?from=0001-01-01&to=9999-12-31",
                "/api/v1/reports?from=1800-01-01&to=1900-06-01",
                "/api/v1/reports?from=2000-01-01&to=2011-01-02", "/forecast?from=0001-01-01&to=9999-12-31",
            ] {
                let (status, body) = try await client.get(uri, h)
                #expect(status == .badRequest, "\(uri)")
                #expect(
                    body.contains("outside the years 1900–2200") || body.contains("longer than 10 years"),
                    "\(body)")
            }
            // The forecast's refusal comes before its model is trained (which takes the engine's lock): it costs
            // what a request refused for an unreadable date costs, measured alongside it (a fixed bound in
            // milliseconds failed whenever the other suites kept both cores busy).
            var fastest = Double.infinity
            var baseline = Double.infinity
            for _ in 0..<10 {
                var start = Date()
                _ = try await client.get("/api/v1/forecast?from=0001-01-01&to=9999-12-31&team=T2", h)
                fastest = min(fastest, Date().timeIntervalSince(start))
                start = Date()
                let (unreadable, _) = try await client.get("/api/v1/forecast?from=someday&to=9999-12-31&team=T2", h)
                baseline = min(baseline, Date().timeIntervalSince(start))
                #expect(unreadable == .badRequest)
            }
            #expect(fastest < 3 * baseline + 0.05, "the refusal took \(fastest) s, an unreadable date \(baseline) s")
            // Ten years exactly is allowed.
            let (ok, _) = try await client.get("/api/v1/reports?from=2016-11-20&to=2026-11-20", bearer(f.adminToken))
            #expect(ok == .ok)
        }
    }

    @Test func aRepsUploadIsRefusedBeforeItIsRead() async throws {
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("anna")
            var h: HTTPFields = [.cookie: cookie, .contentType: "multipart/form-data; boundary=B"]
            h[HTTPField.Name("X-CSRF-Token")!] = csrf
            let body =
                "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n\r\n"
                + String(repeating: "x", count: 1 << 20) + "\r\n--B--\r\n"
            try await client.execute(
                uri: "/admin/import", method: .post, headers: h,
                body: ByteBuffer(string: body)
            ) { r in
                #expect(r.status == .forbidden)
                #expect(String(buffer: r.body).contains("только администратор"))
            }
        }
    }

    // MARK: Exports

    /// Names and outcomes come from the CRM, and a spreadsheet would run them as formulas.
    @Test func exportsAreSafeInSpreadsheets() async throws {
        try await f.test { client in
            let events = ByteBuffer(
                string: """
                    {"events": [{"event": "rep", "external_id": "EVIL",
                                 "name": "=HYPERLINK(\\"http://evil.example\\",\\"x\\")",
                                 "role": "ae", "team_id": "T1"},
                                {"event": "rep", "external_id": "BELL", "name": "Bell Ringer\\rSecond",
                                 "role": "ae", "team_id": "T1"}]}
                    """)
            try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: bearer(f.adminToken),
                body: events
            ) {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
            }
            let (_, csv) = try await client.get(
                "/api/v1/reports?by=rep&kpis=calls&format=csv&\(Self.q4)",
                bearer(f.adminToken))
            #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",0\n"), "\(csv)")
            // A lone CR is inside quotes: the row is not broken in two.
            #expect(csv.contains("\"Bell Ringer\rSecond\",0\n"))

        }
        // The importer refuses control characters, but a store written before it may hold them.
        let table = ReportTable(columns: ["rep"], rows: [[.text("Bell\u{7} Ringer\u{0}")]])
        let xlsx = try table.xlsx()
        do {
            let archive = try Archive(data: xlsx, accessMode: .read)
            var sheet = Data()
            _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
            let parser = XMLParser(data: sheet)
            #expect(parser.parse(), "the sheet is not well-formed XML: \(String(describing: parser.parserError))")
            #expect(String(decoding: sheet, as: UTF8.self).contains("Bell\u{FFFD} Ringer"))
        }
    }

    // MARK: Replays and odd input

    @Test func anIdempotencyKeyIsBoundToItsBody() async throws {
        try await f.test { client in
            var h = bearer(f.adminToken)
            h[HTTPField.Name("Idempotency-Key")!] = "k-1"
            func batch(_ id: String) -> ByteBuffer {
                ByteBuffer(
                    string: """
                        {"events": [{"event": "activity", "external_id": "\(id)", "rep_id": "A1",
                                     "type": "call", "at": "2026-11-03T12:00:00+03:00"}]}
                        """)
            }
            try await client.execute(uri: "/api/v1/events?source=crm", method: .post, headers: h, body: batch("c-1")) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: h,
                body: batch("c-2")
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("Idempotency-Key"))
            }
            let (_, csv) = try await client.get(
                "/api/v1/reports?by=rep&kpis=calls&format=csv&\(Self.q4)",
                bearer(f.adminToken))
            #expect(csv.contains("Anna,1\n"), "the second body must not have been stored: \(csv)")
        }
    }

    @Test func aNULInAnIdIsABadRow() async throws {
        try await f.test { client in
            let body = ByteBuffer(
                string: """
                    {"events": [{"event": "account", "external_id": "A\\u0000x", "name": "One"},
                                {"event": "account", "external_id": "A\\u0000y", "name": "Two"}]}
                    """)
            try await client.execute(
                uri: "/api/v1/events", method: .post, headers: bearer(f.adminToken),
                body: body
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("U+0000"))
            }
        }
    }

    /// Two requests that stopped the server (found by hand while schemathesis ran): a high surrogate
    /// followed by another escape, and a transcript whose times overflow whole seconds.
    @Test func escapesAndTimesThatOverflowedAreHandled() async throws {
        try await f.test { client in
            let events = ByteBuffer(string: #"{"events":[{"event":"team","external_id":"\uD800\u0041","name":"x"}]}"#)
            try await client.execute(
                uri: "/api/v1/events?source=crm", method: .post, headers: bearer(f.adminToken),
                body: events
            ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            // The store still opens (the fixture's four users are there), and the team was stored with U+FFFD.
            let stored = try f.store.users.all().count
            #expect(stored == 4)
            #expect(try f.live.read { $0.teams.values.contains { $0.externalID == "\u{FFFD}A" } })
            let transcript = ByteBuffer(
                string: """
                    {"utterances":[{"speaker":"rep","start":0,"end":1e19,"text":"hello?"},
                                   {"speaker":"client","start":0,"end":1,"text":"no"}]}
                    """)
            try await client.execute(
                uri: "/api/v1/calls?call=B-call-3&file=a.json", method: .post,
                headers: bearer(f.adminToken), body: transcript
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("utterances[0].end"))
            }
            #expect(try await client.get("/health").0 == .ok)
        }
    }

    /// The "next quarter" chip: a period still to come stopped the server (a period ending before it began).
    @Test func everyPageOpensOnAPeriodStillToCome() async throws {
        try await f.test { client in
            let head = try await client.signIn("head").cookie
            let admin = try await client.signIn("admin").cookie
            let anna = try await client.signIn("anna").cookie
            for period in ["2027-Q1", "2030", "2026-12"] {
                for (cookie, path) in [
                    (head, "/"), (admin, "/"), (anna, "/"), (head, "/forecast"), (admin, "/forecast"),
                    (head, "/deals?set=won"), (head, "/activities?type=call"), (head, "/calls"),
                ] {
                    let separator = path.contains("?") ? "&" : "?"
                    let (status, _) = try await client.get(path + separator + "period=" + period, [.cookie: cookie])
                    #expect(status == .ok, "\(path) in \(period)")
                }
                for uri in ["forecast", "pipeline", "recommendations", "whatif?deal_size=10", "reports", "scorecards"] {
                    let separator = uri.contains("?") ? "&" : "?"
                    let (status, _) = try await client.get(
                        "/api/v1/" + uri + separator + "period=" + period,
                        bearer(f.adminToken))
                    #expect(status == .ok, "\(uri) in \(period)")
                }
            }
        }
    }

    @Test func aDeeplyNestedFormulaIsAnError() throws {
        let deep = String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        #expect(throws: FormulaError.self) { try Formula.parse(deep) }
        #expect(throws: FormulaError.self) { try Formula.parse(String(repeating: "-", count: 20_000) + "1") }
        #expect(try Formula.parse("((deals_won)) / -(-(deals_closed))") != .number(0))
    }

    @Test func scorecardsFollowTeamAndRole() async throws {
        try await f.test { client in
            let (_, north) = try await client.get(
                "/api/v1/scorecards?team=T1&format=csv&\(Self.q4)",
                bearer(f.adminToken))
            #expect(north.contains("Anna") && north.contains("Boris") && !north.contains("Carl"))
            let (_, heads) = try await client.get(
                "/api/v1/scorecards?role=head&format=csv&\(Self.q4)",
                bearer(f.adminToken))
            #expect(heads.contains("Helga") && !heads.contains("Anna"))
            let (status, _) = try await client.get(
                "/api/v1/scorecards?team=T2",
                [.cookie: try await client.signIn("head").cookie])
            #expect(status == .forbidden)
        }
    }

    // MARK: Revocation

    @Test func disablingAUserEndsTheirSessionAndTokensAtOnce() async throws {
        let anna = try #require(try f.store.users.user(login: "anna"))
        let token = try TokenIssuer.issue(for: anna, name: "sheet", in: f.store.apiTokens)
        try await f.test { client in
            let (annaCookie, _) = try await client.signIn("anna")
            #expect(try await client.get("/api/v1/me", bearer(token)).0 == .ok)
            let (cookie, csrf) = try await client.signIn("admin")
            var h = Self.form
            h[.cookie] = cookie
            try await client.execute(
                uri: "/admin/users/change", method: .post, headers: h,
                body: ByteBuffer(string: "_csrf=\(csrf)&login=anna&action=disable")
            ) { r in
                #expect(r.headers[.location] == "/admin?notice=changed")
            }
            // Cached for seconds otherwise: the admin page's change is seen on the next request.
            #expect(try await client.get("/", [.cookie: annaCookie]).0 == .seeOther)
            #expect(try await client.get("/api/v1/me", bearer(token)).0 == .unauthorized)
            try await client.execute(
                uri: "/login", method: .post, headers: Self.form,
                body: ByteBuffer(string: "login=anna&password=correct+horse")
            ) {
                #expect($0.status == .unauthorized)
            }

            try await client.execute(
                uri: "/admin/users/change", method: .post, headers: h,
                body: ByteBuffer(string: "_csrf=\(csrf)&login=anna&action=enable")
            ) { _ in }
            #expect(try await client.get("/api/v1/me", bearer(token)).0 == .ok)
            let id = try #require(try f.store.apiTokens.list(userID: anna.id).first?.id)
            try await client.execute(
                uri: "/admin/tokens/revoke", method: .post, headers: h,
                body: ByteBuffer(string: "_csrf=\(csrf)&id=\(id)")
            ) { r in
                #expect(r.headers[.location] == "/admin?notice=revoked")
            }
            #expect(try await client.get("/api/v1/me", bearer(token)).0 == .unauthorized)
            // The last admin cannot be disabled.
            try await client.execute(
                uri: "/admin/users/change", method: .post, headers: h,
                body: ByteBuffer(string: "_csrf=\(csrf)&login=admin&action=disable")
            ) { r in
                #expect(r.headers[.location] == "/admin?notice=last-admin")
            }
            let audit = try f.store.audit.latest(limit: 10).map(\.action)
            #expect(Array(audit.prefix(3)) == ["token.revoke", "user.enable", "user.disable"])
        }
    }
}

/// The limits a real `saleskpi serve` keeps on sockets (idle timeout, live streams, heartbeat), probed
/// over raw sockets by `Tests/support/hardening_probe.py`.
@Suite(.serialized) struct ServedHardeningTests {
    @Test func idleConnectionsAndLiveStreamsAreBounded() async throws {
        let run = BrowserTests.run
        let bin = BrowserTests.binary
        let dir = NSTemporaryDirectory() + "saleskpi-hardening-\(UUID().uuidString)"
        let db = dir + "/store.sqlite"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(
            try run(
                bin,
                [
                    "generate", "--reps", "5", "--days", "30", "--seed", "3",
                    "--out", dir + "/bundle",
                ], [:]
            ).0 == 0)
        try #require(try run(bin, ["import", "--db", db, dir + "/bundle", "--source", "demo"], [:]).0 == 0)
        var tokens: [String: String] = [:]
        for (login, role, rep) in [("admin", "admin", nil), ("rep", "rep", "R3")] as [(String, String, String?)] {
            let add =
                ["user", "add", "--db", db, "--login", login, "--role", role, "--cost", "4"]
                + (rep.map { ["--rep", $0] } ?? [])
            try #require(try run(bin, add, ["SALESKPI_PASSWORD": "hardening-1"]).0 == 0)
            let (status, out) = try run(bin, ["user", "token", "--db", db, "--login", login, "--name", "probe"], [:])
            try #require(status == 0)
            tokens[login] = out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // A port the system says is free: suites run in parallel, and a fixed one may be taken.
        let bind = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
        let free = try run("/usr/bin/env", ["python3", "-c", bind], [:])
        let port = try #require(Int(free.1.trimmingCharacters(in: .whitespacesAndNewlines)))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: bin)
        server.arguments = [
            "serve", "--db", db, "--port", String(port), "--idle-timeout", "2", "--max-streams", "3",
            "--max-streams-per-user", "2", "--heartbeat", "1", "--log-level", "notice",
        ]
        let log = dir + "/serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        server.standardOutput = FileHandle(forWritingAtPath: log)
        server.standardError = server.standardOutput
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<300 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = (try? Data(contentsOf: URL(string: base + "/health")!)) != nil
        }
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(up, "the server did not start within 30 s: \(said)")
        let probe = BrowserTests.root.appendingPathComponent("Tests/support/hardening_probe.py").path
        let (status, out) = try run(
            "/usr/bin/env", ["python3", probe],
            ["BASE_URL": base, "REP_TOKEN": tokens["rep"]!, "ADMIN_TOKEN": tokens["admin"]!])
        print(out)
        #expect(status == 0, "\(out)")
    }
}
