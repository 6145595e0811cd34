import Foundation
import SalesCore
import SalesStorage
import Testing

/// A month's forecast on a history small enough to follow by hand.
@Suite struct RevenueForecastTests {
    static func day(_ d: Int) -> Timestamp { Timestamp(d) * 86_400 }
    static let utc = CompanyCalendar(timeZone: TimeZone(identifier: "UTC")!)

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
        let context = RevenueForecast.Context(
            history: history, calendar: Self.utc, asOf: Self.day(210), probability: { _ in 0.6 })
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
            history: history, calendar: Self.utc, asOf: Self.day(210),
            probability: { $0.deal == history.deals[41].id ? 0.9 : 0.45 })
        #expect(abs(keen.chance(age: 3, probability: 0.9, within: 20) - 2 * 20.0 / 41) < 1e-12)
    }

    @Test func runRateIsTheLast90DaysProRata() throws {
        let history = try Self.history()
        let context = RevenueForecast.Context(
            history: history, calendar: Self.utc, asOf: Self.day(210), probability: { _ in 0.6 })
        let f = RevenueForecast.make(.runRate, start: Self.day(200), end: Self.day(230), owners: nil, context: context)
        // Won in days 120–210: D40's 300.00 → 300.00 / 90 × 20 more days.
        #expect(f.expected == 300_00 + Money(300_00.0 / 90 * 20))
    }

    /// What-if on the same history: amounts +10 %; then conversion into a meeting × 1.5 for D41 (still new).
    @Test func scenariosScaleTheDriversTheySay() throws {
        let history = try Self.history()
        let context = RevenueForecast.Context(
            history: history, calendar: Self.utc, asOf: Self.day(210), probability: { _ in 0.6 })
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
    /// A company that closes in quarter waves: in each month of Jan–Sep 2025 two deals open on the 1st and
    /// are won on the 15th, for 100.00, 200.00 or 600.00 each by the month's place in its quarter.
    static func waves() throws -> (DealHistory, [Int: Money]) {
        var events: [SalesEvent] = [
            .account(Account(externalID: "C", name: "C")), .rep(Rep(externalID: "A", name: "A", role: .ae)),
        ]
        var won: [Int: Money] = [:]
        for month in 1...9 {
            let amount: Money = [100_00, 200_00, 600_00][(month - 1) % 3]
            won[month] = 2 * amount
            for i in 0..<2 {
                let id = "D\(month)-\(i)"
                let opened = utc.start(of: CivilDate(year: 2025, month: month, day: 1).dayNumber)
                events.append(
                    .deal(
                        Deal(
                            externalID: id, account: EntityRef("C"), owner: EntityRef("A"), createdAt: opened,
                            amount: amount)))
                events.append(
                    .stageChange(
                        StageChange(externalID: "W\(id)", deal: EntityRef(id), stage: .won, at: opened + 14 * 86_400)))
            }
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return (try store.makeEngineAndHistory().1, won)
    }

    /// The calendar's estimate is what the same stretch won one to four quarters before, scaled by working days;
    /// where it has forecast the past months far better than the pipeline, it alone forecasts, and the company's
    /// range is its own errors': narrow.
    @Test func aRepeatingQuarterIsForecastByTheCalendar() throws {
        let (history, won) = try Self.waves()
        let october = Self.utc.start(of: CivilDate(year: 2025, month: 10, day: 1).dayNumber)
        let november = Self.utc.start(of: CivilDate(year: 2025, month: 11, day: 1).dayNumber)
        let context = RevenueForecast.Context(
            history: history, calendar: Self.utc, asOf: october, probability: { _ in 0.5 })
        // October is a quarter's first month: July, April and January each won 200.00 (October 2024 is before the
        // month of the first close). October, July and January 2025 have 23 weekdays, April 22: April's 200.00
        // counts as 200 × 23 / 22.
        let seasonal = Double(won[7]!) * (2 + 23 / 22) / 3
        #expect(abs(try #require(context.seasonal(from: october, to: november, owners: nil)) - seasonal) < 1e-6)
        // April–September could each be judged by the same month a quarter earlier.
        #expect(context.blend.months == 6)
        #expect(context.blend.calendarWeight == 1)
        // Each month missed by its working days alone (±5 %): a narrow range.
        #expect(try #require(context.blend.spread) < 0.06)
        let f = RevenueForecast.make(.model, start: october, end: november, owners: nil, context: context)
        #expect(f.calendarWeight == 1)
        #expect(f.expected == Money(seasonal.rounded()) && f.p10 <= f.expected && f.expected <= f.p90)
        #expect(Double(f.p90) < 1.2 * Double(f.p10), "\(f)")
        // The person's own forecast keeps the draws of their deals: the company's record does not narrow it.
        let rep = Set(history.deals.map(\.owner))
        let own = RevenueForecast.make(.model, start: october, end: november, owners: rep, context: context)
        #expect(own.expected == f.expected && own.p10 < own.p90)
        // The baselines stay what they are: the stage rates are not blended.
        let rates = RevenueForecast.make(.stageRates, start: october, end: november, owners: nil, context: context)
        #expect(rates.calendarWeight == 0)
    }

    /// 40 deals opened on 2–5 January 2025 (days 1–4 of a quarter), 10 won ten days later; 40 opened on
    /// 10–13 February (days 40–43), 30 won ten days later; the others lost after 40 days. A new deal's chance to
    /// close within 30 days is learnt from the windows that began on about the same day of a quarter.
    @Test func aDealsChanceFollowsTheDayOfTheQuarter() throws {
        var events: [SalesEvent] = [
            .account(Account(externalID: "C", name: "C")), .rep(Rep(externalID: "A", name: "A", role: .ae)),
        ]
        func start(_ m: Int, _ d: Int) -> Timestamp {
            Self.utc.start(of: CivilDate(year: 2025, month: m, day: d).dayNumber)
        }
        for i in 0..<80 {
            let opened = i < 40 ? start(1, 2 + i % 4) : start(2, 10 + i % 4)
            let won = i < 40 ? i < 10 : i < 70
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef("C"), owner: EntityRef("A"), createdAt: opened,
                        amount: 1_00)))
            events.append(
                .stageChange(
                    StageChange(
                        externalID: "S\(i)", deal: EntityRef("D\(i)"), stage: won ? .won : .lost,
                        at: opened + (won ? 10 : 40) * 86_400)))
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        let history = try store.makeEngineAndHistory().1
        let context = RevenueForecast.Context(
            history: history, calendar: Self.utc, asOf: start(6, 1), probability: { _ in 0.5 })
        // From 1 April (day 0): the January windows, 10 of 40; from 12 May (day 41): February's, 30 of 40; with no
        // day given: all 80, 40 won.
        #expect(context.chance(age: 0, probability: 0.5, within: 30, from: start(4, 1)) == 0.25)
        #expect(context.chance(age: 0, probability: 0.5, within: 30, from: start(5, 12)) == 0.75)
        #expect(context.chance(age: 0, probability: 0.5, within: 30) == 0.5)
        // From 1 March (day 59) no window began near that day: the table of every window serves.
        #expect(context.chance(age: 0, probability: 0.5, within: 30, from: start(3, 1)) == 0.5)
    }

    @Test func movingByMonthsKeepsTheTimeAndClampsTheDay() {
        let march31 = Self.utc.start(of: CivilDate(year: 2024, month: 3, day: 31).dayNumber) + 10 * 3600
        let back = Self.utc.instant(march31, movedByMonths: -1)
        #expect(back == Self.utc.start(of: CivilDate(year: 2024, month: 2, day: 29).dayNumber) + 10 * 3600)
        #expect(
            Self.utc.instant(march31, movedByMonths: -15) == Self.utc.start(
                of: CivilDate(year: 2022, month: 12, day: 31).dayNumber) + 10 * 3600)
    }
}
