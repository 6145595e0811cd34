import SalesCore
import SalesStorage
import Testing

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
        #expect(
            q2 == Period(from: CivilDate(year: 2017, month: 4, day: 1), to: CivilDate(year: 2017, month: 7, day: 1)))
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
        var events: [SalesEvent] = [
            .rep(Rep(externalID: "A", name: "A", role: .ae)), .account(Account(externalID: "a", name: "a")),
            .deal(
                Deal(
                    externalID: "D", account: EntityRef("a"), owner: EntityRef("A"), createdAt: t("2024-03-01", 10, 0),
                    amount: 100)),
        ]
        events.append(
            .stageChange(
                StageChange(externalID: "lost", deal: EntityRef("D"), stage: .lost, at: t("2024-03-05", 10, 0))))
        events.append(
            .stageChange(StageChange(externalID: "won", deal: EntityRef("D"), stage: .won, at: t("2024-03-09", 10, 0))))
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
        for (s, e) in [
            (all.start, all.end), (all.start + 3, all.end - 5),
            (Period.month(2024, 3).start, Period.month(2024, 3).end),
        ] {
            var byDay = MeasureVector()
            for d in s..<e { byDay += engine.measures(.company, d, d + 1) }
            #expect(engine.measures(.company, s, e) == byDay)
        }
    }

    /// The deals behind the numbers of March 2024, listed by hand from `HandMadeCompany`.
    @Test func dealListsFollowTheMeasuresRules() throws {
        let (engine, store) = try HandMadeCompany.engine()
        let team = Slice.team(try #require(engine.teams.values.first).id)
        let names = try store.dealDetails(ids: (1...8).map(Int64.init)).mapValues(\.externalID)
        func list(_ set: SalesEngine.DealSet, _ slice: Slice = team, _ period: Period = HandMadeCompany.march)
            -> [String]
        {
            engine.deals(set, of: slice, in: period).map { names[$0.id]! }.sorted()
        }
        #expect(list(.won) == ["D1", "D2", "D5", "D6"])  // D8 was won in February
        #expect(list(.lost) == ["D3", "D7"])
        #expect(list(.closed) == ["D1", "D2", "D3", "D5", "D6", "D7"])
        #expect(list(.open) == ["D4"])
        #expect(list(.opened) == ["D2", "D3", "D4", "D5", "D6", "D7"])
        #expect(list(.open, team, .month(2024, 2)) == ["D1"])  // opened 15 Feb, won 10 Mar
        let a = try #require(engine.rep(externalID: "A")).id
        #expect(list(.won, .rep(a)) == ["D1", "D2"])
        let states = Dictionary(
            uniqueKeysWithValues: engine.deals(.opened, of: team, in: HandMadeCompany.march).map { (names[$0.id]!, $0) }
        )
        #expect(states["D2"]?.wonAmount == HandMadeCompany.rub(450_000))  // the amount at the win, not the opening
        #expect(states["D4"]?.stage == .proposal && states["D4"]?.closed == nil)
        #expect(
            states["D3"]?.stage == .lost && states["D3"].map { CivilDate($0.closed!) } == CivilDate(iso: "2024-03-15"))
        // The lists' lengths are the KPIs' counts.
        let m = engine.measures(team, in: HandMadeCompany.march)
        #expect(
            Int64(list(.won).count) == m[.dealsWon] && Int64(list(.lost).count) == m[.dealsLost]
                && Int64(list(.opened).count) == m[.dealsCreated])
    }
}
