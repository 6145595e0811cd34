import Testing
import SalesCore
import SalesStorage

@Suite struct EngineTests {
    @Test func civilDatesMatchTheProlepticGregorianCalendar() {
        // Independent: Python's date(2017, 3, 1).toordinal() - date(1970, 1, 1).toordinal() == 17226
        #expect(CivilDate(year: 2017, month: 3, day: 1).dayNumber == 17226)
        #expect(CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(CivilDate(17226) == CivilDate(year: 2017, month: 3, day: 1))
        #expect(CivilDate.isValid(year: 2024, month: 2, day: 29))
        #expect(!CivilDate.isValid(year: 2023, month: 2, day: 29))
    }

    @Test func periodsParseAndStepBack() throws {
        let q2 = try #require(Period(parsing: "2017-Q2"))
        #expect(q2 == Period(from: CivilDate(year: 2017, month: 4, day: 1), to: CivilDate(year: 2017, month: 7, day: 1)))
        #expect(q2.previous == Period.quarter(2017, 1))
        #expect(Period.month(2024, 3).previous == Period.month(2024, 2))
        #expect(Period(parsing: "2024-03-01..2024-03-11")!.previous == Period(parsing: "2024-02-20..2024-03-01")!)
        #expect(Period.month(2024, 3).workdays == 21)
        #expect(q2.label == "2017-Q2")
        #expect(Period(parsing: "2017-Q5") == nil)
    }

    @Test func moscowDayBoundaries() {
        let cal = CompanyCalendar()
        // 2024-03-31T21:30:00Z is 00:30 on April 1 in Moscow (UTC+3).
        #expect(CivilDate(cal.day(of: 1_711_920_600)) == CivilDate(year: 2024, month: 4, day: 1))
        #expect(CivilDate(cal.day(of: 1_711_920_600 - 3600)) == CivilDate(year: 2024, month: 3, day: 31))
    }

    @Test func incrementalUpdatesEqualARebuild() throws {
        let (rebuilt, _) = try HandMadeCompany.engine()
        // Apply the same events one at a time into a live engine, as the server will.
        let store = InMemoryEventStore()
        let live = SalesEngine(calendar: HandMadeCompany.calendar)
        for event in HandMadeCompany.events() {
            for stored in try store.append([event], source: "hand") { live.apply(stored) }
        }
        for period in [HandMadeCompany.march, Period.month(2024, 2), Period.year(2024)] {
            #expect(live.measures(.company, in: period) == rebuilt.measures(.company, in: period))
        }
    }

    @Test func aLaterCloseReplacesAnEarlierOne() throws {
        let store = InMemoryEventStore()
        let t = HandMadeCompany.t
        var events: [SalesEvent] = [.rep(Rep(externalID: "A", name: "A", role: .ae)), .account(Account(externalID: "a", name: "a")),
                                    .deal(Deal(externalID: "D", account: EntityRef("a"), owner: EntityRef("A"), createdAt: t("2024-03-01", 10, 0), amount: 100))]
        events.append(.stageChange(StageChange(externalID: "lost", deal: EntityRef("D"), stage: .lost, at: t("2024-03-05", 10, 0))))
        events.append(.stageChange(StageChange(externalID: "won", deal: EntityRef("D"), stage: .won, at: t("2024-03-09", 10, 0))))
        let engine = SalesEngine()
        for e in try store.append(events, source: "x") { engine.apply(e) }
        let m = engine.measures(.company, in: HandMadeCompany.march)
        #expect(m[.dealsWon] == 1)
        #expect(m[.dealsLost] == 0)
        #expect(m[.wonRevenue] == 100)
    }

    @Test func sumsAcrossMonthBlocksEqualDayByDaySums() throws {
        let (engine, _) = try HandMadeCompany.engine()
        // Any range equals the sum of its single days (the month blocks are only a shortcut).
        let all = try #require(engine.allTime)
        for (s, e) in [(all.start, all.end), (all.start + 3, all.end - 5), (Period.month(2024, 3).start, Period.month(2024, 3).end)] {
            var byDay = MeasureVector()
            for d in s..<e { byDay += engine.measures(.company, d, d + 1) }
            #expect(engine.measures(.company, s, e) == byDay)
        }
    }
}
