import Foundation
import HTTPTypes
import HummingbirdTesting
import SalesCore
import SalesServer
import Testing

/// The forecast, pipeline, recommendations and what-if routes on the hand-made company of
/// `ServerFixture` (today 2026-11-20, so forecasts are made at the start of 21 November).
///
/// 2026-Q4 has 41 days left. No deal is open, so a forecast is the revenue won plus new deals:
/// the deals opened and won in the last 90 days whose cycle is shorter than 41 days, each counting
/// (41 − cycle) ÷ 90 new deals of the mean such amount. Anna: D1 (1 Sep 00:00 → 5 Oct 12:00,
/// 34.5 days) → 6.5/90 × 100 000 = 7 222.22; D2 took 49.5 days. Boris: D3, 39.5 days → 1.5/90 ×
/// 30 000 = 500. North: (6.5 + 1.5)/90 × 65 000 = 5 777.78.
@Suite struct InsightRouteTests {
    let f: ServerFixture
    init() throws { f = try ServerFixture() }
    static let q4 = "from=2026-10-01&to=2027-01-01"
    static let english: HTTPFields = [.acceptLanguage: "en"]

    @Test func everyRouteNeedsSignInAndRespectsRights() async throws {
        try await f.test { client in
            for uri in ["/api/v1/forecast", "/api/v1/pipeline", "/api/v1/recommendations", "/api/v1/whatif"] {
                #expect(try await client.get(uri).0 == .unauthorized, "\(uri)")
            }
            let (cookie, _) = try await client.signIn("anna")
            let h: HTTPFields = [.cookie: cookie]
            for uri in [
                "/api/v1/forecast?rep=A2", "/api/v1/pipeline?rep=A2", "/api/v1/recommendations?team=T1",
                "/api/v1/whatif?rep=A2",
            ] {
                #expect(try await client.get(uri, h).0 == .forbidden, "\(uri)")
            }
            let boris = f.live.read { $0.rep(externalID: "A2")!.id }
            #expect(try await client.get("/forecast?slice=rep:\(boris)", h).0 == .forbidden)
            let (page, html) = try await client.get("/forecast?\(Self.q4)", h)
            #expect(page == .ok && html.contains("id=\"whatif\"") && html.contains("id=\"forecast-table\""))
            #expect(try await client.get("/api/v1/whatif?stage=lost", h).0 == .badRequest)
            #expect(try await client.get("/api/v1/whatif?deal_size=abc", h).0 == .badRequest)
        }
    }

    @Test func forecastByHand() async throws {
        try await f.test { client in
            let (cookie, _) = try await client.signIn("head")
            var h: HTTPFields = [.cookie: cookie]
            h[.acceptLanguage] = "en"
            let (s, csv) = try await client.get("/api/v1/forecast?format=csv&\(Self.q4)", h)
            #expect(s == .ok)
            let rows = csv.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            #expect(rows[0].prefix(5) == ["who", "closed", "from_open_deals", "from_new_deals", "expected"])
            // The same keys whatever the language: a script must not break with the locale.
            h[.acceptLanguage] = "ru"
            let (_, russian) = try await client.get("/api/v1/forecast?format=csv&\(Self.q4)", h)
            #expect(russian.split(separator: "\n").first == csv.split(separator: "\n").first)
            h[.acceptLanguage] = "en"
            #expect(
                rows.dropFirst().map { [$0[0], $0[1], $0[3], $0[4]] } == [
                    ["North", "180000", "5778", "185778"], ["Anna", "150000", "7222", "157222"],
                    ["Boris", "30000", "500", "30500"],
                ])
            // What-if: amounts +10 % → Anna's new deals 7 222.22 × 1.1 = 7 944.44.
            let (_, json) = try await client.get("/api/v1/whatif?rep=A1&deal_size=10&\(Self.q4)", h)
            let w = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            let base = (w["base"] as! [String: Any])["forecast"] as! [String: Any]
            let scenario = (w["scenario"] as! [String: Any])["forecast"] as! [String: Any]
            #expect(base["expected"] as? Int == 15_722_222)
            #expect(scenario["expected"] as? Int == 15_794_444)
            // No open deals: nothing in the pipeline; the page still renders.
            let (_, pipeline) = try await client.get("/api/v1/pipeline?format=csv&\(Self.q4)", h)
            #expect(pipeline.split(separator: "\n").count == 1)
        }
    }
}
