import SalesCore
import Testing

/// Every catalog KPI on the hand-made company, March 2024; each expected value is derived by hand
/// in the comment beside it from the records in HandMadeCompany.
@Suite struct CatalogTests {
    enum Who {
        case rep(String)
        case company
    }

    // (kpi, whose, expected)
    static let expectations: [(String, Who, Double?)] = [
        // Financial. A won D1 (1 000 000, cost 600 000, extras 100 000) and D2 (final 450 000, cost 200 000).
        ("revenue", .rep("A"), 1_450_000),
        ("plan_fulfillment", .rep("A"), 145),  // 1 450 000 / 1 000 000 plan
        ("avg_deal_size", .rep("A"), 725_000),  // 1 450 000 / 2
        ("avg_deal_growth", .rep("A"), 45),  // February: D8 500 000 → 725/500 − 1
        ("gross_profit", .rep("A"), 650_000),  // 1 450 000 − 800 000
        ("gross_margin", .rep("A"), 650.0 / 1450 * 100),
        ("net_profit", .rep("A"), 550_000),  // 650 000 − 100 000 extras
        ("net_profit_growth", .rep("A"), 175),  // February net 200 000 → 550/200 − 1
        ("key_account_revenue", .rep("A"), 1_000_000),  // acc1 is key
        ("receivables", .rep("A"), 850_000),  // invoiced 1 950 000 − paid 1 100 000 by March 31
        ("receivables_share", .rep("A"), 850.0 / 1450 * 100),  // over March's invoiced 1 450 000
        ("cac", .company, 150_000),  // (200 000 marketing + 100 000 sales) / 2 new clients
        ("ltv", .company, 2_350_000.0 / 3),  // all wins to date / 3 clients (acc3 Feb, acc1, acc2)
        ("ltv_to_cac", .company, 2_350_000.0 / 3 / 150_000),
        ("upsell_revenue", .rep("M"), 100_000),  // D6
        ("repeat_revenue", .rep("M"), 400_000),  // D5 renewal + D6 upsell
        // Funnel
        ("deals_won", .rep("A"), 2),
        ("deals_lost", .rep("A"), 1),  // D3
        ("win_rate", .rep("A"), 200.0 / 3),
        ("lead_to_deal_conversion", .company, 400.0 / 3),  // 4 wins (D1 D2 D5 D6) / 3 March leads
        ("sales_cycle_days", .rep("A"), 19.5),  // D1 Feb 15 → Mar 10 = 24, D2 Mar 5 → 20 = 15
        ("open_deals", .rep("A"), 1),  // D4
        ("pipeline_value", .rep("A"), 200_000),  // D4's amount
        ("pipeline_velocity", .rep("A"), 1 * (2.0 / 3) * 725_000 / 19.5),
        ("new_sqls", .rep("S"), 1),  // L1 (L4 qualified in February)
        ("leads_processed", .rep("S"), 2),  // L1, L2 answered
        ("lead_to_sql_conversion", .rep("S"), 100.0 / 3),
        ("sql_to_deal_conversion", .rep("A"), 200.0 / 3),  // 2 won / 3 opened in March (D2 D3 D4)
        ("call_to_meeting_conversion", .rep("A"), 100.0 / 3),  // 1 booked / 3 March calls
        ("meeting_to_proposal_conversion", .rep("A"), 100),  // 2 proposals / 2 meetings
        ("proposal_to_deal_conversion", .rep("A"), 100),  // 2 won / 2 proposals
        ("proposal_to_contract_conversion", .rep("A"), 50),  // 1 signed / 2 proposals
        ("stage_meeting_to_proposal", .rep("A"), 100),  // meeting: D2 D3 D4(skipped to proposal); proposal: D1 D2 D4
        ("stage_proposal_to_contract", .rep("A"), 200.0 / 3),  // contract: D1 (Mar 5), D2 (won Mar 20)
        ("retention_rate", .rep("M"), 50),  // renewal D5 won, D7 lost
        ("repeat_deal_share", .rep("M"), 100),  // both M's wins are repeat kinds
        ("new_clients", .rep("A"), 2),  // acc1 (before M's D5), acc2
        // Activity: March 2024 has 21 workdays; the 01:00 April 1 call is April in Moscow.
        ("calls", .rep("A"), 3),
        ("calls_per_day", .rep("A"), 3.0 / 21),
        ("emails", .rep("A"), 2),
        ("meetings_booked", .rep("A"), 1),
        ("meetings_held", .rep("A"), 2),
        ("meetings_per_week", .rep("A"), 2.0 / (31.0 / 7)),
        ("demos", .rep("A"), 1),
        ("proposals_sent", .rep("A"), 2),
        ("proposals_discussed", .rep("A"), 1),
        ("contracts_signed", .rep("A"), 1),
        ("quality_contacts", .rep("A"), 5),  // calls ≥ 2 min (180 s, 300 s) + 2 meetings + 1 demo
        // Quality
        ("nps", .rep("M"), 25),  // answers 10 9 7 3: (2 − 1) / 4
        ("csat", .rep("M"), 4.5),  // 5 and 4
        ("manager_fault_refusals", .rep("A"), 1),
        ("argumentation_score", .rep("A"), 4.5),  // 4 and 5
        ("objections_handled_share", .rep("A"), 75),  // 3 of 4
        ("calls_analyzed", .rep("A"), 2),  // E1 and E2
        ("script_compliance", .rep("A"), 60),  // (4 + 2) stages of (5 + 5)
        ("next_step_rate", .rep("A"), 50),  // E1 yes, E2 no
        ("talk_ratio", .rep("A"), 400.0 / 900 * 100),  // rep 300 + 100 s, client 200 + 300 s
        ("question_rate", .rep("A"), 4),  // (6 + 2) questions in 2 calls
        ("open_question_share", .rep("A"), 50),  // (2 + 2) of 8
        ("referral_deal_share", .rep("A"), 50),  // D1 via its referral account; D2 outbound
        ("client_reviews", .rep("A"), 2),
        ("crm_discipline", .rep("A"), 50),  // K1 and K4 on time, K2 late, K3 never
        // Extra
        ("lead_response_minutes", .rep("S"), 60),  // 30 and 90 minutes
        ("target_segment_clients", .rep("A"), 1),  // acc1
        ("event_contacts", .rep("A"), 1),
    ]

