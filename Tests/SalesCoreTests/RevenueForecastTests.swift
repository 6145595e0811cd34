import Foundation
import SalesCore
import SalesStorage
import Testing

/// A month's forecast on a history small enough to follow by hand.
@Suite struct RevenueForecastTests {
    static func day(_ d: Int) -> Timestamp { Timestamp(d) * 86_400 }

    /// 40 deals opened on days 0–39: the even ones won 10 days later, the odd ones lost after 5.
    /// D40, opened on day 100, won on day 205 (300.00). D41, opened on day 207, still open (1 000.00).
    static func history() throws -> DealHistory {
        var events: [SalesEvent] = [
            .account(Account(externalID: "C", name: "C")), .rep(Rep(externalID: "A", name: "A", role: .ae)),
        ]
        func deal(_ i: Int, opened: Int, amount: Money, close: (DealStage, Int)?) {
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef("C"), owner: EntityRef("A"), createdAt: day(opened),
                        amount: amount)))
            if let (stage, on) = close {
                events.append(
                    .stageChange(StageChange(externalID: "S\(i)", deal: EntityRef("D\(i)"), stage: stage, at: day(on))))
            }
        }
        for i in 0..<40 { deal(i, opened: i, amount: 500_00, close: i % 2 == 0 ? (.won, i + 10) : (.lost, i + 5)) }
        deal(40, opened: 100, amount: 300_00, close: (.won, 205))
        deal(41, opened: 207, amount: 1_000_00, close: nil)
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return try store.makeEngineAndHistory().1
    }

    /// Seen on day 210 for the period of days 200–230 (20 days left).
    @Test func closedPlusOpenDealsByTheirChance() throws {
        let history = try Self.history()
        let context = RevenueForecast.Context(history: history, asOf: Self.day(210), probability: { _ in 0.6 })
        let f = RevenueForecast.make(.model, start: Self.day(200), end: Self.day(230), owners: nil, context: context)
        #expect(f.closed == 300_00)
        #expect(f.openDeals == 1)
        // D41 is 3 days old. Of the 41 deals once open at age 0 with 20 days observed after, 20 were won
        // within them (D40 took 105 days); every deal had the same probability, so the chance is 20/41.
        #expect(f.expectedFromOpen == Money(1_000_00.0 * 20 / 41))
        // No deal opened in the last 90 days was won: nothing expected from new deals.
        #expect(f.expectedFromNew == 0)
        #expect(f.expected == 300_00 + Money(1_000_00.0 * 20 / 41))
        // D41 is lost in about half the outcomes: P10 is what is already won.
        #expect(f.p10 == 300_00)
        #expect(f.p90 > 300_00 + 600_00)
        // A deal twice as likely as the average gets twice the chance.
        let keen = RevenueForecast.Context(
            history: history, asOf: Self.day(210), probability: { $0.deal == history.deals[41].id ? 0.9 : 0.45 })
        #expect(abs(keen.chance(age: 3, probability: 0.9, within: 20) - 2 * 20.0 / 41) < 1e-12)
    }

    @Test func runRateIsTheLast90DaysProRata() throws {
        let history = try Self.history()
        let context = RevenueForecast.Context(history: history, asOf: Self.day(210), probability: { _ in 0.6 })
        let f = RevenueForecast.make(.runRate, start: Self.day(200), end: Self.day(230), owners: nil, context: context)
        // Won in days 120–210: D40's 300.00 → 300.00 / 90 × 20 more days.
        #expect(f.expected == 300_00 + Money(300_00.0 / 90 * 20))
    }

    /// What-if on the same history: amounts +10 %; then conversion into a meeting × 1.5 for D41 (still new).
    @Test func scenariosScaleTheDriversTheySay() throws {
        let history = try Self.history()
        let context = RevenueForecast.Context(history: history, asOf: Self.day(210), probability: { _ in 0.6 })
        let bigger = RevenueForecast.make(
            .model, start: Self.day(200), end: Self.day(230), owners: nil, context: context,
            scenario: .init(dealSizeFactor: 1.1))
        #expect(bigger.expectedFromOpen == Money(1_100_00.0 * 20 / 41))
        // 0.6 × 1.5 = 0.9 against the bucket's mean 0.6: 20/41 × 1.5.
        let likelier = RevenueForecast.make(
            .model, start: Self.day(200), end: Self.day(230), owners: nil, context: context,
            scenario: .init(conversionStage: .meeting, conversionFactor: 1.5))
        #expect(likelier.expectedFromOpen == Money(1_000_00.0 * 30 / 41))
        #expect(likelier.closed == 300_00)
    }
}
