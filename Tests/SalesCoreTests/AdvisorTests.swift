import Foundation
import SalesCore
import SalesStorage
import Testing

/// Bottlenecks, velocity and recommendations on a hand-made October; every number below is worked
/// out by hand (p-values with Python's math.erfc from the same formulas).
@Suite struct AdvisorTests {
    static let cal = CompanyCalendar()
    static func t(_ month: Int, _ day: Int, _ minute: Int = 0) -> Timestamp {
        cal.start(of: CivilDate(year: 2026, month: month, day: day).dayNumber) + 9 * 3600 + Timestamp(minute) * 60
    }
    static let october = Period.month(2026, 10)

    /// Team T: A, B, C; team U: D, F, G; all sales managers, every deal 100 000.00, opened on 1 October.
    /// A: 20 deals; A0–A9 get a meeting on 5 Oct; A0–A4 are won on 20 Oct, A5–A9 lost on 21 Oct;
    /// A10–A12 stay open with no activity; A13–A19 are lost on 3 Oct.
    /// B, C, F, G: 20 deals each; 0–17 meet on 5 Oct and are won on 25 Oct; 18–19 lost on 3 Oct.
    /// D: 3 deals; two meet and are won on 20 Oct, one is lost on 3 Oct.
    static func company() throws -> (SalesEngine, DealHistory) {
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "T")), .team(Team(externalID: "U", name: "U")),
            .account(Account(externalID: "C", name: "C")),
        ]
        for (rep, team) in [("A", "T"), ("B", "T"), ("C", "T"), ("D", "U"), ("F", "U"), ("G", "U")] {
            events.append(.rep(Rep(externalID: rep, name: rep, role: .ae, team: EntityRef(team))))
        }
        func deal(_ rep: String, _ i: Int, meeting: Bool, close: (DealStage, Int)?) {
            let id = "\(rep)\(i)"
            events.append(
                .deal(
                    Deal(
                        externalID: id, account: EntityRef("C"), owner: EntityRef(rep), createdAt: t(10, 1, i),
                        amount: 100_000_00)))
            if meeting {
                events.append(
                    .stageChange(StageChange(externalID: id + "m", deal: EntityRef(id), stage: .meeting, at: t(10, 5))))
            }
            if let (stage, day) = close {
                events.append(
                    .stageChange(StageChange(externalID: id + "c", deal: EntityRef(id), stage: stage, at: t(10, day))))
            }
        }
        for i in 0..<20 {
            deal("A", i, meeting: i < 10, close: i < 5 ? (.won, 20) : i < 10 ? (.lost, 21) : i < 13 ? nil : (.lost, 3))
            for rep in ["B", "C", "F", "G"] { deal(rep, i, meeting: i < 18, close: i < 18 ? (.won, 25) : (.lost, 3)) }
        }
        for i in 0..<3 { deal("D", i, meeting: i < 2, close: i < 2 ? (.won, 20) : (.lost, 3)) }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return try store.makeEngineAndHistory(calendar: cal)
    }

    @Test func bottlenecksOnlyWhereTheTestSaysSo() throws {
        let (engine, history) = try Self.company()
        let finder = FunnelBottleneckFinder(engine: engine, history: history)
        let a = engine.rep(externalID: "A")!.id
        let found = finder.findings(rep: a, period: Self.october)
        // Meeting → proposal: A 5 of 10 (won deals reach every stage), B and C 36 of 36;
        // z = .5 / √(41/46 · 5/46 · (1/10 + 1/36)).
        // Opened → meeting: A 10 of 20, B and C 36 of 40; z = .4 / √(46/60 · 14/60 · (1/20 + 1/40)).
        #expect(found.map(\.step) == [2, 1])
        #expect(found.map(\.value) == [50, 50] && found.map(\.team) == [100, 90])
        #expect(abs(found[0].pValue - 3.4965517e-6) < 1e-11 && abs(found[1].pValue - 2.7685890e-4) < 1e-9)
        #expect(found.map(\.shortfall) == [5, 8])
        // No duration lag: A's meetings last 15–16 days, faster than B's and C's 20.
        #expect(!found.contains { $0.kind == .duration })
        // D: 2 of 3 against 36 of 40 gives z ≈ 1.22, p ≈ 0.112 — three deals are not a problem.
        #expect(finder.findings(rep: engine.rep(externalID: "D")!.id, period: Self.october).isEmpty)
        // B converts better than A and C together, and its 20 days at a meeting against their 18.4 is under 20 % more.
        #expect(finder.findings(rep: engine.rep(externalID: "B")!.id, period: Self.october).isEmpty)
    }

    @Test func velocityOfTeamT() throws {
        let (engine, _) = try Self.company()
        let team = engine.rep(externalID: "A")!.teamID!
        let v = PipelineVelocity(
            engine: engine, slice: .team(team), period: Self.october,
            today: CivilDate(year: 2026, month: 11, day: 15).dayNumber)
        // Open on 1 Nov: A10–A12. Won 5 + 18 + 18 = 41, lost 12 + 2 + 2 = 16. Cycles: 5 × 19 days, 36 × 24 days.
        #expect(v.current.openDeals == 3)
        #expect(v.current.winRate == 41.0 / 57)
        #expect(v.current.averageDeal == 100_000_00)
        #expect(v.current.cycleDays == 959.0 / 41)
        #expect(abs(v.current.perDay! - 3 * 41.0 / 57 * 100_000_00 / (959.0 / 41)) < 1e-6)
        #expect(v.previous.openDeals == 0 && v.change(\.perDay) == nil)  // nothing in September
    }

    @Test func recommendationsCiteTheNumbersAndRankByRevenue() throws {
        let (engine, history) = try Self.company()
        let a = engine.rep(externalID: "A")!.id
        let model = WinProbabilityModel.train(history: history, closedBefore: Self.t(11, 1))
        let recs = Advisor(engine: engine, history: history, model: model).recommendations(
            rep: a, period: Self.october, asOf: Self.t(11, 1))
        #expect(recs.map(\.kind) == [.conversion, .conversion, .staleDeals])
        // 5 deals short × A's win rate after a proposal (5 of 5) × 100 000.00.
        #expect(recs[0].impact == 500_000_00)
        #expect(
            recs[0].text.en
                == "Meeting→Proposal conversion 50 % against the team's 100 % (10 deals, p < 0.001): about 5 deals "
                + "short; review how these deals are run with the head of sales"
        )
        // 8 deals short × A's win rate after a meeting (5 of 10) × 100 000.00;
        // A10–A12 wait for a meeting, untouched for a month.
        #expect(recs[1].impact == 400_000_00)
        #expect(
            recs[1].text.en
                == "Deals opened→Meeting conversion 50 % against the team's 90 % (20 deals, p < 0.001): about 8 deals "
                + "short; 3 deals waiting for this step have had no activity for 14 days — call them this week"
        )
        #expect(
            recs[1].text.ru
                == "Конверсия Открыто сделок→Встреча 50 % против 90 % у команды (20 сделок, p < 0.001): недобор около "
                + "8 сделок; 3 сделки перед этим шагом без активности 14 дней — свяжитесь с клиентами на этой "
                + "неделе"
        )
        #expect(recs[2].text.en.hasPrefix("3 of 3 open deals (300 000 in total) have had no activity for 14+ days"))
    }
}
