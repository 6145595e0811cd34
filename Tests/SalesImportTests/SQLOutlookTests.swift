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
    /// Two SDRs of one team. Sasha's 80 leads of August–September, each judged two weeks on: the 40 answered in
    /// 10 minutes, 20 SQLs (50 %); the 40 answered in an hour, 8 (20 %). Sofia's 10 leads of 2–11 November: 6
    /// answered in 45 minutes, 4 in 10 — 31 minutes on average against a plan of 15.
    @Test func anSDRWhoAnswersSlowlyIsToldWhatTheTeamsLeadsShow() throws {
        let calendar = CompanyCalendar()
        func noon(_ m: Int, _ d: Int) -> Timestamp {
            calendar.start(of: CivilDate(year: 2026, month: m, day: d).dayNumber) + 43_200
        }
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "T")),
            .rep(Rep(externalID: "S1", name: "Sofia", role: .sdr, team: EntityRef("T"))),
            .rep(Rep(externalID: "S2", name: "Sasha", role: .sdr, team: EntityRef("T"))),
        ]
        func lead(_ id: String, _ owner: String, _ created: Timestamp, answeredIn minutes: Int, sql: Bool) {
            var l = Lead(externalID: id, owner: EntityRef(owner), createdAt: created)
            l.firstResponseAt = created + Timestamp(minutes * 60)
            if sql { l.qualifiedAt = created + 2 * 86_400 }
            events.append(.lead(l))
        }
        for i in 0..<80 {
            let fast = i % 2 == 0
            let sql = fast ? i % 4 == 0 : i % 10 == 1
            lead("H\(i)", "S2", noon(8 + i / 40, 10 + i % 20), answeredIn: fast ? 10 : 60, sql: sql)
        }
        for i in 0..<10 { lead("N\(i)", "S1", noon(11, 2 + i), answeredIn: i < 6 ? 45 : 10, sql: false) }
        let store = InMemoryEventStore()
        _ = try store.append(events, source: "crm")
        let (engine, history) = try store.makeEngineAndHistory()
        let sofia = try #require(engine.repsByName.first { $0.name == "Sofia" }).id
        let asOf = noon(11, 15)
        let advisor = Advisor(
            engine: engine, history: history, model: WinProbabilityModel.train(history: history, closedBefore: asOf))
        let advice = advisor.recommendations(rep: sofia, period: .quarter(2026, 4), asOf: asOf, responsePlan: 15)
        let slow = try #require(advice.first { $0.kind == .responseTime })
        // (6 × 45 + 4 × 10) / 10 = 31.0; 6 × (50 % − 20 %) = 1.8 → 2 more SQLs.
        #expect(
            slow.text(.en)
                == "Leads wait 31.0 min on average for an answer against the plan's 15 min; 6 of the period's 10 "
                + "leads waited longer. In the team's last 90 days, leads answered within 15 min became SQLs 50 % of "
                + "the time, later ones 20 %: about 2 more SQLs this period at the plan's speed. Answer new leads "
                + "first, before calls out")
        #expect(
            slow.text(.ru)
                == "Лид ждёт ответа в среднем 31.0 мин при плане 15 мин; 6 из 10 лидов периода ждали дольше. В команде "
                + "за последние 90 дней лиды, которым ответили за 15 мин, становились SQL в 50 % случаев, остальные — "
                + "в 20 %: при скорости по плану это ещё около 2 SQL за период. Отвечайте на новые лиды прежде "
                + "исходящих звонков")
        // Within a plan of 40 minutes, nothing to say.
        #expect(
            !advisor.recommendations(rep: sofia, period: .quarter(2026, 4), asOf: asOf, responsePlan: 40).contains {
                $0.kind == .responseTime
            })
    }
}
