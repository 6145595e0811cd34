/// Where each base measure comes from: the record kind whose events feed it, the fields it reads, whose it
/// is and on which day — and what it means, in both languages. The engine's code for each kind is in
/// `Engine/Contributions/`, one file per kind; `MeasureFeedTests` checks this table against it.
extension BaseMeasure {
    public struct Feed: Sendable, Hashable {
        /// The record kind whose events change the measure.
        public var kind: EventKind
        /// The fields read besides the owner and the day: the record's own, or `table.field` of a record it refers to.
        public var reads: [String]
        /// The field that names the rep the measure is attributed to.
        public var owner: String
        /// The field whose day (in the company's time zone) the measure is counted on.
        public var day: String
        public var meaning: LocalizedText
    }

    public var feed: Feed {
        switch self {
        // Leads: by the lead's owner, on the day it was created; SQLs on the day of qualification.
        case .leadsCreated:
            Feed(.lead, reads: [], owner: "owner_id", day: "created_at", en: "leads received", ru: "полученные лиды")
        case .leadsResponded:
            Feed(
                .lead, reads: ["first_response_at"], owner: "owner_id", day: "created_at",
                en: "leads that got a first response", ru: "лиды, получившие первый ответ")
        case .responseMinutes:
            Feed(
                .lead, reads: ["first_response_at"], owner: "owner_id", day: "created_at",
                en: "minutes from lead creation to first response, summed",
                ru: "минуты от создания лида до первого ответа, сумма")
        case .sqls:
            Feed(
                .lead, reads: ["qualified_at"], owner: "owner_id", day: "qualified_at",
                en: "leads qualified as SQL", ru: "лиды, квалифицированные как SQL")
        // Deals: by their owner, on the first-contact day.
        case .dealsCreated:
            Feed(.deal, reads: [], owner: "owner_id", day: "created_at", en: "deals opened", ru: "открытые сделки")
        case .dealsCreatedAmount:
            Feed(
                .deal, reads: ["amount"], owner: "owner_id", day: "created_at",
                en: "amount of deals opened", ru: "сумма открытых сделок")
        // Closes: by the deal's owner, on the close day; a later close of the same deal replaces an earlier one.
        case .dealsClosedCreatedAmount:
            Feed(
                .stageChange, reads: ["stage", "deals.amount"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "opening amount of deals closed (to derive the open pipeline)",
                ru: "начальная сумма закрытых сделок (чтобы вывести открытую воронку)")
        case .dealsWon:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals won", ru: "выигранные сделки")
        case .dealsLost:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals lost", ru: "проигранные сделки")
        case .wonRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.amount"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "revenue of won deals (the close amount, else the deal's)",
                ru: "выручка выигранных сделок (сумма закрытия, иначе сумма сделки)")
        case .wonCost:
            Feed(
                .stageChange, reads: ["stage", "deals.cost_of_goods"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "cost of goods of won deals", ru: "себестоимость выигранных сделок")
        case .wonExtraCosts:
            Feed(
                .stageChange,
                reads: ["stage", "deals.discounts", "deals.marketing_bonuses", "deals.logistics", "deals.taxes"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "discounts, marketing bonuses, logistics and taxes of won deals",
                ru: "скидки, маркетинговые бонусы, логистика и налоги выигранных сделок")
        case .wonCycleDays:
            Feed(
                .stageChange, reads: ["stage", "deals.created_at"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "days from first contact to win, summed over won deals",
                ru: "дни от первого контакта до выигрыша, сумма по выигранным сделкам")
        case .wonKeyRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "accounts.key_account"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "revenue of won deals with key accounts", ru: "выручка выигранных сделок с ключевыми клиентами")
        case .wonReferral:
            Feed(
                .stageChange, reads: ["stage", "deals.source", "accounts.source"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "won deals that came from a referral", ru: "выигранные сделки по рекомендации")
        case .wonRepeat:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "won deals of kind repeat, upsell or renewal",
                ru: "выигранные повторные сделки, допродажи и продления")
        case .wonRepeatRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.kind"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "revenue of won repeat, upsell and renewal deals",
                ru: "выручка повторных сделок, допродаж и продлений")
        case .wonUpsellRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.kind"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "revenue of won upsell deals", ru: "выручка допродаж")
        case .renewalsWon:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "renewal deals won", ru: "выигранные продления")
        case .renewalsLost:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "renewal deals lost", ru: "проигранные продления")
        case .lostManagerFault:
            Feed(
                .stageChange, reads: ["stage", "manager_fault"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals lost through the manager's fault", ru: "сделки, проигранные по вине менеджера")
        // An account's first win, moved when an earlier win arrives: distinct counts that still add up.
        case .newClients:
            Feed(
                .stageChange, reads: ["stage", "deals.account_id"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "accounts won for the first time", ru: "клиенты, впервые купившие")
        case .newTargetClients:
            Feed(
                .stageChange, reads: ["stage", "deals.account_id", "accounts.target_segment"],
                owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "target-segment accounts won for the first time", ru: "клиенты целевых сегментов, впервые купившие")
        // Stages reached, once per deal (a win reaches them all), on the day of the move.
        case .reachedMeeting:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals that reached the meeting stage", ru: "сделки, дошедшие до встречи")
        case .reachedProposal:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals that reached the proposal stage", ru: "сделки, дошедшие до КП")
        case .reachedContract:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at",
                en: "deals that reached the contract stage", ru: "сделки, дошедшие до договора")
        // The same stages and the win on the day the deal was opened (a cohort), never over 100 %.
        case .cohortMeetings:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at",
                en: "deals opened on the day that have reached a meeting",
                ru: "сделки, открытые в этот день и дошедшие до встречи")
        case .cohortProposals:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at",
                en: "deals opened on the day that have reached a proposal",
                ru: "сделки, открытые в этот день и дошедшие до КП")
        case .cohortContracts:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at",
                en: "deals opened on the day that have reached a contract",
                ru: "сделки, открытые в этот день и дошедшие до договора")
        case .cohortWon:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at",
                en: "deals opened on the day that have been won", ru: "сделки, открытые в этот день и выигранные")
        // Activities: by their rep, on their day, counted by type.
        case .calls:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", en: "calls", ru: "звонки")
        case .qualityCalls:
            Feed(
                .activity, reads: ["type", "duration_seconds"], owner: "rep_id", day: "at",
                en: "calls of 2 minutes or longer", ru: "звонки от 2 минут")
        case .callSeconds:
            Feed(
                .activity, reads: ["type", "duration_seconds"], owner: "rep_id", day: "at",
                en: "call time, seconds", ru: "время звонков, секунды")
        case .emails:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", en: "e-mails", ru: "письма")
        case .meetingsBooked:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "meetings booked", ru: "назначенные встречи")
        case .meetingsHeld:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", en: "meetings held", ru: "проведённые встречи")
        case .demos:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "demos and presentations", ru: "демонстрации и презентации")
        case .proposalsSent:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", en: "proposals sent", ru: "отправленные КП")
        case .proposalsDiscussed:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "proposals discussed", ru: "обсуждённые КП")
        case .contractsSent:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "contracts sent", ru: "отправленные договоры")
        case .contractsSigned:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "contracts signed", ru: "подписанные договоры")
        case .eventContacts:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at",
                en: "hot contacts from events and networking", ru: "«горячие» контакты с мероприятий и нетворкинга")
        // Money flows.
        case .invoiced:
            Feed(
                .invoice, reads: ["amount"], owner: "rep_id", day: "issued_at",
                en: "invoiced amount", ru: "сумма выставленных счетов")
        case .paid:
            Feed(
                .payment, reads: ["amount"], owner: "invoice_id → invoices.rep_id", day: "paid_at",
                en: "paid amount", ru: "сумма оплат")
        case .acquisitionCosts:
            Feed(
                .expense, reads: ["amount", "category"], owner: "rep_id (none: the company)", day: "at",
                en: "marketing and sales expenses", ru: "расходы на маркетинг и продажи")
        // Surveys, by the rep they name, on the answer's day.
        case .npsResponses:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", en: "NPS answers", ru: "ответы NPS")
        case .npsPromoters:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", en: "NPS answers of 9–10", ru: "ответы NPS 9–10")
        case .npsDetractors:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", en: "NPS answers of 0–6", ru: "ответы NPS 0–6")
        case .csatResponses:
            Feed(.survey, reads: ["csat"], owner: "rep_id", day: "at", en: "CSAT answers", ru: "ответы CSAT")
        case .csatSum:
            Feed(
                .survey, reads: ["csat"], owner: "rep_id", day: "at",
                en: "CSAT points, summed", ru: "баллы CSAT, сумма")
        // Evaluations of a call: by hand (evaluations.csv) or from its transcript (saleskpi calls, POST /calls).
        case .evaluations:
            Feed(
                .evaluation, reads: [], owner: "rep_id", day: "at",
                en: "objection-handling evaluations", ru: "оценки работы с возражениями")
        case .argumentationSum:
            Feed(
                .evaluation, reads: ["score"], owner: "rep_id", day: "at",
                en: "argumentation scores (1–5), summed", ru: "баллы аргументации (1–5), сумма")
        case .objectionsRaised:
            Feed(
                .evaluation, reads: ["objections_raised"], owner: "rep_id", day: "at",
                en: "objections raised", ru: "возникшие возражения")
        case .objectionsHandled:
            Feed(
                .evaluation, reads: ["objections_handled"], owner: "rep_id", day: "at",
                en: "objections handled", ru: "закрытые возражения")
        case .callsAnalyzed:
            Feed(
                .evaluation, reads: ["rep_talk_seconds"], owner: "rep_id", day: "at",
                en: "calls analysed from their transcripts", ru: "звонки, проанализированные по расшифровке")
        case .repTalkSeconds:
            Feed(
                .evaluation, reads: ["rep_talk_seconds"], owner: "rep_id", day: "at",
                en: "seconds the rep talked in analysed calls",
                ru: "секунды речи менеджера в проанализированных звонках")
        case .clientTalkSeconds:
            Feed(
                .evaluation, reads: ["client_talk_seconds"], owner: "rep_id", day: "at",
                en: "seconds the client talked in analysed calls",
                ru: "секунды речи клиента в проанализированных звонках")
        case .repQuestions:
            Feed(
                .evaluation, reads: ["questions"], owner: "rep_id", day: "at",
                en: "questions the rep asked in analysed calls", ru: "вопросы менеджера в проанализированных звонках")
        case .openQuestions:
            Feed(
                .evaluation, reads: ["open_questions"], owner: "rep_id", day: "at",
                en: "open questions the rep asked in analysed calls",
                ru: "открытые вопросы менеджера в проанализированных звонках")
        case .scriptStagesCovered:
            Feed(
                .evaluation, reads: ["script_stages_covered"], owner: "rep_id", day: "at",
                en: "call-script stages covered, summed over analysed calls",
                ru: "пройденные этапы скрипта, сумма по проанализированным звонкам")
        case .scriptStagesTotal:
            Feed(
                .evaluation, reads: ["script_stages_total"], owner: "rep_id", day: "at",
                en: "call-script stages, summed over analysed calls",
                ru: "этапы скрипта, сумма по проанализированным звонкам")
        case .nextStepsAgreed:
            Feed(
                .evaluation, reads: ["next_step_agreed"], owner: "rep_id", day: "at",
                en: "analysed calls that agreed a next step",
                ru: "проанализированные звонки с договорённостью о следующем шаге")
        // Reviews and CRM tasks.
        case .reviews:
            Feed(
                .review, reads: [], owner: "rep_id", day: "at",
                en: "client reviews naming the rep", ru: "отзывы клиентов с упоминанием менеджера")
        case .tasksDue:
            Feed(.task, reads: [], owner: "rep_id", day: "due_at", en: "CRM tasks due", ru: "задачи CRM со сроком")
        case .tasksDoneOnTime:
            Feed(
                .task, reads: ["done_at"], owner: "rep_id", day: "due_at",
                en: "CRM tasks done by their due time", ru: "задачи CRM, выполненные в срок")
        }
    }
}

extension BaseMeasure.Feed {
    init(_ kind: EventKind, reads: [String], owner: String, day: String, en: String, ru: String) {
        self.init(kind: kind, reads: reads, owner: owner, day: day, meaning: LocalizedText(en: en, ru: ru))
    }
}
