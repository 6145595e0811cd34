/// The seeds' catalog. Formulas are in display units: money in major units, percent 0–100. Each entry is the
/// whole of a KPI (see `KPIDefinition`): a new one is a new constant in `KPIID.swift` and an entry here.
extension KPICatalog {
    public static let standard = KPICatalog([
        // Financial
        kpi(
            .planFulfillment, en: "Revenue plan fulfillment", ru: "Выполнение плана по выручке",
            formula: "revenue / plan(revenue) * 100", unit: .percent, category: .financial, nature: .result,
            roles: sellers, target: "≥ 100 %", drillDown: .deals(.won), places: [.teamTable: 5]),
        kpi(
            .revenue, en: "Revenue", ru: "Выручка", formula: "won_revenue", unit: .money, category: .financial,
            nature: .result, roles: sellers, drillDown: .deals(.won),
            places: [.defaultReport: 3, .teamTable: 1, .weeklyResult(.ae): 1, .weeklyResult(.head): 1, .benchQuery: 2]),
        kpi(
            .avgDealSize, en: "Average deal size", ru: "Средний чек", formula: "won_revenue / deals_won",
            unit: .money, category: .financial, nature: .result, roles: sellers,
            target: "≥ 400 000 ₽ (mid-market), contracts ≥ 500 000 ₽", drillDown: .deals(.won),
            places: [.defaultReport: 5, .teamTable: 4, .benchQuery: 4]),
        kpi(
            .avgDealGrowth, en: "Average deal growth", ru: "Рост среднего чека",
            formula: "(avg_deal_size / prev(avg_deal_size) - 1) * 100", unit: .percent, category: .financial,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .grossProfit, en: "Gross profit", ru: "Валовая прибыль", formula: "won_revenue - won_cost",
            unit: .money, category: .financial, nature: .result, roles: sellers, drillDown: .deals(.won)),
        kpi(
            .grossMargin, en: "Gross margin", ru: "Маржинальность", formula: "gross_profit / revenue * 100",
            unit: .percent, category: .financial, nature: .result, roles: [.ae, .head], drillDown: .deals(.won)),
        kpi(
            .netProfit, en: "Net profit from deals", ru: "Чистая прибыль со сделок",
            formula: "won_revenue - won_cost - won_extra_costs", unit: .money, category: .financial,
            nature: .result, roles: sellers, target: "+15–20 % a quarter", drillDown: .deals(.won)),
        kpi(
            .netProfitGrowth, en: "Net profit growth", ru: "Рост чистой прибыли",
            formula: "(net_profit / prev(net_profit) - 1) * 100", unit: .percent, category: .financial,
            nature: .result, roles: [.head], target: "+15–20 % a quarter"),
        kpi(
            .keyAccountRevenue, en: "Key-account (KAM) revenue", ru: "Выручка по ключевым клиентам (KAM)",
            formula: "won_key_revenue", unit: .money, category: .financial, nature: .result,
            roles: [.ae, .am, .head], drillDown: .deals(.won)),
        kpi(
            .receivables, en: "Receivables at period end", ru: "Дебиторская задолженность на конец периода",
            formula: "todate(invoiced) - todate(paid)", unit: .money, lower: true, category: .financial,
            nature: .result, roles: [.am, .head], places: [.teamHeadline: 1]),
        kpi(
            .receivablesShare, en: "Receivables share of turnover", ru: "Доля дебиторской задолженности в обороте",
            formula: "receivables / invoiced * 100", unit: .percent, lower: true, category: .financial,
            nature: .result, roles: [.am, .head], target: "≤ 15 %", places: [.teamHeadline: 2]),
        kpi(
            .cac, en: "Customer acquisition cost (CAC)", ru: "Стоимость привлечения клиента (CAC)",
            formula: "acquisition_costs / new_clients", unit: .money, lower: true, category: .financial,
            nature: .result, roles: [.head]),
        kpi(
            .ltv, en: "Customer lifetime value (LTV)", ru: "Пожизненная ценность клиента (LTV)",
            formula: "todate(won_revenue) / todate(new_clients)", unit: .money, category: .financial,
            nature: .result, roles: [.am, .head]),
        kpi(
            .ltvToCAC, en: "LTV / CAC", ru: "LTV / CAC", formula: "ltv / cac", unit: .ratio, category: .financial,
            nature: .result, roles: [.head], target: "≥ 3"),
        kpi(
            .upsellRevenue, en: "Upsell revenue", ru: "Выручка от допродаж", formula: "won_upsell_revenue",
            unit: .money, category: .financial, nature: .result, roles: [.am, .head], drillDown: .deals(.won)),
        kpi(
            .repeatRevenue, en: "Repeat and renewal revenue", ru: "Выручка от повторных продаж и продлений",
            formula: "won_repeat_revenue", unit: .money, category: .financial, nature: .result,
            roles: [.am, .head], drillDown: .deals(.won), places: [.weeklyResult(.am): 1]),
        // Funnel and efficiency
        kpi(
            .dealsWon, en: "Deals won", ru: "Закрытые (успешные) сделки", formula: "deals_won", unit: .count,
            category: .funnel, nature: .result, roles: sellers, target: "5–7 contracts a month",
            drillDown: .deals(.won),
            places: [.defaultReport: 1, .teamTable: 2, .weeklyActivity(.head): 1, .benchQuery: 1]),
        kpi(
            .dealsLost, en: "Deals lost", ru: "Проигранные сделки", formula: "deals_lost", unit: .count,
            lower: true, category: .funnel, nature: .result, roles: sellers, drillDown: .deals(.lost),
            places: [.defaultReport: 2]),
        kpi(
            .winRate, en: "Win rate", ru: "Доля выигранных сделок (win rate)",
            formula: "deals_won / (deals_won + deals_lost) * 100", unit: .percent, category: .funnel,
            nature: .result, roles: sellers, drillDown: .deals(.closed),
            places: [.defaultReport: 4, .teamTable: 3, .teamHeadline: 3, .benchQuery: 3]),
        kpi(
            .leadToDealConversion, en: "Lead → deal conversion", ru: "Конверсия из лида в сделку",
            formula: "deals_won / leads_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won), places: [.benchQuery: 8]),
        kpi(
            .salesCycleDays, en: "Sales cycle length", ru: "Длительность сделки (цикл продаж)",
            formula: "won_cycle_days / deals_won", unit: .days, lower: true, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won), places: [.defaultReport: 6]),
        kpi(
            .openDeals, en: "Open deals at period end", ru: "Открытые сделки на конец периода",
            formula: "todate(deals_created) - todate(deals_won) - todate(deals_lost)", unit: .count,
            category: .funnel, nature: .result, roles: sellers, drillDown: .deals(.open),
            places: [.defaultReport: 7]),
        kpi(
            .pipelineValue, en: "Open pipeline value", ru: "Сумма открытых сделок",
            formula: "todate(deals_created_amount) - todate(deals_closed_created_amount)", unit: .money,
            category: .funnel, nature: .result, roles: [.ae, .head], drillDown: .deals(.open),
            places: [.teamHeadline: 4]),
        kpi(
            .pipelineVelocity, en: "Pipeline velocity", ru: "Скорость воронки продаж",
            formula: "open_deals * win_rate / 100 * avg_deal_size / sales_cycle_days", unit: .moneyPerDay,
            category: .funnel, nature: .result, roles: [.head], drillDown: .deals(.open)),
        kpi(
            .newSQLs, en: "New SQLs", ru: "Новые SQL (квалифицированные лиды)", formula: "sqls", unit: .count,
            category: .funnel, nature: .result, roles: [.sdr, .head], places: [.weeklyResult(.sdr): 1]),
        kpi(
            .leadsProcessed, en: "Leads processed", ru: "Обработанные лиды", formula: "leads_responded",
            unit: .count, category: .funnel, nature: .activity, roles: [.sdr]),
        kpi(
            .leadToSQLConversion, en: "Lead → SQL conversion", ru: "Конверсия лидов в SQL",
            formula: "sqls / leads_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.sdr, .head]),
        kpi(
            .sqlToDealConversion, en: "SQL → deal conversion", ru: "Конверсия из SQL в сделку",
            formula: "deals_won / deals_created * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], drillDown: .deals(.won)),
        kpi(
            .callToMeetingConversion, en: "Call → meeting conversion", ru: "Конверсия звонков во встречи",
            formula: "meetings_booked / calls * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.sdr, .ae], target: "≥ 20 %", drillDown: .activities(.meetingBooked)),
        kpi(
            .meetingToProposalConversion, en: "Meeting → proposal conversion", ru: "Конверсия встреч в КП",
            formula: "proposals_sent / meetings_held * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae], target: "30–40 %", drillDown: .activities(.proposalSent)),
        kpi(
            .proposalToDealConversion, en: "Proposal → deal conversion", ru: "Конверсия КП в сделки",
            formula: "deals_won / proposals_sent * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae, .head], target: "≥ 30 %", drillDown: .deals(.won)),
        kpi(
            .proposalToContractConversion, en: "Proposal → contract conversion", ru: "Конверсия КП в договор",
            formula: "contracts_signed / proposals_sent * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.ae], drillDown: .activities(.contractSigned)),
        kpi(
            .stageMeetingToProposal, en: "Deals: meeting → proposal stage", ru: "Сделки: этап встреча → КП",
            formula: "reached_proposal / reached_meeting * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .stageProposalToContract, en: "Deals: proposal → contract stage", ru: "Сделки: этап КП → договор",
            formula: "reached_contract / reached_proposal * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.ae, .head]),
        kpi(
            .retentionRate, en: "Retention (renewal) rate", ru: "Коэффициент удержания (продления)",
            formula: "renewals_won / (renewals_won + renewals_lost) * 100", unit: .percent, category: .funnel,
            nature: .result, roles: [.am, .head]),
        kpi(
            .repeatDealShare, en: "Repeat deals share", ru: "Доля повторных сделок",
            formula: "won_repeat / deals_won * 100", unit: .percent, category: .funnel, nature: .result,
            roles: [.am], drillDown: .deals(.won)),
        kpi(
            .newClients, en: "New clients", ru: "Новые клиенты", formula: "new_clients", unit: .count,
            category: .funnel, nature: .result, roles: [.ae, .head]),
        // Activity
        kpi(
            .calls, en: "Calls", ru: "Звонки", formula: "calls", unit: .count, category: .activity,
            nature: .activity, roles: [.sdr, .ae], target: "≥ 50 a day", drillDown: .activities(.call),
            places: [.teamTable: 6, .weeklyActivity(.sdr): 1, .weeklyActivity(.ae): 1, .benchQuery: 5]),
        kpi(
            .callsPerDay, en: "Calls per workday", ru: "Звонков в рабочий день", formula: "calls / workdays",
            unit: .perDay, category: .activity, nature: .activity, roles: [.sdr, .ae], target: "≥ 50",
            drillDown: .activities(.call), norm: .init(50, per: .period)),
        kpi(
            .emails, en: "E-mails", ru: "Письма", formula: "emails", unit: .count, category: .activity,
            nature: .activity, roles: [.sdr], drillDown: .activities(.email)),
        kpi(
            .meetingsBooked, en: "Meetings booked", ru: "Назначенные встречи", formula: "meetings_booked",
            unit: .count, category: .activity, nature: .activity, roles: [.sdr, .ae],
            drillDown: .activities(.meetingBooked)),
        kpi(
            .meetingsHeld, en: "Meetings held", ru: "Проведённые встречи", formula: "meetings_held", unit: .count,
            category: .activity, nature: .activity, roles: [.ae, .am], target: "≥ 10 a week",
            drillDown: .activities(.meetingHeld), places: [.teamTable: 7, .weeklyActivity(.am): 1, .benchQuery: 6]),
        kpi(
            .meetingsPerWeek, en: "Meetings held per week", ru: "Встреч в неделю",
            formula: "meetings_held / weeks", unit: .perWeek, category: .activity, nature: .activity,
            roles: [.ae, .am], target: "≥ 10", drillDown: .activities(.meetingHeld), norm: .init(10, per: .period)),
        kpi(
            .demos, en: "Demos and presentations", ru: "Презентации и демонстрации", formula: "demos",
            unit: .count, category: .activity, nature: .activity, roles: [.ae], drillDown: .activities(.demo)),
        kpi(
            .proposalsSent, en: "Proposals sent", ru: "Отправленные КП", formula: "proposals_sent", unit: .count,
            category: .activity, nature: .activity, roles: [.ae], target: "15–20 a month",
            drillDown: .activities(.proposalSent), norm: .init(15, per: .month),
            places: [.teamTable: 8, .benchQuery: 7]),
        kpi(
            .proposalsDiscussed, en: "Proposals discussed", ru: "Обсуждённые КП", formula: "proposals_discussed",
            unit: .count, category: .activity, nature: .activity, roles: [.ae],
            drillDown: .activities(.proposalDiscussed)),
        kpi(
            .contractsSigned, en: "Contracts signed", ru: "Подписанные договоры", formula: "contracts_signed",
            unit: .count, category: .activity, nature: .result, roles: [.ae, .am], target: "5–7 a month",
            drillDown: .activities(.contractSigned), norm: .init(5, per: .month)),
        kpi(
            .qualityContacts, en: "Quality contacts", ru: "Качественные контакты",
            formula: "quality_calls + meetings_held + demos", unit: .count, category: .activity, nature: .activity,
            roles: [.ae, .am]),
        // Quality
        kpi(
            .nps, en: "NPS", ru: "NPS (индекс лояльности)",
            formula: "(nps_promoters - nps_detractors) / nps_responses * 100", unit: .score, category: .quality,
            nature: .quality, roles: [.am, .ae, .head], target: "≥ 50"),
        kpi(
            .csat, en: "CSAT", ru: "CSAT (удовлетворённость)", formula: "csat_sum / csat_responses", unit: .score,
            category: .quality, nature: .quality, roles: [.am, .ae], target: "≥ 4.5"),
        kpi(
            .managerFaultRefusals, en: "Refusals through the manager's fault", ru: "Отказы по вине менеджера",
            formula: "lost_manager_fault", unit: .count, lower: true, category: .quality, nature: .quality,
            roles: [.ae, .am], drillDown: .deals(.lost)),
        kpi(
            .argumentationScore, en: "Argumentation score", ru: "Средний балл аргументации",
            formula: "argumentation_sum / evaluations", unit: .score, category: .quality, nature: .quality,
            roles: [.ae, .sdr], target: "≥ 4 of 5", places: [.callQuality: 1]),
        kpi(
            .objectionsHandledShare, en: "Objections handled", ru: "Доля закрытых возражений",
            formula: "objections_handled / objections_raised * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.ae, .sdr], target: "≥ 70 %", places: [.callQuality: 2]),
        // Quality, from speech analytics (docs/speech.md)
        kpi(
            .callsAnalyzed, en: "Calls analysed", ru: "Проанализировано звонков", formula: "calls_analyzed",
            unit: .count, category: .quality, nature: .activity, roles: [.sdr, .ae, .am]),
        kpi(
            .scriptCompliance, en: "Call script compliance", ru: "Соблюдение скрипта звонка",
            formula: "script_stages_covered / script_stages_total * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.sdr, .ae], target: "≥ 80 %",
            places: [.callQuality: 3, .callQualityTrend: 1]),
        kpi(
            .nextStepRate, en: "Calls that agreed a next step", ru: "Звонки с договорённостью о следующем шаге",
            formula: "next_steps_agreed / calls_analyzed * 100", unit: .percent, category: .quality,
            nature: .quality, roles: [.sdr, .ae, .am], target: "≥ 80 %",
            places: [.callQuality: 4, .callQualityTrend: 2]),
        kpi(
            .talkRatio, en: "Rep's share of the talk", ru: "Доля речи менеджера",
            formula: "rep_talk_seconds / (rep_talk_seconds + client_talk_seconds) * 100", unit: .percent,
            lower: true, category: .quality, nature: .quality, roles: [.sdr, .ae, .am], target: "≤ 60 %",
            places: [.callQuality: 5]),
        kpi(
            .questionRate, en: "Questions per call", ru: "Вопросов за звонок",
            formula: "rep_questions / calls_analyzed", unit: .ratio, category: .quality, nature: .quality,
            roles: [.sdr, .ae], places: [.callQuality: 6]),
        kpi(
            .openQuestionShare, en: "Open questions share", ru: "Доля открытых вопросов",
            formula: "open_questions / rep_questions * 100", unit: .percent, category: .quality, nature: .quality,
            roles: [.sdr, .ae], target: "≥ 50 %", places: [.callQuality: 7]),
        kpi(
            .referralDealShare, en: "Deals from referrals", ru: "Доля сделок по рекомендациям",
            formula: "won_referral / deals_won * 100", unit: .percent, category: .quality, nature: .quality,
            roles: [.ae, .am], target: "≥ 15 %", drillDown: .deals(.won)),
        kpi(
            .clientReviews, en: "Client reviews naming the rep", ru: "Отзывы клиентов с упоминанием менеджера",
            formula: "reviews", unit: .count, category: .quality, nature: .quality, roles: [.ae, .am],
            target: "≥ 5 a quarter"),
        kpi(
            .crmDiscipline, en: "CRM discipline (tasks on time)", ru: "Соблюдение стандартов CRM (задачи в срок)",
            formula: "tasks_done_on_time / tasks_due * 100", unit: .percent, category: .quality, nature: .quality,
            roles: all),
        // Extra
        kpi(
            .leadResponseMinutes, en: "Lead response time", ru: "Скорость реакции на лид",
            formula: "response_minutes / leads_responded", unit: .minutes, lower: true, category: .extra,
            nature: .activity, roles: [.sdr]),
        kpi(
            .targetSegmentClients, en: "New clients from target segments", ru: "Новые клиенты из целевых отраслей",
            formula: "new_target_clients", unit: .count, category: .extra, nature: .result, roles: [.ae, .head]),
        kpi(
            .eventContacts, en: "Hot contacts from events", ru: "«Горячие» контакты с мероприятий",
            formula: "event_contacts", unit: .count, category: .extra, nature: .activity, roles: [.ae, .am],
            drillDown: .activities(.eventContact)),
    ])
}

private let all: Set<RepRole> = Set(RepRole.allCases)
private let sellers: Set<RepRole> = [.ae, .am, .head]

/// A catalog entry; the formulas are the seeds' own, so a parse error is a bug the catalog tests catch.
private func kpi(
    _ id: KPI.ID, en: String, ru: String, formula: String, unit: KPI.Unit, lower: Bool = false,
    category: KPI.Category, nature: KPI.Nature, roles: Set<RepRole>, target: String? = nil,
    drillDown: DrillDown? = nil, norm: KPI.Norm? = nil, places: [KPI.Place: Int] = [:]
) -> KPI {
    try! KPI(
        id, en: en, ru: ru, formula: formula, unit: unit, higherIsBetter: !lower, category: category, nature: nature,
        roles: roles, seedTarget: target, drillDown: drillDown, norm: norm, places: places)
}
