import Foundation
import SalesCore
import SalesPostgres
import SalesStorage
import TestSupport
import Testing

/// What only the PostgreSQL store does: rules enforced by the server, several processes in step, BI views.
@Suite struct PostgresStoreTests {
    static let t0 = EventStoreContractTests.t0

    @Test func theServerEnforcesTheRules() throws {
        let url = try TestPostgres.freshDatabase()
        let store = try PostgresEventStore(url: url)
        try store.append(EventStoreContractTests.base(), source: "crm")
        for sql in EventStoreContractTests.ruleBreakingInserts {
            #expect(throws: (any Error).self, "\(sql)") { try store.executeForTests(sql) }
        }
        try store.executeForTests(EventStoreContractTests.validInsert)
        #expect(try store.count()[.deal] == 2)
        // Reopening finds the schema migrated and the data kept.
        let reopened = try PostgresEventStore(url: url)
        #expect(try reopened.count()[.deal] == 2)
        #expect(try reopened.append(EventStoreContractTests.base(), source: "crm").isEmpty)
    }

    /// Two processes on one database, played by two store objects: what one writes reaches the other's
    /// engine by `catchUp`, or before the other's next write, in an order the engine can apply.
    @Test func anotherWritersEventsReachTheFollowerOnce() throws {
        let url = try TestPostgres.freshDatabase()
        let a = try PostgresEventStore(url: url)
        let b = try PostgresEventStore(url: url)
        let engine = SalesEngine()
        try a.replay { engine.apply($0) }
        var received: [String] = []
        a.follow {
            received.append($0.externalID)
            engine.apply($0)
        }
        #expect(try a.catchUp() == 0)

        try b.append(EventStoreContractTests.base(), source: "crm")  // team, rep, account, deal won for 500 000 ₽
        #expect(try a.catchUp() == 5)
        #expect(received == ["T", "R1", "A1", "D1", "D1-won"])
        #expect(try a.catchUp() == 0)  // nothing twice

        // b adds a second deal; a, before catching up, stores a stage change for it: b's deal reaches a's engine first.
        try b.append(
            [
                .deal(
                    Deal(
                        externalID: "D2", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: Self.t0,
                        amount: 200_000_00))
            ],
            source: "crm")
        let own = try a.append(
            [.stageChange(StageChange(externalID: "D2-won", deal: EntityRef("D2"), stage: .won, at: Self.t0 + 86_400))],
            source: "crm")
        for e in own { engine.apply(e) }
        #expect(received.suffix(1) == ["D2"])
        #expect(try a.catchUp() == 0)  // its own write is not handed over again
        #expect(engine.measures(.company, Day.min, Day.max)[.wonRevenue] == 700_000_00)
        #expect(engine.measures(.company, Day.min, Day.max)[.dealsWon] == 2)
    }

    /// The BI views against numbers worked out by hand from the records below.
    @Test func biViewsShowDealsAndDailyMeasuresInTheCompanyZone() throws {
        let store = try PostgresEventStore(url: try TestPostgres.freshDatabase())
        try store.setReportingTimeZone("Europe/Moscow")
        // D1 500 000 ₽ created 2024-03-01 11:00 MSK, won 2024-03-06 11:00 MSK
        var events = EventStoreContractTests.base()
        events.append(
            .deal(
                Deal(
                    externalID: "D2", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: Self.t0,
                    amount: 100_000_00)))
        var lost = StageChange(externalID: "D2-lost", deal: EntityRef("D2"), stage: .lost, at: Self.t0 + 86_400 * 5)
        lost.lostReason = "price"
        events.append(.stageChange(lost))
        // 22:30 UTC on 1 March is 01:30 on 2 March in Moscow: the call belongs to 2 March.
        var late = Activity(externalID: "C1", rep: EntityRef("R1"), type: .call, at: 1_709_332_200)
        late.durationSeconds = 300
        events.append(.activity(late))
        events.append(.activity(Activity(externalID: "M1", rep: EntityRef("R1"), type: .meetingHeld, at: Self.t0)))
        try store.append(events, source: "crm")

        let deals = try store.queryForTests(
            "SELECT external_id, stage, closed_day::text, won_amount::text, lost_reason FROM bi_deals "
                + "ORDER BY external_id"
        )
        #expect(deals == [["D1", "won", "2024-03-06", "500000.00", nil], ["D2", "lost", "2024-03-06", nil, "price"]])
        let days = try store.queryForTests(
            """
            SELECT day::text, calls::text, call_seconds::text, meetings_held::text, deals_created::text,
                   deals_won::text, deals_lost::text, won_revenue::text FROM bi_rep_day ORDER BY day
            """)
        #expect(
            days == [
                ["2024-03-01", "0", "0", "1", "2", "0", "0", "0.00"],
                ["2024-03-02", "1", "300", "0", "0", "0", "0", "0.00"],
                ["2024-03-06", "0", "0", "0", "0", "1", "1", "500000.00"],
            ])
        #expect(
            try store.queryForTests("SELECT day::text, type FROM bi_activities ORDER BY at") == [
                ["2024-03-01", "meeting_held"], ["2024-03-02", "call"],
            ])
    }
}
