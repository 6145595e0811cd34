/// The seeds' catalog. Formulas are in display units: money in major units, percent 0–100. Each entry is the
/// whole of a KPI (see `KPIDefinition`): a new one is a new constant in `KPIID.swift`, an entry here and its
/// name (`kpi.<id>.name`) in the message files.
extension KPICatalog {
    public static let standard = KPICatalog([
        // Financial
        kpi(
            .planFulfillment,
            formula: "revenue / plan(revenue) * 100", unit: .percent, category: .financial, nature: .result,
            roles: sellers, target: "≥ 100 %", drillDown: .deals(.won), places: [.teamTable: 5]),
        kpi(
            .revenue, formula: "won_revenue", unit: .money, category: .financial,
            nature: .result, roles: sellers, drillDown: .deals(.won),
            places: [.defaultReport: 3, .teamTable: 1, .weeklyResult(.ae): 1, .weeklyResult(.head): 1, .benchQuery: 2]),
        kpi(
            .avgDealSize, formula: "won_revenue / deals_won",
            unit: .money, category: .financial, nature: .result, roles: sellers,
            target: "≥ 400 000 ₽ (mid-market), contracts ≥ 500 000 ₽", drillDown: .deals(.won),
            places: [.defaultReport: 5, .teamTable: 4, .benchQuery: 4]),
        kpi(
            .avgDealGrowth,
            formula: "(avg_deal_size / prev(avg_deal_size) - 1) * 100", unit: .percent, category: .financial,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .grossProfit, formula: "won_revenue - won_cost",
            unit: .money, category: .financial, nature: .result, roles: sellers, drillDown: .deals(.won)),
        kpi(
            .grossMargin, formula: "gross_profit / revenue * 100",
            unit: .percent, category: .financial, nature: .result, roles: [.ae, .head], drillDown: .deals(.won)),
        kpi(
            .netProfit,
            formula: "won_revenue - won_cost - won_extra_costs", unit: .money, category: .financial,
            nature: .result, roles: sellers, target: "+15–20 % a quarter", drillDown: .deals(.won)),
        kpi(
            .netProfitGrowth,
            formula: "(net_profit / prev(net_profit) - 1) * 100", unit: .percent, category: .financial,
            nature: .result, roles: [.head], target: "+15–20 % a quarter"),
        kpi(
            .keyAccountRevenue,
            formula: "won_key_revenue", unit: .money, category: .financial, nature: .result,
            roles: [.ae, .am, .head], drillDown: .deals(.won)),
        kpi(
            .receivables,
            formula: "todate(invoiced) - todate(paid)", unit: .money, lower: true, category: .financial,
            nature: .result, roles: [.am, .head], places: [.teamHeadline: 1]),
        kpi(
            .receivablesShare,
            formula: "receivables / invoiced * 100", unit: .percent, lower: true, category: .financial,
            nature: .result, roles: [.am, .head], target: "≤ 15 %", places: [.teamHeadline: 2]),
        kpi(
            .cac,
            formula: "acquisition_costs / new_clients", unit: .money, lower: true, category: .financial,
            nature: .result, roles: [.head]),
        kpi(
            .ltv,
            formula: "todate(won_revenue) / todate(new_clients)", unit: .money, category: .financial,
            nature: .result, roles: [.am, .head]),
        kpi(
            .ltvToCAC, formula: "ltv / cac", unit: .ratio, category: .financial,
            nature: .result, roles: [.head], target: "≥ 3"),
        kpi(
            .upsellRevenue, formula: "won_upsell_revenue",
            unit: .money, category: .financial, nature: .result, roles: [.am, .head], drillDown: .deals(.won)),
        kpi(
            .repeatRevenue,
            formula: "won_repeat_revenue", unit: .money, category: .financial, nature: .result,
            roles: [.am, .head], drillDown: .deals(.won), places: [.weeklyResult(.am): 1]),
        // Funnel and efficiency
        kpi(
            .dealsWon, formula: "deals_won", unit: .count,
            category: .funnel, nature: .result, roles: sellers, target: "5–7 contracts a month",
            drillDown: .deals(.won),
            places: [.defaultReport: 1, .teamTable: 2, .weeklyActivity(.head): 1, .benchQuery: 1]),
        kpi(
            .dealsLost, formula: "deals_lost", unit: .count,
            lower: true, category: .funnel, nature: .result, roles: sellers, drillDown: .deals(.lost),
            places: [.defaultReport: 2]),
        kpi(
            .winRate,
            formula: "deals_won / (deals_won + deals_lost) * 100", unit: .percent, category: .funnel,
            nature: .result, roles: sellers, drillDown: .deals(.closed),
            places: [.defaultReport: 4, .teamTable: 3, .teamHeadline: 3, .benchQuery: 3]),
        kpi(
            .leadToDealConversion,
            formula: "deals_won / leads_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won), places: [.benchQuery: 8]),
        kpi(
            .salesCycleDays,
            formula: "won_cycle_days / deals_won", unit: .days, lower: true, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won), places: [.defaultReport: 6]),
        kpi(
            .openDeals,
            formula: "todate(deals_created) - todate(deals_won) - todate(deals_lost)", unit: .count,
            category: .funnel, nature: .result, roles: sellers, drillDown: .deals(.open),
            places: [.defaultReport: 7]),
        kpi(
            .pipelineValue,
            formula: "todate(deals_created_amount) - todate(deals_closed_created_amount)", unit: .money,
            category: .funnel, nature: .result, roles: [.ae, .head], drillDown: .deals(.open),
            places: [.teamHeadline: 4]),
        kpi(
            .pipelineVelocity,
            formula: "open_deals * win_rate / 100 * avg_deal_size / sales_cycle_days", unit: .moneyPerDay,
            category: .funnel, nature: .result, roles: [.head], drillDown: .deals(.open)),
        kpi(
            .newSQLs, formula: "sqls", unit: .count,
            category: .funnel, nature: .result, roles: [.sdr, .head], places: [.weeklyResult(.sdr): 1]),
        kpi(
            .leadsProcessed, formula: "leads_responded",
            unit: .count, category: .funnel, nature: .activity, roles: [.sdr]),
        kpi(
            .leadToSQLConversion,
            formula: "sqls / leads_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.sdr, .head]),
        kpi(
            .sqlToDealConversion,
            formula: "deals_won / deals_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won)),
        kpi(
            .callToMeetingConversion,
            formula: "meetings_booked / calls * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.sdr, .ae], target: "≥ 20 %", drillDown: .activities(.meetingBooked)),
        kpi(
            .meetingToProposalConversion,
            formula: "proposals_sent / meetings_held * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae], target: "30–40 %", drillDown: .activities(.proposalSent)),
        kpi(
            .proposalToDealConversion,
            formula: "deals_won / proposals_sent * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], target: "≥ 30 %", drillDown: .deals(.won)),
        kpi(
            .proposalToContractConversion,
            formula: "contracts_signed / proposals_sent * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae], drillDown: .activities(.contractSigned)),
        kpi(
            .stageMeetingToProposal,
            formula: "reached_proposal / reached_meeting * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .stageProposalToContract,
            formula: "reached_contract / reached_proposal * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .retentionRate,
            formula: "renewals_won / (renewals_won + renewals_lost) * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.am, .head]),
        kpi(
            .repeatDealShare,
            formula: "won_repeat / deals_won * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.am], drillDown: .deals(.won)),
        kpi(
            .newClients, formula: "new_clients", unit: .count,
            category: .funnel, nature: .result, roles: [.ae, .head]),
        // Activity
        kpi(
            .calls, formula: "calls", unit: .count, category: .activity,
            nature: .activity, roles: [.sdr, .ae], target: "≥ 50 a day", drillDown: .activities(.call),
            places: [.teamTable: 6, .weeklyActivity(.sdr): 1, .weeklyActivity(.ae): 1, .benchQuery: 5]),
        kpi(
            .callsPerDay, formula: "calls / workdays",
            unit: .perDay, category: .activity, nature: .activity, roles: [.sdr, .ae], target: "≥ 50",
            drillDown: .activities(.call), norm: .init(50, per: .period)),
        kpi(
            .emails, formula: "emails", unit: .count, category: .activity,
            nature: .activity, roles: [.sdr], drillDown: .activities(.email)),
        kpi(
            .meetingsBooked, formula: "meetings_booked",
            unit: .count, category: .activity, nature: .activity, roles: [.sdr, .ae],
            drillDown: .activities(.meetingBooked)),
        kpi(
            .meetingsHeld, formula: "meetings_held", unit: .count,
            category: .activity, nature: .activity, roles: [.ae, .am], target: "≥ 10 a week",
            drillDown: .activities(.meetingHeld), places: [.teamTable: 7, .weeklyActivity(.am): 1, .benchQuery: 6]),
        kpi(
            .meetingsPerWeek,
            formula: "meetings_held / weeks", unit: .perWeek, category: .activity, nature: .activity,
            roles: [.ae, .am], target: "≥ 10", drillDown: .activities(.meetingHeld), norm: .init(10, per: .period)),
        kpi(
            .demos, formula: "demos",
            unit: .count, category: .activity, nature: .activity, roles: [.ae], drillDown: .activities(.demo)),
        kpi(
            .proposalsSent, formula: "proposals_sent", unit: .count,
            category: .activity, nature: .activity, roles: [.ae], target: "15–20 a month",
            drillDown: .activities(.proposalSent), norm: .init(15, per: .month),
            places: [.teamTable: 8, .benchQuery: 7]),
        kpi(
            .proposalsDiscussed, formula: "proposals_discussed",
            unit: .count, category: .activity, nature: .activity, roles: [.ae],
            drillDown: .activities(.proposalDiscussed)),
        kpi(
            .contractsSigned, formula: "contracts_signed",
            unit: .count, category: .activity, nature: .result, roles: [.ae, .am], target: "5–7 a month",
            drillDown: .activities(.contractSigned), norm: .init(5, per: .month)),
        kpi(
            .qualityContacts,
            formula: "quality_calls + meetings_held + demos", unit: .count, category: .activity, nature: .activity,
            roles: [.ae, .am]),
        // Quality
        kpi(
            .nps,
            formula: "(nps_promoters - nps_detractors) / nps_responses * 100", unit: .score, category: .quality,
            nature: .quality, roles: [.am, .ae, .head], target: "≥ 50"),
        kpi(
            .csat, formula: "csat_sum / csat_responses", unit: .score,
            category: .quality, nature: .quality, roles: [.am, .ae], target: "≥ 4.5"),
        kpi(
            .managerFaultRefusals,
            formula: "lost_manager_fault", unit: .count, lower: true, category: .quality, nature: .quality,
            roles: [.ae, .am], drillDown: .deals(.lost)),
        kpi(
            .argumentationScore,
            formula: "argumentation_sum / evaluations", unit: .score, category: .quality, nature: .quality,
            roles: [.ae, .sdr], target: "≥ 4 of 5", places: [.callQuality: 1]),
        kpi(
            .objectionsHandledShare,
            formula: "objections_handled / objections_raised * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.ae, .sdr], target: "≥ 70 %", places: [.callQuality: 2]),
        // Quality, from speech analytics (docs/speech.md)
        kpi(
            .callsAnalyzed, formula: "calls_analyzed",
            unit: .count, category: .quality, nature: .activity, roles: [.sdr, .ae, .am]),
        kpi(
            .scriptCompliance,
            formula: "script_stages_covered / script_stages_total * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.sdr, .ae], target: "≥ 80 %",
            places: [.callQuality: 3, .callQualityTrend: 1]),
        kpi(
            .nextStepRate,
            formula: "next_steps_agreed / calls_analyzed * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.sdr, .ae, .am], target: "≥ 80 %",
            places: [.callQuality: 4, .callQualityTrend: 2]),
        kpi(
            .talkRatio,
            formula: "rep_talk_seconds / (rep_talk_seconds + client_talk_seconds) * 100", unit: .percent,
            lower: true, category: .quality, nature: .quality, roles: [.sdr, .ae, .am], target: "≤ 60 %",
            places: [.callQuality: 5]),
        kpi(
            .questionRate,
            formula: "rep_questions / calls_analyzed", unit: .ratio, category: .quality, nature: .quality,
            roles: [.sdr, .ae], places: [.callQuality: 6]),
        kpi(
            .openQuestionShare,
            formula: "open_questions / rep_questions * 100", unit: .percent, category: .quality, nature: .quality,
            roles: [.sdr, .ae], target: "≥ 50 %", places: [.callQuality: 7]),
        kpi(
            .referralDealShare,
            formula: "won_referral / deals_won * 100", unit: .percent, category: .quality, nature: .quality,
            roles: [.ae, .am], target: "≥ 15 %", drillDown: .deals(.won)),
        kpi(
            .clientReviews,
            formula: "reviews", unit: .count, category: .quality, nature: .quality, roles: [.ae, .am],
            target: "≥ 5 a quarter"),
        kpi(
            .crmDiscipline,
            formula: "tasks_done_on_time / tasks_due * 100", unit: .percent, category: .quality, nature: .quality,
            roles: all),
        // Extra
        kpi(
            .leadResponseMinutes,
            formula: "response_minutes / leads_responded", unit: .minutes, lower: true, category: .extra,
            nature: .activity, roles: [.sdr]),
        kpi(
            .targetSegmentClients,
            formula: "new_target_clients", unit: .count, category: .extra, nature: .result, roles: [.ae, .head]),
        kpi(
            .eventContacts,
            formula: "event_contacts", unit: .count, category: .extra, nature: .activity, roles: [.ae, .am],
            drillDown: .activities(.eventContact)),
    ])
}

private let all: Set<RepRole> = Set(RepRole.allCases)
private let sellers: Set<RepRole> = [.ae, .am, .head]

/// A catalog entry; the formulas are the seeds' own, so a parse error is a bug the catalog tests catch.
private func kpi(
    _ id: KPI.ID, formula: String, unit: KPI.Unit, lower: Bool = false,
    category: KPI.Category, nature: KPI.Nature, roles: Set<RepRole>, target: String? = nil,
    drillDown: DrillDown? = nil, norm: KPI.Norm? = nil, places: [KPI.Place: Int] = [:]
) -> KPI {
    try! KPI(
        id, name: LocalizedText("kpi.\(id.rawValue).name"), formula: formula, unit: unit, higherIsBetter: !lower,
        category: category, nature: nature,
        roles: roles, seedTarget: target, drillDown: drillDown, norm: norm, places: places)
}
