import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalesServer
import Testing

/// Transcripts through the API into the KPIs, the call list and the call page, with the same rights
/// as every other number. Boris's call B-call-3 (3 Nov 2026, 15:45) gets this transcript, counted by hand:
/// rep 0–4 and 10–12 s (6 s), client 4–10 s (6 s): talk 50 %. Greeting only: script 1 of 5 = 20 %.
/// «Дорого» is a price objection; «Понятно.» (one word) does not handle it and no next step follows:
/// 0 of 1. No question. Score 1 + round(4 × (0.2 + 0 + 0 + 0) / 4) = 1.
@Suite struct CallRouteTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }

    static let vtt = """
        WEBVTT

        00:00.000 --> 00:04.000
        <v Менеджер>Добрый день! Меня зовут Борис.

        00:04.000 --> 00:10.000
        <v Клиент>Здравствуйте. Дорого у вас всё.

        00:10.000 --> 00:12.000
        <v Менеджер>Понятно.
        """

    @Test func aTranscriptSentByAPIFeedsTheKPIsTheListAndTheCallPage() async throws {
        try await f.test { client in
            let admin = bearer(f.adminToken)
            // The file names the wrong call: nothing stored, the problem named.
            try await client.execute(
                uri: "/api/v1/calls?call=NOPE&file=b.vtt", method: .post, headers: admin,
                body: ByteBuffer(string: Self.vtt)
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("NOPE"))
            }
            let id = try await client.execute(
                uri: "/api/v1/calls?call=B-call-3&file=b.vtt", method: .post, headers: admin,
                body: ByteBuffer(string: Self.vtt)
            ) { r -> Int in
                #expect(r.status == .created)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                #expect(
                    json["score"] as? Int == 1 && json["objections_raised"] as? Int == 1
                        && json["objections_handled"] as? Int == 0)
                #expect(json["next_step_agreed"] as? Bool == false)
                return json["analysis_id"] as! Int
            }
            // Sent again: answered, not counted twice.
            try await client.execute(
                uri: "/api/v1/calls?call=B-call-3&file=b.vtt", method: .post, headers: admin,
                body: ByteBuffer(string: Self.vtt)
            ) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"stored\":false"))
            }
            let (_, csv) = try await client.get("/api/v1/calls?rep=A2&format=csv&\(RouterTests.q4)", admin)
            #expect(
                csv == """
                    at,rep,call,score,objections_handled,script_pct,next_step,talk_pct,questions,evaluation
                    2026-11-03 15:45,Boris,B-call-3,1,0/1,20,no,50,0,\(id)

                    """)
            let (_, report) = try await client.get(
                "/api/v1/reports?by=rep&kpis=calls_analyzed,objections_handled_share,script_compliance,talk_ratio"
                    + "&format=csv&\(RouterTests.q4)",
                admin)
            #expect(report.split(separator: "\n").first { $0.hasPrefix("Boris,") } == "Boris,1,0.00,20.00,50.00")

            let (anna, _) = try await client.signIn("anna")
            let (forbidden, _) = try await client.get("/api/v1/calls/\(id)", [.cookie: anna])
            #expect(forbidden == .forbidden)
            let (forbiddenPage, _) = try await client.get("/calls/\(id)", [.cookie: anna])
            #expect(forbiddenPage == .forbidden)

            let (head, _) = try await client.signIn("head")
            let (ok, json) = try await client.get("/api/v1/calls/\(id)", [.cookie: head])
            #expect(ok == .ok)
            #expect(json.contains("\"call\":\"B-call-3\"") && json.contains("\"argumentation_score\":1"))
            let (pageStatus, page) = try await client.get("/calls/\(id)", [.cookie: head])
            #expect(pageStatus == .ok)
            #expect(page.contains("<mark class=\"objection\" data-id=\"price\" title=\"цена\">Дорого</mark>"))
            #expect(page.contains("data-stage=\"greeting\" data-covered=\"true\""))
            #expect(page.contains("data-stage=\"next_step\" data-covered=\"false\""))
            let (_, list) = try await client.get("/calls?slice=rep:3&\(RouterTests.q4)", [.cookie: head])
            #expect(list.contains("href=\"/calls/\(id)\""))
        }
    }

    /// The head corrects the price objection to handled and the call's next step to agreed. By hand: objections
    /// handled 1 of 1 = 100 %; the score 1 + round(4 × (0.2 + 1 + 0 + 0) / 4) = 2 (script 1 of 5, the answer
    /// «Понятно.» gave no reason or number); the next step column "yes". Then the admin, on the page's form, counts
    /// «Понятно.» as the `objections` stage: script 2 of 5, score 1 + round(4 × (0.4 + 1) / 4) = 2. A rep may not
    /// correct; a bad correction is refused with its reason; each correction is in the audit log and on the page.
    @Test func aHeadsCorrectionChangesTheMarksAndTheKPIsAtOnce() async throws {
        try await f.test { client in
            let admin = bearer(f.adminToken)
            let id = try await client.execute(
                uri: "/api/v1/calls?call=B-call-3&file=b.vtt", method: .post, headers: admin,
                body: ByteBuffer(string: Self.vtt)
            ) { r -> Int in
                let json = try #require(JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                return try #require(json["analysis_id"] as? Int)
            }
            let uri = "/api/v1/calls/\(id)/corrections"
            let csrfHeader = HTTPField.Name("X-CSRF-Token")!
            let (anna, annaCSRF) = try await client.signIn("anna")
            try await client.execute(
                uri: uri, method: .post, headers: [.cookie: anna, csrfHeader: annaCSRF],
                body: ByteBuffer(string: #"{"utterance": 1, "objections": {}}"#)
            ) { r in #expect(r.status == .forbidden) }
            let (head, csrf) = try await client.signIn("head")
            let headers: HTTPFields = [.cookie: head, csrfHeader: csrf, .contentType: "application/json"]
            // Utterance 0 is the rep's: no objection there.
            try await client.execute(
                uri: uri, method: .post, headers: headers,
                body: ByteBuffer(string: #"{"utterance": 0, "objections": {"price": true}}"#)
            ) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("менеджера"))
            }
            try await client.execute(
                uri: uri, method: .post, headers: headers,
                body: ByteBuffer(string: #"{"utterance": 1, "objections": {"price": true}}"#)
            ) { r in
                #expect(r.status == .ok)
                let json = try #require(JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                let analysis = try #require(json["analysis"] as? [String: Any])
                let objections = try #require(analysis["objections"] as? [[String: Any]])
                #expect(objections.count == 1 && objections[0]["handled"] as? Bool == true)
                #expect(analysis["argumentation_score"] as? Int == 2)
                let corrections = try #require(json["corrections"] as? [[String: Any]])
                #expect(corrections.count == 1 && corrections[0]["by"] as? String == "head")
            }
            try await client.execute(
                uri: uri, method: .post, headers: headers, body: ByteBuffer(string: #"{"next_step_agreed": true}"#)
            ) { r in #expect(r.status == .ok) }

            let (_, csv) = try await client.get("/api/v1/calls?rep=A2&format=csv&\(RouterTests.q4)", admin)
            #expect(csv.contains("2026-11-03 15:45,Boris,B-call-3,2,1/1,20,yes,50,0,\(id)"))
            let (_, report) = try await client.get(
                "/api/v1/reports?by=rep&kpis=calls_analyzed,objections_handled_share,script_compliance&format=csv&"
                    + RouterTests.q4, admin)
            #expect(report.split(separator: "\n").first { $0.hasPrefix("Boris,") } == "Boris,1,100.00,20.00")

            let (_, page) = try await client.get("/calls/\(id)", [.cookie: head])
            #expect(page.contains("<table id=\"corrections\">") && page.contains("<td>head</td>"))
            #expect(page.contains("data-objection=\"price\" data-handled=\"true\""))
            #expect(
                page.contains(
                    "<form method=\"post\" action=\"/calls/\(id)/corrections\" class=\"inline\" id=\"next-step-form\">")
            )
            #expect(page.contains("<input type=\"checkbox\" name=\"objection.price\" checked>"))
            let (_, annaPage) = try await client.get("/calls?slice=rep:3&\(RouterTests.q4)", [.cookie: anna])
            #expect(!annaPage.contains("/corrections"))
            let audit = try f.store.audit.latest(limit: 5).filter { $0.action == "call.correct" }
            #expect(audit.count == 2 && audit.allSatisfy { $0.login == "head" && $0.detail.hasPrefix("B-call-3 ") })

            // The page's form, by the admin: the rep's «Понятно.» is the `objections` stage.
            let (adminCookie, adminCSRF) = try await client.signIn("admin")
            try await client.execute(
                uri: "/calls/\(id)/corrections", method: .post,
                headers: [.cookie: adminCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(adminCSRF)&utterance=2&speaker=rep&stage.objections=on")
            ) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/calls/\(id)#u2")
            }
            let (_, after) = try await client.get("/api/v1/calls?rep=A2&format=csv&\(RouterTests.q4)", admin)
            #expect(after.contains("2026-11-03 15:45,Boris,B-call-3,2,1/1,40,yes,50,0,\(id)"))
        }
    }
}
