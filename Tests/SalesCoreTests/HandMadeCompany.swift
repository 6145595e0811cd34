import SalesCore
import SalesStorage

/// A small company whose every KPI for March 2024 was worked out by hand (see CatalogTests).
/// Moscow time; all times are local unless an offset is written.
enum HandMadeCompany {
    static let calendar = CompanyCalendar()
    static let march = Period.month(2024, 3)

    /// A local time in the company zone.
    static func t(_ date: String, _ hour: Int = 10, _ minute: Int = 0) -> Timestamp {
        calendar.instant(fromLocal: Int64(CivilDate(iso: date)!.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60))
    }
    static func rub(_ major: Int64) -> Money { major * 100 }

    static func events() -> [SalesEvent] {
        var e: [SalesEvent] = [.team(Team(externalID: "T1", name: "Team One"))]
        for (id, role) in [("A", RepRole.ae), ("S", .sdr), ("M", .am), ("H", .head)] {
            e.append(.rep(Rep(externalID: id, name: "Rep \(id)", role: role, team: EntityRef("T1"))))
        }
        var acc1 = Account(externalID: "acc1", name: "Key Referral Co")
        acc1.isKeyAccount = true
        acc1.isTargetSegment = true
        acc1.source = "referral"
        e += [
            .account(acc1), .account(Account(externalID: "acc2", name: "Plain Co")),
            .account(Account(externalID: "acc3", name: "Third Co")),
        ]

        func lead(_ id: String, _ created: Timestamp, response: Timestamp?, qualified: Timestamp?) -> SalesEvent {
            var l = Lead(externalID: id, owner: EntityRef("S"), createdAt: created)
            l.firstResponseAt = response
            l.qualifiedAt = qualified
            return .lead(l)
        }
        e += [
            lead("L1", t("2024-03-04", 10), response: t("2024-03-04", 10, 30), qualified: t("2024-03-05")),
            lead("L2", t("2024-03-06", 10), response: t("2024-03-06", 11, 30), qualified: nil),
            lead("L3", t("2024-03-10", 10), response: nil, qualified: nil),
            lead("L4", t("2024-02-20", 10), response: t("2024-02-20", 11), qualified: t("2024-02-21")),
        ]

        func deal(
            _ id: String, _ owner: String, _ account: String, _ created: String, _ amount: Int64, cost: Int64 = 0,
            kind: DealKind = .new, source: String? = nil
        ) -> Deal {
            var d = Deal(
                externalID: id, account: EntityRef(account), owner: EntityRef(owner), createdAt: t(created),
                amount: rub(amount))
            d.costOfGoods = rub(cost)
            d.kind = kind
            d.source = source
            return d
        }
        var d1 = deal("D1", "A", "acc1", "2024-02-15", 1_000_000, cost: 600_000)
        d1.discounts = rub(50_000)
        d1.marketingBonuses = rub(10_000)
        d1.logistics = rub(20_000)
        d1.taxes = rub(20_000)
        e += [
            .deal(d1),
            .deal(deal("D2", "A", "acc2", "2024-03-05", 400_000, cost: 200_000, source: "outbound")),
            .deal(deal("D3", "A", "acc2", "2024-03-08", 300_000)),
            .deal(deal("D4", "A", "acc3", "2024-03-25", 200_000)),
            .deal(deal("D5", "M", "acc1", "2024-03-01", 300_000, cost: 150_000, kind: .renewal)),
            .deal(deal("D6", "M", "acc1", "2024-03-02", 100_000, cost: 40_000, kind: .upsell)),
            .deal(deal("D7", "M", "acc2", "2024-03-03", 50_000, kind: .renewal)),
            .deal(deal("D8", "A", "acc3", "2024-01-10", 500_000, cost: 300_000)),
        ]

        func stage(_ deal: String, _ s: DealStage, _ date: String, amount: Int64? = nil, fault: Bool = false)
            -> SalesEvent
        {
            var c = StageChange(externalID: "\(deal)-\(s.rawValue)", deal: EntityRef(deal), stage: s, at: t(date, 12))
            c.amount = amount.map(rub)
            c.managerFault = fault
            return .stageChange(c)
        }
        e += [
            stage("D1", .meeting, "2024-02-20"), stage("D1", .proposal, "2024-03-01"),
            stage("D1", .contract, "2024-03-05"), stage("D1", .won, "2024-03-10"),
            stage("D2", .meeting, "2024-03-07"), stage("D2", .proposal, "2024-03-12"),
            stage("D2", .won, "2024-03-20", amount: 450_000),
            stage("D3", .meeting, "2024-03-10"), stage("D3", .lost, "2024-03-15", fault: true),
            stage("D4", .proposal, "2024-03-28"),
            stage("D5", .won, "2024-03-15"), stage("D6", .won, "2024-03-25"), stage("D7", .lost, "2024-03-26"),
            stage("D8", .won, "2024-02-10"),
        ]

        var n = 0
        func act(_ type: ActivityType, _ at: Timestamp, seconds: Int32 = 0) -> SalesEvent {
            n += 1
            var a = Activity(externalID: "X\(n)", rep: EntityRef("A"), type: type, at: at)
            a.durationSeconds = seconds
            return .activity(a)
        }
        e += [
            act(.call, t("2024-03-04"), seconds: 60), act(.call, t("2024-03-05"), seconds: 180),
            act(.call, t("2024-03-31", 23, 30), seconds: 300),  // still March in Moscow
            act(.call, t("2024-04-01", 1, 0), seconds: 600),  // April in Moscow, March in UTC
            act(.email, t("2024-03-04")), act(.email, t("2024-03-05")), act(.meetingBooked, t("2024-03-05")),
            act(.meetingHeld, t("2024-03-07")), act(.meetingHeld, t("2024-03-10")), act(.demo, t("2024-03-11")),
            act(.proposalSent, t("2024-03-01")), act(.proposalSent, t("2024-03-12")),
            act(.proposalDiscussed, t("2024-03-14")),
            act(.contractSent, t("2024-03-05")), act(.contractSigned, t("2024-03-10")),
            act(.eventContact, t("2024-03-19")),
        ]

        e += [
            .invoice(
                Invoice(
                    externalID: "I0", account: EntityRef("acc3"), rep: EntityRef("A"), issuedAt: t("2024-02-12"),
                    dueAt: t("2024-02-26"), amount: rub(500_000))),
            .invoice(
                Invoice(
                    externalID: "I1", account: EntityRef("acc1"), rep: EntityRef("A"), issuedAt: t("2024-03-11"),
                    dueAt: t("2024-03-25"), amount: rub(1_000_000))),
            .invoice(
                Invoice(
                    externalID: "I2", account: EntityRef("acc2"), rep: EntityRef("A"), issuedAt: t("2024-03-21"),
                    dueAt: t("2024-04-20"), amount: rub(450_000))),
            .payment(
                Payment(externalID: "P0", invoice: EntityRef("I0"), paidAt: t("2024-02-28"), amount: rub(500_000))),
            .payment(
                Payment(externalID: "P1", invoice: EntityRef("I1"), paidAt: t("2024-03-20"), amount: rub(600_000))),
            .payment(
                Payment(externalID: "P2", invoice: EntityRef("I1"), paidAt: t("2024-04-05"), amount: rub(400_000))),
        ]

        for (i, (nps, csat)) in [(10, 5), (9, 4), (7, nil), (3, nil)].enumerated() {
            var s = Survey(externalID: "S\(i)", account: EntityRef("acc1"), rep: EntityRef("M"), at: t("2024-03-1\(i)"))
            s.nps = nps
            s.csat = csat
            e.append(.survey(s))
        }
        // Both analysed from transcripts (speech analytics): the call measures the speech KPIs sum.
        e += [
            .evaluation(
                Evaluation(
                    externalID: "E1", rep: EntityRef("A"), at: t("2024-03-06"), score: 4, objectionsRaised: 3,
                    objectionsHandled: 2,
                    call: CallMeasures(
                        repTalkSeconds: 300, clientTalkSeconds: 200, questions: 6, openQuestions: 2, stagesCovered: 4,
                        stagesTotal: 5, nextStepAgreed: true))),
            .evaluation(
                Evaluation(
                    externalID: "E2", rep: EntityRef("A"), at: t("2024-03-07"), score: 5, objectionsRaised: 1,
                    objectionsHandled: 1,
                    call: CallMeasures(
                        repTalkSeconds: 100, clientTalkSeconds: 300, questions: 2, openQuestions: 2, stagesCovered: 2,
                        stagesTotal: 5, nextStepAgreed: false))),
            .review(Review(externalID: "V1", rep: EntityRef("A"), at: t("2024-03-12"))),
            .review(Review(externalID: "V2", rep: EntityRef("A"), at: t("2024-03-22"))),
        ]
        for (id, due, done) in [
            ("K1", "2024-03-05", "2024-03-05"), ("K2", "2024-03-06", "2024-03-07"), ("K3", "2024-03-07", nil),
            ("K4", "2024-03-08", "2024-03-01"),
        ] {
            var task = CRMTask(externalID: id, rep: EntityRef("A"), dueAt: t(due, 18))
            task.doneAt = done.map { t($0, 12) }
            e.append(.task(task))
        }
        var sales = Expense(externalID: "EX2", at: t("2024-03-15"), category: .sales, amount: rub(100_000))
        sales.rep = EntityRef("H")
        e += [
            .expense(Expense(externalID: "EX1", at: t("2024-03-01"), category: .marketing, amount: rub(200_000))),
            .expense(sales),
            .expense(Expense(externalID: "EX3", at: t("2024-03-20"), category: .other, amount: rub(50_000))),
            .plan(
                Plan(
                    externalID: "PL1", scope: .rep, owner: EntityRef("A"), kpi: "revenue", period: march,
                    target: 1_000_000)),
        ]
        return e
    }

    /// The company stored in memory and its engine.
    static func engine() throws -> (SalesEngine, InMemoryEventStore) {
        let store = InMemoryEventStore()
        try store.append(events(), source: "hand")
        return (try store.makeEngine(calendar: calendar), store)
    }
}