    @Test func everyCatalogKPIHasAHandComputedExpectation() {
        let covered = Set(Self.expectations.map(\.0))
        let missing = KPICatalog.standard.kpis.map(\.id.rawValue).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "KPIs without a hand-computed test: \(missing)")
    }

    @Test(arguments: 0..<expectations.count)
    func kpiMatchesHandComputation(_ i: Int) throws {
        let (kpi, who, expected) = Self.expectations[i]
        let (engine, _) = try HandMadeCompany.engine()
        let slice: Slice
        switch who {
        case .company: slice = .company
        case .rep(let ext): slice = .rep(try #require(engine.reps.values.first { $0.externalID == ext }).id)
        }
        let value = KPIEvaluator(engine: engine, catalog: .standard, slice: slice, period: HandMadeCompany.march).value(
            KPI.ID(kpi))
        if let expected {
            let v = try #require(value, "\(kpi) has no value")
            #expect(abs(v - expected) < 1e-6 * max(1, abs(expected)), "\(kpi): \(v) ≠ \(expected)")
        } else {
            #expect(value == nil)
        }
    }

    @Test func ratiosWithNothingToDivideByHaveNoValue() throws {
        let (engine, _) = try HandMadeCompany.engine()
        let s = try #require(engine.reps.values.first { $0.externalID == "S" })
        let e = KPIEvaluator(engine: engine, catalog: .standard, slice: .rep(s.id), period: HandMadeCompany.march)
        #expect(e.value(.winRate) == nil)  // the SDR closed nothing
        #expect(e.value(.avgDealSize) == nil)
        #expect(e.value(.dealsWon) == 0)
    }

    @Test func teamIsTheSumOfItsMembers() throws {
        let (engine, _) = try HandMadeCompany.engine()
        let team = try #require(engine.teams.values.first).id
        let e = KPIEvaluator(engine: engine, catalog: .standard, slice: .team(team), period: HandMadeCompany.march)
        #expect(e.value(.revenue) == 1_850_000)  // A 1 450 000 + M 400 000
        #expect(e.value(.dealsWon) == 4)
        #expect(e.value(.planFulfillment) == 1_850_000.0 / 1_000_000 * 100)  // team plan = members' plans
    }
}
