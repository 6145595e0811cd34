/// The KPI catalog: every KPI named in the seed documents, plus the user's own.
public struct KPICatalog: Sendable {
    public private(set) var kpis: [KPIDefinition]
    private var index: [String: Int]
    /// Each KPI's formula with its names resolved, aligned with `kpis`.
    private(set) var linked: [LinkedFormula] = []

    public init(_ kpis: [KPIDefinition]) {
        self.kpis = kpis
        index = Dictionary(kpis.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        link()
    }

    private mutating func link() { linked = kpis.map { LinkedFormula($0.formula, positions: index) } }

    public subscript(id: String) -> KPIDefinition? { index[id].map { kpis[$0] } }

    /// The KPI's position in `kpis`.
    public func position(of id: String) -> Int? { index[id] }

    /// Adds a user KPI, or replaces a KPI of the same id; checks that its names exist and that it
    /// does not refer to itself.
    public mutating func define(_ kpi: KPIDefinition) throws(CatalogError) {
        for name in kpi.formula.names
        where name != kpi.id && BaseMeasure.byID[name] == nil && !Formula.variables.contains(name) && self[name] == nil
        {
            throw .unknownName(kpi: kpi.id, name: name)
        }
        if kpi.formula.names.contains(kpi.id) { throw .cycle(kpi: kpi.id) }
        var next = self  // commit only a catalog without cycles
        if let i = next.index[kpi.id] {
            next.kpis[i] = kpi
        } else {
            next.index[kpi.id] = next.kpis.count
            next.kpis.append(kpi)
        }
        if next.dependsOn(kpi.id, kpi.formula, seen: []) { throw .cycle(kpi: kpi.id) }
        next.link()
        self = next
    }

    private func dependsOn(_ id: String, _ f: Formula, seen: Set<String>) -> Bool {
        for name in f.names {
            if name == id { return true }
            if let k = self[name], !seen.contains(name), dependsOn(id, k.formula, seen: seen.union([name])) {
                return true
            }
        }
        return false
    }

    public enum CatalogError: Error, Sendable, Equatable {
        case unknownName(kpi: String, name: String)
        case cycle(kpi: String)
        public var message: LocalizedText {
            switch self {
            case .unknownName(let k, let n):
                LocalizedText(
                    en: "KPI '\(k)': '\(n)' is neither a base measure, a KPI nor days/workdays/weeks/months",
                    ru: "KPI «\(k)»: «\(n)» — не базовая мера, не KPI и не days/workdays/weeks/months")
            case .cycle(let k):
                LocalizedText(en: "KPI '\(k)' refers to itself", ru: "KPI «\(k)» ссылается сам на себя")
            }
        }
    }
}

extension KPICatalog {
    /// The seeds' catalog. Formulas are in display units: money in major units, percent 0–100.
    public static let standard: KPICatalog = {
        let all: Set<RepRole> = Set(RepRole.allCases)
        let sellers: Set<RepRole> = [.ae, .am, .head]
        func k(
            _ id: String, _ en: String, _ ru: String, _ formula: String, _ unit: KPIDefinition.Unit,
            lower: Bool = false, _ category: KPIDefinition.Category, _ nature: KPIDefinition.Nature,
            _ roles: Set<RepRole>, target: String? = nil
        ) -> KPIDefinition {
            try! KPIDefinition(
                id, en: en, ru: ru, formula, unit: unit, higherIsBetter: !lower, category: category,
                nature: nature, roles: roles, seedTarget: target)
        }
        return KPICatalog([
            // Financial
            k(
                "plan_fulfillment", "Revenue plan fulfillment", "Выполнение плана по выручке",
                "revenue / plan(revenue) * 100", .percent, .financial, .result, sellers, target: "≥ 100 %"),
            k("revenue", "Revenue", "Выручка", "won_revenue", .money, .financial, .result, sellers),
            k(
                "avg_deal_size", "Average deal size", "Средний чек", "won_revenue / deals_won", .money, .financial,
                .result, sellers, target: "≥ 400 000 ₽ (mid-market), contracts ≥ 500 000 ₽"),
            k(
                "avg_deal_growth", "Average deal growth", "Рост среднего чека",
                "(avg_deal_size / prev(avg_deal_size) - 1) * 100", .percent, .financial, .result, [.ae, .head]),
            k(
                "gross_profit", "Gross profit", "Валовая прибыль", "won_revenue - won_cost", .money, .financial,
                .result, sellers),
            k(
                "gross_margin", "Gross margin", "Маржинальность", "gross_profit / revenue * 100", .percent, .financial,
                .result, [.ae, .head]),
            k(
                "net_profit", "Net profit from deals", "Чистая прибыль со сделок",
                "won_revenue - won_cost - won_extra_costs", .money, .financial, .result, sellers,
                target: "+15–20 % a quarter"),
            k(
                "net_profit_growth", "Net profit growth", "Рост чистой прибыли",
                "(net_profit / prev(net_profit) - 1) * 100", .percent, .financial, .result, [.head],
                target: "+15–20 % a quarter"),
            k(
                "key_account_revenue", "Key-account (KAM) revenue", "Выручка по ключевым клиентам (KAM)",
                "won_key_revenue", .money, .financial, .result, [.ae, .am, .head]),
            k(
                "receivables", "Receivables at period end", "Дебиторская задолженность на конец периода",
                "todate(invoiced) - todate(paid)", .money, lower: true, .financial, .result, [.am, .head]),
            k(
                "receivables_share", "Receivables share of turnover", "Доля дебиторской задолженности в обороте",
                "receivables / invoiced * 100", .percent, lower: true, .financial, .result, [.am, .head],
                target: "≤ 15 %"),
            k(
                "cac", "Customer acquisition cost (CAC)", "Стоимость привлечения клиента (CAC)",
                "acquisition_costs / new_clients", .money, lower: true, .financial, .result, [.head]),
            k(
                "ltv", "Customer lifetime value (LTV)", "Пожизненная ценность клиента (LTV)",
                "todate(won_revenue) / todate(new_clients)", .money, .financial, .result, [.am, .head]),
            k("ltv_to_cac", "LTV / CAC", "LTV / CAC", "ltv / cac", .ratio, .financial, .result, [.head], target: "≥ 3"),
            k(
                "upsell_revenue", "Upsell revenue", "Выручка от допродаж", "won_upsell_revenue", .money, .financial,
                .result, [.am, .head]),
            k(
                "repeat_revenue", "Repeat and renewal revenue", "Выручка от повторных продаж и продлений",
                "won_repeat_revenue", .money, .financial, .result, [.am, .head]),
            // Funnel and efficiency
            k(
                "deals_won", "Deals won", "Закрытые (успешные) сделки", "deals_won", .count, .funnel, .result, sellers,
                target: "5–7 contracts a month"),
            k(
                "deals_lost", "Deals lost", "Проигранные сделки", "deals_lost", .count, lower: true, .funnel, .result,
                sellers),
            k(
                "win_rate", "Win rate", "Доля выигранных сделок (win rate)",
                "deals_won / (deals_won + deals_lost) * 100", .percent, .funnel, .result, sellers),
            k(
                "lead_to_deal_conversion", "Lead → deal conversion", "Конверсия из лида в сделку",
                "deals_won / leads_created * 100", .percent, .funnel, .result, [.ae, .head]),
            k(
                "sales_cycle_days", "Sales cycle length", "Длительность сделки (цикл продаж)",
                "won_cycle_days / deals_won", .days, lower: true, .funnel, .result, [.ae, .head]),
            k(
                "open_deals", "Open deals at period end", "Открытые сделки на конец периода",
                "todate(deals_created) - todate(deals_won) - todate(deals_lost)", .count, .funnel, .result, sellers),
            k(
                "pipeline_value", "Open pipeline value", "Сумма открытых сделок",
                "todate(deals_created_amount) - todate(deals_closed_created_amount)", .money, .funnel, .result,
                [.ae, .head]),
            k(
                "pipeline_velocity", "Pipeline velocity", "Скорость воронки продаж",
                "open_deals * win_rate / 100 * avg_deal_size / sales_cycle_days", .moneyPerDay, .funnel, .result,
                [.head]),
            k(
                "new_sqls", "New SQLs", "Новые SQL (квалифицированные лиды)", "sqls", .count, .funnel, .result,
                [.sdr, .head]),
            k(
                "leads_processed", "Leads processed", "Обработанные лиды", "leads_responded", .count, .funnel,
                .activity, [.sdr]),
            k(
                "lead_to_sql_conversion", "Lead → SQL conversion", "Конверсия лидов в SQL",
                "sqls / leads_created * 100", .percent, .funnel, .result, [.sdr, .head]),
            k(
                "sql_to_deal_conversion", "SQL → deal conversion", "Конверсия из SQL в сделку",
                "deals_won / deals_created * 100", .percent, .funnel, .result, [.ae, .head]),
            k(
                "call_to_meeting_conversion", "Call → meeting conversion", "Конверсия звонков во встречи",
                "meetings_booked / calls * 100", .percent, .funnel, .result, [.sdr, .ae], target: "≥ 20 %"),
            k(
                "meeting_to_proposal_conversion", "Meeting → proposal conversion", "Конверсия встреч в КП",
                "proposals_sent / meetings_held * 100", .percent, .funnel, .result, [.ae], target: "30–40 %"),
            k(
                "proposal_to_deal_conversion", "Proposal → deal conversion", "Конверсия КП в сделки",
                "deals_won / proposals_sent * 100", .percent, .funnel, .result, [.ae, .head], target: "≥ 30 %"),
            k(
                "proposal_to_contract_conversion", "Proposal → contract conversion", "Конверсия КП в договор",
                "contracts_signed / proposals_sent * 100", .percent, .funnel, .result, [.ae]),
            k(
                "stage_meeting_to_proposal", "Deals: meeting → proposal stage", "Сделки: этап встреча → КП",
                "reached_proposal / reached_meeting * 100", .percent, .funnel, .result, [.ae, .head]),
            k(
                "stage_proposal_to_contract", "Deals: proposal → contract stage", "Сделки: этап КП → договор",
                "reached_contract / reached_proposal * 100", .percent, .funnel, .result, [.ae, .head]),
            k(
                "retention_rate", "Retention (renewal) rate", "Коэффициент удержания (продления)",
                "renewals_won / (renewals_won + renewals_lost) * 100", .percent, .funnel, .result, [.am, .head]),
            k(
                "repeat_deal_share", "Repeat deals share", "Доля повторных сделок", "won_repeat / deals_won * 100",
                .percent, .funnel, .result, [.am]),
            k("new_clients", "New clients", "Новые клиенты", "new_clients", .count, .funnel, .result, [.ae, .head]),
            // Activity
            k("calls", "Calls", "Звонки", "calls", .count, .activity, .activity, [.sdr, .ae], target: "≥ 50 a day"),
            k(
                "calls_per_day", "Calls per workday", "Звонков в рабочий день", "calls / workdays", .perDay, .activity,
                .activity, [.sdr, .ae], target: "≥ 50"),
            k("emails", "E-mails", "Письма", "emails", .count, .activity, .activity, [.sdr]),
            k(
                "meetings_booked", "Meetings booked", "Назначенные встречи", "meetings_booked", .count, .activity,
                .activity, [.sdr, .ae]),
            k(
                "meetings_held", "Meetings held", "Проведённые встречи", "meetings_held", .count, .activity, .activity,
                [.ae, .am], target: "≥ 10 a week"),
            k(
                "meetings_per_week", "Meetings held per week", "Встреч в неделю", "meetings_held / weeks", .perWeek,
                .activity, .activity, [.ae, .am], target: "≥ 10"),
            k(
                "demos", "Demos and presentations", "Презентации и демонстрации", "demos", .count, .activity, .activity,
                [.ae]),
            k(
                "proposals_sent", "Proposals sent", "Отправленные КП", "proposals_sent", .count, .activity, .activity,
                [.ae], target: "15–20 a month"),
            k(
                "proposals_discussed", "Proposals discussed", "Обсуждённые КП", "proposals_discussed", .count,
                .activity, .activity, [.ae]),
            k(
                "contracts_signed", "Contracts signed", "Подписанные договоры", "contracts_signed", .count, .activity,
                .result, [.ae, .am], target: "5–7 a month"),
            k(
                "quality_contacts", "Quality contacts", "Качественные контакты",
                "quality_calls + meetings_held + demos", .count, .activity, .activity, [.ae, .am]),
            // Quality
            k(
                "nps", "NPS", "NPS (индекс лояльности)", "(nps_promoters - nps_detractors) / nps_responses * 100",
                .score, .quality, .quality, [.am, .ae, .head], target: "≥ 50"),
            k(
                "csat", "CSAT", "CSAT (удовлетворённость)", "csat_sum / csat_responses", .score, .quality, .quality,
                [.am, .ae], target: "≥ 4.5"),
            k(
                "manager_fault_refusals", "Refusals through the manager's fault", "Отказы по вине менеджера",
                "lost_manager_fault", .count, lower: true, .quality, .quality, [.ae, .am]),
            k(
                "argumentation_score", "Argumentation score", "Средний балл аргументации",
                "argumentation_sum / evaluations", .score, .quality, .quality, [.ae, .sdr], target: "≥ 4 of 5"),
            k(
                "objections_handled_share", "Objections handled", "Доля закрытых возражений",
                "objections_handled / objections_raised * 100", .percent, .quality, .quality, [.ae, .sdr],
                target: "≥ 70 %"),
            // Quality, from speech analytics (docs/speech.md)
            k(
                "calls_analyzed", "Calls analysed", "Проанализировано звонков", "calls_analyzed", .count, .quality,
                .activity, [.sdr, .ae, .am]),
            k(
                "script_compliance", "Call script compliance", "Соблюдение скрипта звонка",
                "script_stages_covered / script_stages_total * 100", .percent, .quality, .quality, [.sdr, .ae],
                target: "≥ 80 %"),
            k(
                "next_step_rate", "Calls that agreed a next step", "Звонки с договорённостью о следующем шаге",
                "next_steps_agreed / calls_analyzed * 100", .percent, .quality, .quality, [.sdr, .ae, .am],
                target: "≥ 80 %"),
            k(
                "talk_ratio", "Rep's share of the talk", "Доля речи менеджера",
                "rep_talk_seconds / (rep_talk_seconds + client_talk_seconds) * 100", .percent, lower: true, .quality,
                .quality, [.sdr, .ae, .am], target: "≤ 60 %"),
            k(
                "question_rate", "Questions per call", "Вопросов за звонок", "rep_questions / calls_analyzed", .ratio,
                .quality, .quality, [.sdr, .ae]),
            k(
                "open_question_share", "Open questions share", "Доля открытых вопросов",
                "open_questions / rep_questions * 100", .percent, .quality, .quality, [.sdr, .ae], target: "≥ 50 %"),
            k(
                "referral_deal_share", "Deals from referrals", "Доля сделок по рекомендациям",
                "won_referral / deals_won * 100", .percent, .quality, .quality, [.ae, .am], target: "≥ 15 %"),
            k(
                "client_reviews", "Client reviews naming the rep", "Отзывы клиентов с упоминанием менеджера", "reviews",
                .count, .quality, .quality, [.ae, .am], target: "≥ 5 a quarter"),
            k(
                "crm_discipline", "CRM discipline (tasks on time)", "Соблюдение стандартов CRM (задачи в срок)",
                "tasks_done_on_time / tasks_due * 100", .percent, .quality, .quality, all),
            // Extra
            k(
                "lead_response_minutes", "Lead response time", "Скорость реакции на лид",
                "response_minutes / leads_responded", .minutes, lower: true, .extra, .activity, [.sdr]),
            k(
                "target_segment_clients", "New clients from target segments", "Новые клиенты из целевых отраслей",
                "new_target_clients", .count, .extra, .result, [.ae, .head]),
            k(
                "event_contacts", "Hot contacts from events", "«Горячие» контакты с мероприятий", "event_contacts",
                .count, .extra, .activity, [.ae, .am]),
        ])
    }()
}
