import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SalesServer
import Testing

/// The lists behind the numbers: their lengths equal the KPIs (counted by hand in `ServerFixture`),
/// and they obey the same rights as the numbers.
@Suite struct DrillDownTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }

    static let q3 = "from=2026-07-01&to=2026-10-01", q4 = RouterTests.q4

    @Test func dealListsMatchTheirCounts() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("anna")
            let h: HTTPFields = [.cookie: cookie]
            let (s, csv) = try await client.get("/api/v1/deals?set=won&format=csv&\(Self.q4)", h)  // her own by default
            #expect(s == .ok)
            #expect(
                csv == """
                    deal,account,owner,product,kind,stage,opened,closed,amount,original_amount,currency
                    D2,Client,Anna,,new,won,2026-09-01,2026-10-20,50000.00,,
                    D1,Client,Anna,,new,won,2026-09-01,2026-10-05,100000.00,,

                    """)
            let (forbidden, message) = try await client.get("/api/v1/deals?rep=A2&\(Self.q4)", h)
            #expect(forbidden == .forbidden)
            #expect(message.contains("только ваши показатели"))
            let (bad, refusal) = try await client.get("/api/v1/deals?set=pending", h)
            #expect(bad == .badRequest)
            #expect(refusal.contains("set=pending") && refusal.contains("won, lost"), "\(refusal)")
        }
        try await f.test { client in
            let (cookie, _) = try await client.signIn("head")
            let h: HTTPFields = [.cookie: cookie]
            func ids(_ query: String) async throws -> [String] {
                let (s, body) = try await client.get("/api/v1/deals?format=csv&" + query, h)
                #expect(s == .ok)
                return body.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            }
            #expect(try await ids("set=closed&rep=A2&\(Self.q4)") == ["D4", "D3"])  // win rate 1 of 2
            #expect(try await ids("set=lost&rep=A2&\(Self.q4)") == ["D4"])
            // all open on 1 Oct
            #expect(try await ids("set=open&team=T1&\(Self.q3)").sorted() == ["D1", "D2", "D3", "D4"])
            #expect(try await ids("set=open&team=T1&\(Self.q4)") == [])
            #expect(try await ids("set=opened&team=T1&\(Self.q3)").count == 4)
            let (_, report) = try await client.get("/api/v1/reports?by=team&kpis=open_deals&format=csv&\(Self.q3)", h)
            #expect(report == "team,open_deals\nNorth,4\n")
            let (other, _) = try await client.get("/api/v1/deals?team=T2&\(Self.q4)", h)
            #expect(other == .forbidden)
            let (unknown, _) = try await client.get("/api/v1/deals?rep=NOPE", h)
            #expect(unknown == .notFound)
        }
    }

    @Test func activityListsAreHalfOpenInCompanyTimeAndCountedInFull() async throws {
        try await f.test { client in
            let h = bearer(f.adminToken)
            try await client.execute(
                uri: "/api/v1/activities?rep=A2&type=call&format=csv&\(Self.q4)", method: .get, headers: h
            ) { r in
                #expect(r.status == .ok)
                #expect(r.headers[HTTPField.Name("X-Total-Count")!] == "3")  // the 30 Sep call is Q3
                #expect(
                    String(buffer: r.body) == """
                        at,type,rep,account,duration_min,outcome,activity
                        2026-11-03 15:45,call,Boris,Client,10.0,,B-call-3
                        2026-10-01 16:00,call,Boris,Client,1.0,,B-call-2
                        2026-10-01 09:30,call,Boris,Client,5.0,,B-call-1

                        """)
            }
            try await client.execute(
                uri: "/api/v1/activities?rep=A2&limit=2&format=json&\(Self.q4)", method: .get, headers: h
            ) { r in
                #expect(r.headers[HTTPField.Name("X-Total-Count")!] == "4")  // three calls and a meeting
                let rows = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [[String: Any]]
                #expect(rows.map { $0["activity"] as! String } == ["B-call-3", "B-meet-1"])
            }
            let (_, q3) = try await client.get("/api/v1/activities?rep=A2&type=call&format=csv&\(Self.q3)", h)
            #expect(q3.contains("2026-09-30 23:30,call,Boris,Client,2.0,,B-call-0"))
            let (badType, msg) = try await client.get("/api/v1/activities?type=visit", h)
            #expect(badType == .badRequest)
            #expect(msg.contains("meeting_held"))
            let (badLimit, _) = try await client.get("/api/v1/activities?limit=0", h)
            #expect(badLimit == .badRequest)
        }
        try await f.test { client in
            let (cookie, _) = try await client.signIn("anna")
            let (s, _) = try await client.get("/api/v1/activities?rep=A2", [.cookie: cookie])
            #expect(s == .forbidden)
        }
    }

    @Test func dashboardNumbersLinkToTheirLists() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("head")
            let h: HTTPFields = [.cookie: cookie]
            let boris = f.live.read { $0.rep(externalID: "A2")!.id }
            let (_, dash) = try await client.get("/?\(Self.q4)", h)
            // The team table's deals-won cell of Boris opens his won deals.
            #expect(
                dash.contains("href=\"/deals?from=2026-10-01&amp;set=won&amp;slice=rep:\(boris)&amp;to=2027-01-01\""))
            let (s, page) = try await client.get("/deals?set=won&slice=rep:\(boris)&\(Self.q4)", h)
            #expect(s == .ok)
            #expect(page.contains("data-count=\"1\""))
            #expect(page.contains("<td data-col=\"deal\">D3</td>"))
            #expect(
                page.contains(
                    "href=\"/api/v1/deals?from=2026-10-01&amp;to=2027-01-01&amp;rep=A2&amp;set=won&amp;format=xlsx\""))
            let (_, calls) = try await client.get("/activities?type=call&slice=rep:\(boris)&\(Self.q4)", h)
            #expect(calls.contains("data-count=\"3\""))
            #expect(calls.contains("звонок"))  // values in the user's language
            let carl = f.live.read { $0.rep(externalID: "C1")!.id }
            let (refused, _) = try await client.get("/deals?slice=rep:\(carl)&\(Self.q4)", h)
            #expect(refused == .forbidden)
        }
    }
}
