import SalesCore
import SalesStorage
import Testing

/// The deal funnel is a cohort of the deals opened in the period; conversions worked out by hand.
@Suite struct FunnelTests {
    static let cal = CompanyCalendar()
    static func t(_ y: Int, _ m: Int, _ d: Int) -> Timestamp {
        Timestamp(CivilDate(year: y, month: m, day: d).dayNumber) * 86_400 + 9 * 3600
    }

    /// Rep A opens D1 and D2 in October and D0 in September; rep B opens D3 and D4 in October.
    /// D1: meeting, proposal, won. D2: meeting, then lost. D0 (September) reaches a proposal in October.
    /// D3: meeting, proposal, contract. D4: nothing yet.
    static func engine() throws -> SalesEngine {
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "T")),
            .rep(Rep(externalID: "A", name: "A", role: .ae, team: EntityRef("T"))),
            .rep(Rep(externalID: "B", name: "B", role: .ae, team: EntityRef("T"))),
            .account(Account(externalID: "C", name: "C")),
        ]
        let opened: [(String, String, Timestamp)] = [
            ("D0", "A", t(2026, 9, 20)), ("D1", "A", t(2026, 10, 1)), ("D2", "A", t(2026, 10, 2)),
            ("D3", "B", t(2026, 10, 3)), ("D4", "B", t(2026, 10, 4)),
        ]
        for (id, owner, at) in opened {
            events.append(
                .deal(
                    Deal(
                        externalID: id, account: EntityRef("C"), owner: EntityRef(owner), createdAt: at, amount: 100_00)
                ))
        }
        let moves: [(String, DealStage, Timestamp)] = [
            ("D1", .meeting, t(2026, 10, 5)), ("D1", .proposal, t(2026, 10, 8)), ("D1", .won, t(2026, 10, 20)),
            ("D2", .meeting, t(2026, 10, 6)), ("D2", .lost, t(2026, 10, 9)),
            ("D0", .proposal, t(2026, 10, 7)),
            ("D3", .meeting, t(2026, 10, 6)), ("D3", .proposal, t(2026, 10, 10)), ("D3", .contract, t(2026, 10, 15)),
        ]
        for (i, (deal, stage, at)) in moves.enumerated() {
            events.append(.stageChange(StageChange(externalID: "S\(i)", deal: EntityRef(deal), stage: stage, at: at)))
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return try store.makeEngine(calendar: cal)
    }

    @Test func conversionsOfTheOctoberCohort() throws {
        let e = try Self.engine()
        let october = Period.month(2026, 10)
        let a = Funnel(role: .ae, measures: e.measures(.rep(e.rep(externalID: "A")!.id), in: october))
        // A: opened 2 (D1, D2); meeting 2; proposal 1 (D1; D0 was opened in September);
        // contract 1 (won implies it); won 1.
        #expect(a.stages.map(\.count) == [2, 2, 1, 1, 1])
        #expect(a.stages.map(\.conversion) == [nil, 100, 50, 100, 100])
        let b = Funnel(role: .ae, measures: e.measures(.rep(e.rep(externalID: "B")!.id), in: october))
        // B: opened 2; meeting 1; proposal 1; contract 1; won 0.
        #expect(b.stages.map(\.count) == [2, 1, 1, 1, 0])
        #expect(b.stages.map(\.conversion) == [nil, 50, 100, 100, 0])
        // Medians of two values are their mean: meeting 75, proposal 75, contract 100, won 50.
        let medians = Funnel.medianConversions([a, b])
        #expect(medians == [nil, 75, 75, 100, 50])
        // A lags only at the proposal (50 / 75); B lags most at the win (0 / 50) rather than the meeting (50 / 75).
        #expect(a.weakestStage(against: medians) == 2)
        #expect(b.weakestStage(against: medians) == 4)
    }
}
