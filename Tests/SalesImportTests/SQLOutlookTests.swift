import Foundation
import SalesCore
import SalesStorage
import Testing

/// An SDR's outlook in SQLs, counted by hand from seven qualified leads.
@Suite struct SQLOutlookTests {
    @Test func soFarAndThePaceOfTheLastNinetyDaysTakeThePeriodToItsEnd() throws {
        let calendar = CompanyCalendar()
        func noon(_ m: Int, _ d: Int) -> Timestamp {
            calendar.start(of: CivilDate(year: 2026, month: m, day: d).dayNumber) + 43_200
        }
        var events: [SalesEvent] = [.rep(Rep(externalID: "S1", name: "Sofia", role: .sdr))]
        let qualified = [(7, 1), (8, 20), (10, 2), (10, 20), (11, 1), (11, 15), (11, 16)]
        for (i, (m, d)) in qualified.enumerated() {
            var lead = Lead(externalID: "L\(i)", owner: EntityRef("S1"), createdAt: noon(m, d) - 86_400)
            lead.qualifiedAt = noon(m, d)
            events.append(.lead(lead))
        }
        let store = InMemoryEventStore()
        _ = try store.append(events, source: "crm")
        let engine = try store.makeEngine()
        let sofia = try #require(engine.repsByName.first).id
        let o = SQLOutlook.make(
            engine: engine, slice: .rep(sofia), period: .quarter(2026, 4),
            today: CivilDate(year: 2026, month: 11, day: 15).dayNumber, plan: 20)
        // So far in Q4, today included: 2 Oct, 20 Oct, 1 Nov, 15 Nov (16 Nov is tomorrow).
        #expect(o.soFar == 4)
        // The 90 days up to today are 18 Aug – 15 Nov: 20 Aug and the four above (1 Jul is older).
        #expect(o.dailyPace == 5.0 / 90)
        // 16–30 Nov and December: 15 + 31 days; 4 + 5/90 × 46 = 6.556, 32.8 % of a plan of 20.
        #expect(o.daysLeft == 46)
        #expect(abs(o.expected - 6.5556) < 0.0001 && abs(o.fulfillment! - 32.778) < 0.001)

        // Once the period is over, what it had is what it was.
        let over = SQLOutlook.make(
            engine: engine, slice: .rep(sofia), period: .month(2026, 10),
            today: CivilDate(year: 2026, month: 11, day: 15).dayNumber, plan: nil)
        #expect(over.soFar == 2 && over.daysLeft == 0 && over.expected == 2)
    }

    /// The same SDR on 15 November with a plan of 20 SQLs: the advice says where the pace leads and what closes
    /// the gap, with the numbers above.
    @Test func anSDRBehindTheSQLPlanIsToldWhereThePaceLeads() throws {
        let calendar = CompanyCalendar()
        func noon(_ m: Int, _ d: Int) -> Timestamp {
            calendar.start(of: CivilDate(year: 2026, month: m, day: d).dayNumber) + 43_200
        }
        var events: [SalesEvent] = [.rep(Rep(externalID: "S1", name: "Sofia", role: .sdr))]
        for (i, (m, d)) in [(7, 1), (8, 20), (10, 2), (10, 20), (11, 1), (11, 15), (11, 16)].enumerated() {
            var lead = Lead(externalID: "L\(i)", owner: EntityRef("S1"), createdAt: noon(m, d) - 86_400)
            lead.qualifiedAt = noon(m, d)
            events.append(.lead(lead))
        }
        let store = InMemoryEventStore()
        _ = try store.append(events, source: "crm")
        let (engine, history) = try store.makeEngineAndHistory()
        let sofia = try #require(engine.repsByName.first).id
        let asOf = noon(11, 15)
        let advisor = Advisor(
            engine: engine, history: history, model: WinProbabilityModel.train(history: history, closedBefore: asOf))
        let advice = advisor.recommendations(rep: sofia, period: .quarter(2026, 4), asOf: asOf, sqlPlan: 20)
        let sql = try #require(advice.first { $0.kind == .sqlPace })
        // 6.556 → 7 of 20 (32.8 % → 33 %), 13.4 → 13 short; 5 / 90 = 0.056 → 0.06 a day; (20 − 4) / 46 = 0.348.
        #expect(
            sql.text(.en)
                == "At this pace the period ends with 7 SQLs against a plan of 20 (33 %), 13 short: 4 so far at 0.06 a "
                + "day over the last 90 days; 0.35 a day from now on reaches the plan. Work the leads to call first, "
                + "and answer new ones within the hour")
        // On pace for the plan (a plan of 7), nothing to say.
        #expect(
            !advisor.recommendations(rep: sofia, period: .quarter(2026, 4), asOf: asOf, sqlPlan: 7).contains {
                $0.kind == .sqlPace
            })
    }
}
