import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SalesCore
import SalesImport
import SalesServer
import Testing

/// The admin pages change the KPI system, plans and data only through the linter's and the
/// importer's checks, and write every change to the audit log.
@Suite struct AdminTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func encode(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                .joined(separator: "&"))
    }

    @Test func theKPISystemIsSavedOnlyWhenTheLinterFindsNoError() async throws {
        let original = KPISystemFile.defaultText
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("admin")
            var h = Self.form
            h[.cookie] = cookie
            let (s, page) = try await client.get("/admin/kpi-system", [.cookie: cookie])
            #expect(s == .ok && page.contains("id=\"lint-clean\"") && page.contains("plan_fulfillment, weight: 35"))
            // Weights of 110 %: refused, with the linter's error, and nothing changes.
            let broken = original.replacingOccurrences(
                of: "{ kpi: plan_fulfillment, weight: 35", with: "{ kpi: plan_fulfillment, weight: 45")
            try await client.execute(
                uri: "/admin/kpi-system", method: .post, headers: h,
                body: Self.encode([("_csrf", csrf), ("yaml", broken), ("action", "save")])
            ) { r in
                #expect(r.status == .unprocessableContent)
                let body = String(buffer: r.body)
                #expect(body.contains("<code>weights-sum</code>") && body.contains("110"))
            }
            #expect(f.live.system.roles[.ae]?.kpis.first?.weight == 35)
            // A syntax error names its line.
            try await client.execute(
                uri: "/admin/kpi-system", method: .post, headers: h,
                body: Self.encode([("_csrf", csrf), ("yaml", "roles:\n  ae: [unclosed"), ("action", "check")])
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("<code>syntax</code>"))
            }
            // 40 + 15 instead of 35 + 20: saved, in force, kept in the store and audited.
            let edited = original.replacingOccurrences(
                of: "{ kpi: plan_fulfillment, weight: 35", with: "{ kpi: plan_fulfillment, weight: 40"
            )
            .replacingOccurrences(
                of: "{ kpi: sql_to_deal_conversion, weight: 20", with: "{ kpi: sql_to_deal_conversion, weight: 15")
            try await client.execute(
                uri: "/admin/kpi-system", method: .post, headers: h,
                body: Self.encode([("_csrf", csrf), ("yaml", edited), ("action", "save")])
            ) { r in
                #expect(r.status == .seeOther)
            }
            #expect(f.live.system.roles[.ae]?.kpis.map(\.weight) == [40, 15, 15, 10, 20])
            #expect(try f.store.kpiSystems.latest() == edited)
            let (_, cards) = try await client.get(
                "/api/v1/scorecards?rep=A1&format=csv&\(RouterTests.q4)", [.cookie: cookie])
            #expect(cards.contains(",40,"))  // the new weight in Anna's scorecard
            let (_, admin) = try await client.get("/admin", [.cookie: cookie])
            #expect(
                admin.contains("kpi_system.save")
                    && admin.contains("ae: plan_fulfillment weight 35 → 40; ae: sql_to_deal_conversion weight 20 → 15"))
        }
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("head")
            var h = Self.form
            h[.cookie] = cookie
            try await client.execute(
                uri: "/admin/kpi-system", method: .post, headers: h,
                body: Self.encode([("_csrf", csrf), ("yaml", original), ("action", "save")])
            ) { r in
                #expect(r.status == .forbidden)
            }
        }
    }

    @Test func plansSetOnTheAdminPageDriveFulfillmentAndAreAudited() async throws {
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("admin")
            var h = Self.form
            h[.cookie] = cookie
            let anna = f.live.read { $0.rep(externalID: "A1")!.id }
            func set(_ target: String) async throws {
                try await client.execute(
                    uri: "/admin/plans", method: .post, headers: h,
                    body: Self.encode([
                        ("_csrf", csrf), ("scope", "rep"), ("owner", String(anna)), ("kpi", "revenue"),
                        ("from", "2026-10-01"), ("to", "2027-01-01"), ("target", target),
                    ])
                ) { r in
                    #expect(r.headers[.location] == "/admin/plans?notice=saved")
                }
            }
            func fulfillment() async throws -> String {
                try await client.get(
                    "/api/v1/reports?by=rep&kpis=plan_fulfillment&format=csv&\(RouterTests.q4)", bearer(f.adminToken)
                ).1
            }
            try await set("300 000")
            #expect(try await fulfillment().contains("Anna,50.00\n"))  // 150 000 of 300 000
            try await set("200000")
            #expect(try await fulfillment().contains("Anna,75.00\n"))  // the later plan replaces the first
            let (_, admin) = try await client.get("/admin", [.cookie: cookie])
            #expect(admin.contains("rep A1 (Anna) revenue 2026-Q4: 300000.00 → 200000.00"))
            // A team's plan: North won 180 000 of 360 000.
            let north = f.live.read { e in e.teams.values.first { $0.name == "North" }!.id }
            try await client.execute(
                uri: "/admin/plans", method: .post, headers: h,
                body: Self.encode([
                    ("_csrf", csrf), ("scope", "team"), ("owner", String(anna)), ("team", String(north)),
                    ("kpi", "revenue"),
                    ("from", "2026-10-01"), ("to", "2027-01-01"), ("target", "360000"),
                ])
            ) { r in
                #expect(r.headers[.location] == "/admin/plans?notice=saved")
            }
            let (_, teams) = try await client.get(
                "/api/v1/reports?by=team&kpis=plan_fulfillment&format=csv&\(RouterTests.q4)", bearer(f.adminToken))
            #expect(teams.contains("North,50.00\n"))
            let (_, plans) = try await client.get("/admin/plans?\(RouterTests.q4)", [.cookie: cookie])
            #expect(plans.contains("id=\"plans\"") && plans.contains("200 000"))
            try await client.execute(
                uri: "/admin/plans", method: .post, headers: h,
                body: Self.encode([
                    ("_csrf", csrf), ("scope", "rep"), ("owner", String(anna)), ("kpi", "nope"), ("from", "2026-10-01"),
                    ("to", "2027-01-01"), ("target", "1"),
                ])
            ) { r in
                #expect(r.headers[.location] == "/admin/plans?notice=invalid")
            }
        }
    }

    /// A multipart body as a browser sends it.
    /// The upload a check page's commit button names.
    static func uploadID(in page: String) -> String {
        page.components(separatedBy: "name=\"upload\" value=\"").dropFirst().first.map { String($0.prefix(64)) } ?? ""
    }

    static func multipart(_ fields: [(String, String)], files: [(field: String, name: String, content: String)]) -> (
        HTTPFields, ByteBuffer
    ) {
        let boundary = "----SalesKPITestBoundary7MA4YWxk"
        var body = ""
        for (k, v) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        for f in files {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.field)\"; "
                + "filename=\"\(f.name)\"\r\nContent-Type: text/csv\r\n\r\n\(f.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    /// A Bitrix24 export uploaded as it came: recognised, reported with its stage map before the commit, stored;
    /// the next export, with B1 handed to Глеб and B2's amount changed, reports both deals as changed and moves
    /// B1's revenue to Глеб once committed.
    @Test func aCRMExportIsRecognisedAndReportedWithItsStages() async throws {
        let f = self.f
        let header =
            "\u{FEFF}\"ID\";\"Стадия сделки\";\"Сумма\";\"Валюта\";\"Ответственный\";\"Дата создания\";"
            + "\"Дата изменения\";\"Предполагаемая дата закрытия\";\"Компания\";\n"
        let export = { @Sendable (b1Owner: String, b2Amount: String) in
            header
                + "\"B1\";\"Сделка успешна\";\"1000.00\";\"Российский рубль\";\"\(b1Owner)\";\"01.10.2026 10:00:00\";"
                + "\"05.10.2026 10:00:00\";\"05.10.2026\";\"ООО Б\";\n"
                + "\"B2\";\"В работе\";\"\(b2Amount)\";\"Российский рубль\";\"Вера\";\"02.10.2026 10:00:00\";"
                + "\"06.10.2026 10:00:00\";\"\";\"ООО Б\";\n"
        }
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("admin")
            func upload(_ csv: String) async throws -> (page: String, id: String) {
                var (h, body) = Self.multipart(
                    [("_csrf", csrf), ("mode", "crm:auto"), ("source", "")], files: [("files", "deals.csv", csv)])
                h[.cookie] = cookie
                return try await client.execute(uri: "/admin/import", method: .post, headers: h, body: body) { r in
                    #expect(r.status == .ok)
                    let page = String(buffer: r.body)
                    return (page, Self.uploadID(in: page))
                }
            }
            func commit(_ upload: String) async throws -> String? {
                var form = Self.form
                form[.cookie] = cookie
                return try await client.execute(
                    uri: "/admin/import/commit", method: .post, headers: form,
                    body: Self.encode([("_csrf", csrf), ("upload", upload)])
                ) { $0.headers[.location] }
            }
            let first = try await upload(export("Вера", "2000.00"))
            #expect(first.page.contains("id=\"import-recipe\">Прочитано как: bitrix24<"), "\(first.page)")
            // A rep, an account, two deals, the win and the open deal's stage.
            #expect(first.page.contains("data-inserted=\"6\""))
            #expect(first.page.contains("<tr><td>Сделка успешна</td><td>выиграна</td><td class=\"num\">1</td></tr>"))
            #expect(first.page.contains("id=\"import-currencies\">Суммы по валютам (сделки, счета, оплаты): RUB 2<"))
            #expect(try await commit(first.id) == "/admin/import?notice=imported&inserted=6")
            #expect(f.live.read { $0.rep(externalID: "Вера") != nil })

            let next = try await upload(export("Глеб", "2500.00"))
            #expect(next.page.contains("data-inserted=\"1\""))  // Глеб
            #expect(next.page.contains("<tr><td>deals.csv</td><td class=\"num\">0</td><td class=\"num\">2</td></tr>"))
            _ = try await commit(next.id)
            let revenue = f.live.read { e in
                ["Вера", "Глеб"].map { e.measures(.rep(e.rep(externalID: $0)!.id), .min, .max)[.wonRevenue] }
            }
            #expect(revenue == [0, 1000_00])
        }
    }

    @Test func anUploadIsCheckedBeforeItIsCommitted() async throws {
        let f = self.f
        /// Anna's calls in 2026-Q4 as the engine counts them.
        let calls = { @Sendable () -> Int64 in
            f.live.read {
                $0.measures(
                    .rep($0.rep(externalID: "A1")!.id),
                    in: Period(
                        from: CivilDate(year: 2026, month: 10, day: 1), to: CivilDate(year: 2027, month: 1, day: 1)))[
                        .calls]
            }
        }
        try await f.test { client in
            let (cookie, csrf) = try await client.signIn("admin")
            // A bad row: nothing can be stored, and the report names the file, line and field.
            var (h, body) = Self.multipart(
                [("_csrf", csrf), ("mode", "bundle"), ("source", "crm")],
                files: [
                    (
                        "files", "activities.csv",
                        "external_id,rep_id,type,at\nU1,A1,call,2026-11-02T10:00\nU2,A1,visit,2026-11-02T11:00\n"
                    )
                ])
            h[.cookie] = cookie
            try await client.execute(uri: "/admin/import", method: .post, headers: h, body: body) { r in
                #expect(r.status == .unprocessableContent)
                let page = String(buffer: r.body)
                #expect(page.contains("id=\"import-blocked\""))
                #expect(page.contains("<td>activities.csv</td><td class=\"num\">3</td><td>type</td>"))
            }
            // Good rows: the check stores nothing, the commit stores them once.
            (h, body) = Self.multipart(
                [("_csrf", csrf), ("mode", "bundle"), ("source", "crm")],
                files: [
                    (
                        "files", "activities.csv",
                        "external_id,rep_id,type,at,duration_seconds\nU1,A1,call,2026-11-02T10:00,200\n"
                            + "U2,A1,call,2026-11-02T11:00,60\n"
                    )
                ])
            h[.cookie] = cookie
            let upload = try await client.execute(uri: "/admin/import", method: .post, headers: h, body: body) { r in
                #expect(r.status == .ok)
                let page = String(buffer: r.body)
                #expect(page.contains("data-inserted=\"2\""))
                return Self.uploadID(in: page)
            }
            #expect(calls() == 0)
            var form = Self.form
            form[.cookie] = cookie
            try await client.execute(
                uri: "/admin/import/commit", method: .post, headers: form,
                body: Self.encode([("_csrf", csrf), ("upload", upload)])
            ) { r in
                #expect(r.headers[.location] == "/admin/import?notice=imported&inserted=2")
            }
            #expect(calls() == 2)
            // The upload is gone once committed: a second commit cannot store it twice.
            try await client.execute(
                uri: "/admin/import/commit", method: .post, headers: form,
                body: Self.encode([("_csrf", csrf), ("upload", upload)])
            ) { r in
                #expect(r.headers[.location] == "/admin/import?notice=expired")
            }
            // Without the CSRF field the upload is refused.
            (h, body) = Self.multipart(
                [("mode", "bundle")], files: [("files", "activities.csv", "external_id,rep_id,type,at\n")])
            h[.cookie] = cookie
            try await client.execute(uri: "/admin/import", method: .post, headers: h, body: body) { r in
                #expect(r.status == .forbidden)
            }
            let (_, admin) = try await client.get("/admin", [.cookie: cookie])
            #expect(
                admin.contains("bundle activities.csv from source &#39;crm&#39;: 2 stored")
                    || admin.contains("bundle activities.csv from source 'crm': 2 stored"))
        }
        #expect(calls() == 2)
    }
}
