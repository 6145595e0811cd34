import Foundation
import SalesCore
import SalesStorage
import Testing

/// Churn points and lead scores on hand-made histories.
@Suite struct ChurnAndLeadTests {
    static func day(_ d: Int) -> Timestamp { Timestamp(d) * 86_400 }

    /// Account "Old" bought on days 0, 30 and 60 (100 000 each), has an unpaid invoice due on day 80 and one due on
    /// day 100 (more and less than 60 days before day 150),
    /// answered NPS 8 then 5 and CSAT 3 twice. Account "Fresh" bought on days 100 and 140.
    static func accounts() throws -> DealHistory {
        var events: [SalesEvent] = [
            .rep(Rep(externalID: "M", name: "Maria", role: .am)),
            .account(Account(externalID: "Old", name: "Old Ltd")),
            .account(Account(externalID: "Fresh", name: "Fresh Ltd")),
        ]
        for (i, (account, on)) in [("Old", 0), ("Old", 30), ("Old", 60), ("Fresh", 100), ("Fresh", 140)].enumerated() {
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef(account), owner: EntityRef("M"),
                        createdAt: day(on) - day(5), amount: 100_000_00)))
            events.append(
                .stageChange(StageChange(externalID: "W\(i)", deal: EntityRef("D\(i)"), stage: .won, at: day(on))))
        }
        events.append(
            .invoice(
                Invoice(
                    externalID: "I1", account: EntityRef("Old"), rep: EntityRef("M"), issuedAt: day(70),
                    dueAt: day(80), amount: 50_000_00)))
        events.append(
            .invoice(
                Invoice(
                    externalID: "I2", account: EntityRef("Old"), rep: EntityRef("M"), issuedAt: day(90),
                    dueAt: day(100), amount: 20_000_00)))
        for (i, (nps, csat, on)) in [(8, 3, 40), (5, 3, 120)].enumerated() {
            var s = Survey(externalID: "S\(i)", account: EntityRef("Old"), rep: EntityRef("M"), at: day(on))
            s.nps = nps
            s.csat = csat
            events.append(.survey(s))
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return try store.makeEngineAndHistory().1
    }

    @Test func churnPointsWithTheirReasons() throws {
        let risks = ChurnRisk.assess(history: try Self.accounts(), asOf: Self.day(150))
        #expect(risks.map(\.accountName) == ["Old Ltd", "Fresh Ltd"])
        // Old: 90 days since the last purchase, three times its 30-day rhythm (17.5 × 3 = 52.5, at most 50); the
        // six months before day −32 hold nothing, so no trend; NPS 5 (20); CSAT 3.0 (10); one invoice over 60 days
        // overdue (15; the one 50 days overdue does not count).
        #expect(risks[0].score == 95 && risks[0].level == .high)
        #expect(
            risks[0].reasons.map(\.en) == [
                "no purchase for 90 days (usually every 30)", "latest NPS answer 5 (a detractor)",
                "CSAT 3.0 of 5", "1 invoice more than 60 days overdue, 50 000 unpaid",
            ])
        #expect(risks[0].yearRevenue == 300_000_00)
        // Fresh: bought 10 days ago against a 40-day rhythm — 17.5 × 10 / 40 = 4.4 → 4 points, no reason to name.
        #expect(risks[1].score == 4 && risks[1].reasons.isEmpty && risks[1].level == .low)
    }

    /// Renewals due in days 150–200 (a period of the UTC calendar), seen on day 150: Old bought on days 0, 30 and
    /// 60 (a 30-day rhythm: due on day 90, before the period — it shows as churn risk instead); Fresh on days 100
    /// and 140 (a 40-day rhythm: due on day 180, 100 000.00 on average).
    @Test func renewalsAreDueOneRhythmAfterTheLastPurchase() throws {
        let utc = CompanyCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let due = RenewalDue.due(
            history: try Self.accounts(), calendar: utc, period: Period(start: 150, end: 200), asOf: Self.day(150))
        #expect(due.map(\.accountName) == ["Fresh Ltd"])
        #expect(due.first?.due == 180 && due.first?.lastPurchase == 140 && due.first?.expected == 100_000_00)
        #expect(due.first?.openDeal == false)
    }

    /// Four accounts bought once before day 200: A on day 190, B on 150 (and answered NPS 3 on day 160), C on
    /// 100, D on 20. A and C bought again on days 250 and 300; B and D never did. A deal opened on day 390 takes
    /// the history past the two quarters after day 200.
    @Test func churnIsCheckedOnTheTwoQuartersAfterTheSplit() throws {
        var events: [SalesEvent] = [.rep(Rep(externalID: "M", name: "Maria", role: .am))]
        for name in ["A", "B", "C", "D", "E"] { events.append(.account(Account(externalID: name, name: name))) }
        let purchases = [("A", 190), ("B", 150), ("C", 100), ("D", 20), ("A", 250), ("C", 300)]
        for (i, (account, on)) in purchases.enumerated() {
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef(account), owner: EntityRef("M"),
                        createdAt: Self.day(on) - Self.day(5), amount: 100_000_00)))
            events.append(
                .stageChange(
                    StageChange(externalID: "W\(i)", deal: EntityRef("D\(i)"), stage: .won, at: Self.day(on))))
        }
        events.append(
            .deal(
                Deal(
                    externalID: "Open", account: EntityRef("E"), owner: EntityRef("M"), createdAt: Self.day(390),
                    amount: 1_00)))
        var survey = Survey(externalID: "S", account: EntityRef("B"), rep: EntityRef("M"), at: Self.day(160))
        survey.nps = 3
        events.append(.survey(survey))
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        let history = try store.makeEngineAndHistory().1
        let churn = try #require(Backtest.churn(history: history, cut: Self.day(200)))
        #expect(churn.accounts == 4 && churn.churned == 2)
        // Points (a single purchase: a 90-day rhythm): A 17.5 × 10 / 90 → 2; B 17.5 × 50 / 90 → 10, + 20 for the
        // detractor = 30; C 17.5 × 100 / 90 → 19; D 17.5 × 180 / 90 = 35. Churned (B, D) above active (A, C) in
        // all four pairs: AUC 1. Recency alone (10, 50, 100, 180 days) puts B under C: 3 of 4 pairs, 0.75.
        #expect(churn.auc["churn_risk"] == 1)
        #expect(churn.auc["recency"] == 0.75)
        // Seen from day 250, the two quarters after it are not in the history yet.
        #expect(Backtest.churn(history: history, cut: Self.day(250)) == nil)
        // A single purchase is due a year on: as of day 200, D (day 20) on day 385, C (day 100) on day 465.
        let utc = CompanyCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let due = RenewalDue.due(
            history: history, calendar: utc, period: Period(start: 380, end: 470), asOf: Self.day(200))
        #expect(due.map(\.accountName) == ["D", "C"] && due.map(\.due) == [385, 465])
    }

    /// 400 leads over 200 days: referrals qualify 6 in 10, outbound 1 in 10 — the same for both SDRs.
    @Test func leadScoresFollowTheSourcesRates() throws {
        var events: [SalesEvent] = [
            .rep(Rep(externalID: "S1", name: "Sam", role: .sdr)), .rep(Rep(externalID: "S2", name: "Sue", role: .sdr)),
        ]
        for i in 0..<400 {
            var lead = Lead(externalID: "L\(i)", owner: EntityRef(i % 2 == 0 ? "S1" : "S2"), createdAt: Self.day(i / 2))
            let referral = i % 4 < 2
            lead.source = referral ? "referral" : "outbound"
            lead.firstResponseAt = lead.createdAt + 600
            if referral ? (i / 4) % 10 < 6 : (i / 4) % 10 < 1 { lead.qualifiedAt = lead.createdAt + 3600 }
            events.append(.lead(lead))
        }
        for (i, source) in ["referral", "outbound"].enumerated() {  // two fresh leads on a Thursday, not yet qualified
            var lead = Lead(externalID: "N\(i)", owner: EntityRef("S1"), createdAt: Self.day(217))
            lead.source = source
            lead.firstResponseAt = lead.createdAt + 600
            events.append(.lead(lead))
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        let history = try store.makeEngineAndHistory().1
        let scoring = try #require(
            LeadScoring.train(history: history, calendar: CompanyCalendar(), asOf: Self.day(220)))
        #expect(scoring.trainedOn == 400)  // every lead older than 14 days
        let open = scoring.scoreOpenLeads(history: history, asOf: Self.day(220))
        #expect(open.map(\.externalID) == ["N0", "N1"])
        // A logistic regression with the source as its only signal reproduces each source's rate (±3 points).
        #expect(abs(open[0].score - 60) <= 3 && abs(open[1].score - 10) <= 3, "\(open.map(\.score)) \(open)")
        #expect(open[0].reasons.first?.en == "+ source: referral" && open[1].reasons.first?.en == "− source: outbound")
    }

    /// Moscow, three hours ahead of UTC: working hours are 9:00–18:00 local on a weekday.
    @Test func theTimeOfWeekFollowsTheCompanysClock() throws {
        let moscow = CompanyCalendar()
        func at(_ iso: String) throws -> Timestamp {
            Timestamp(try #require(ISO8601DateFormatter().date(from: iso)).timeIntervalSince1970)
        }
        #expect(moscow.timeOfWeek(try at("2026-12-02T07:00:00Z")) == .workingHours)  // Wednesday 10:00
        #expect(moscow.timeOfWeek(try at("2026-12-02T05:59:00Z")) == .offHours)  // 8:59
        #expect(moscow.timeOfWeek(try at("2026-12-02T15:00:00Z")) == .offHours)  // 18:00
        #expect(moscow.timeOfWeek(try at("2026-12-05T07:00:00Z")) == .weekend)  // Saturday
        #expect(moscow.timeOfWeek(try at("2026-12-06T21:00:00Z")) == .offHours)  // Monday 0:00
        #expect(moscow.timeOfWeek(try at("2026-12-07T06:00:00Z")) == .workingHours)  // Monday 9:00
    }

    /// 280 leads at 10:00 UTC, one a day from Monday 5 January 1970: half of the weekday leads qualify, one in ten
    /// of the weekend's — the same source, SDR and answer time for all.
    @Test func weekendLeadsAreScoredByWhenTheyArrived() throws {
        let utc = CompanyCalendar(timeZone: TimeZone(identifier: "UTC")!)
        var events: [SalesEvent] = [.rep(Rep(externalID: "S", name: "Sam", role: .sdr))]
        func lead(_ id: String, day: Int) -> Lead {
            var l = Lead(externalID: id, owner: EntityRef("S"), createdAt: Self.day(day) + 10 * 3600)
            l.source = "inbound"
            l.firstResponseAt = l.createdAt + 600
            return l
        }
        for k in 0..<280 {
            var l = lead("L\(k)", day: 4 + k)
            let weekend = k % 7 >= 5
            if weekend ? k % 10 == 0 : k % 2 == 0 { l.qualifiedAt = l.createdAt + 3600 }
            events.append(.lead(l))
        }
        events += [.lead(lead("Mon", day: 291)), .lead(lead("Sat", day: 289))]
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        let history = try store.makeEngineAndHistory().1
        let scoring = try #require(LeadScoring.train(history: history, calendar: utc, asOf: Self.day(292)))
        let open = scoring.scoreOpenLeads(history: history, asOf: Self.day(292)).filter {
            ["Mon", "Sat"].contains($0.externalID)
        }
        #expect(open.map(\.externalID) == ["Mon", "Sat"])
        #expect(abs(open[0].score - 50) <= 4 && abs(open[1].score - 10) <= 4, "\(open.map(\.score))")
        #expect(open[1].reasons.first?.en == "− arrived: at the weekend", "\(open[1].reasons)")
        #expect(open[1].reasons.first?.ru == "− пришёл: в выходной")
    }
}
