/// Where each base measure comes from: the record kind whose events feed it, the fields it reads, whose it
/// is and on which day — and what it means (`measure.<id>.meaning` in the message files). The engine's code
/// for each kind is in `Engine/Contributions/`, one file per kind; `MeasureFeedTests` checks this table against it.
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
        let meaning = LocalizedText("measure.\(id).meaning")
        return switch self {
        // Leads: by the lead's owner, on the day it was created; SQLs on the day of qualification.
        case .leadsCreated:
            Feed(.lead, reads: [], owner: "owner_id", day: "created_at", meaning)
        case .leadsResponded:
            Feed(
                .lead, reads: ["first_response_at"], owner: "owner_id", day: "created_at", meaning)
        case .responseMinutes:
            Feed(
                .lead, reads: ["first_response_at"], owner: "owner_id", day: "created_at", meaning)
        case .sqls:
            Feed(
                .lead, reads: ["qualified_at"], owner: "owner_id", day: "qualified_at", meaning)
        // Deals: by their owner, on the first-contact day.
        case .dealsCreated:
            Feed(.deal, reads: [], owner: "owner_id", day: "created_at", meaning)
        case .dealsCreatedAmount:
            Feed(
                .deal, reads: ["amount"], owner: "owner_id", day: "created_at", meaning)
        // Closes: by the deal's owner, on the close day; a later close of the same deal replaces an earlier one.
        case .dealsClosedCreatedAmount:
            Feed(
                .stageChange, reads: ["stage", "deals.amount"], owner: "deal_id → deals.owner_id", day: "changed_at",
                meaning)
        case .dealsWon:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .dealsLost:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.amount"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonCost:
            Feed(
                .stageChange, reads: ["stage", "deals.cost_of_goods"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonExtraCosts:
            Feed(
                .stageChange,
                reads: ["stage", "deals.discounts", "deals.marketing_bonuses", "deals.logistics", "deals.taxes"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonCycleDays:
            Feed(
                .stageChange, reads: ["stage", "deals.created_at"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonKeyRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "accounts.key_account"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonReferral:
            Feed(
                .stageChange, reads: ["stage", "deals.source", "accounts.source"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonRepeat:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                meaning)
        case .wonRepeatRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.kind"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .wonUpsellRevenue:
            Feed(
                .stageChange, reads: ["stage", "amount", "deals.kind"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .renewalsWon:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                meaning)
        case .renewalsLost:
            Feed(
                .stageChange, reads: ["stage", "deals.kind"], owner: "deal_id → deals.owner_id", day: "changed_at",
                meaning)
        case .lostManagerFault:
            Feed(
                .stageChange, reads: ["stage", "manager_fault"], owner: "deal_id → deals.owner_id", day: "changed_at",
                meaning)
        // An account's first win, moved when an earlier win arrives: distinct counts that still add up.
        case .newClients:
            Feed(
                .stageChange, reads: ["stage", "deals.account_id"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .newTargetClients:
            Feed(
                .stageChange, reads: ["stage", "deals.account_id", "accounts.target_segment"],
                owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        // Stages reached, once per deal (a win reaches them all), on the day of the move.
        case .reachedMeeting:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .reachedProposal:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        case .reachedContract:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "changed_at", meaning)
        // The same stages and the win on the day the deal was opened (a cohort), never over 100 %.
        case .cohortMeetings:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at", meaning)
        case .cohortProposals:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at", meaning)
        case .cohortContracts:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at", meaning)
        case .cohortWon:
            Feed(
                .stageChange, reads: ["stage"], owner: "deal_id → deals.owner_id", day: "deals.created_at", meaning)
        // Activities: by their rep, on their day, counted by type.
        case .calls:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .qualityCalls:
            Feed(
                .activity, reads: ["type", "duration_seconds"], owner: "rep_id", day: "at", meaning)
        case .callSeconds:
            Feed(
                .activity, reads: ["type", "duration_seconds"], owner: "rep_id", day: "at", meaning)
        case .emails:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .meetingsBooked:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .meetingsHeld:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .demos:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .proposalsSent:
            Feed(.activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .proposalsDiscussed:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .contractsSent:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .contractsSigned:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        case .eventContacts:
            Feed(
                .activity, reads: ["type"], owner: "rep_id", day: "at", meaning)
        // Money flows.
        case .invoiced:
            Feed(
                .invoice, reads: ["amount"], owner: "rep_id", day: "issued_at", meaning)
        case .paid:
            Feed(
                .payment, reads: ["amount"], owner: "invoice_id → invoices.rep_id", day: "paid_at", meaning)
        case .acquisitionCosts:
            Feed(
                .expense, reads: ["amount", "category"], owner: "rep_id (none: the company)", day: "at", meaning)
        // Surveys, by the rep they name, on the answer's day.
        case .npsResponses:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", meaning)
        case .npsPromoters:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", meaning)
        case .npsDetractors:
            Feed(.survey, reads: ["nps"], owner: "rep_id", day: "at", meaning)
        case .csatResponses:
            Feed(.survey, reads: ["csat"], owner: "rep_id", day: "at", meaning)
        case .csatSum:
            Feed(
                .survey, reads: ["csat"], owner: "rep_id", day: "at", meaning)
        // Evaluations of a call: by hand (evaluations.csv) or from its transcript (saleskpi calls, POST /calls).
        case .evaluations:
            Feed(
                .evaluation, reads: [], owner: "rep_id", day: "at", meaning)
        case .argumentationSum:
            Feed(
                .evaluation, reads: ["score"], owner: "rep_id", day: "at", meaning)
        case .objectionsRaised:
            Feed(
                .evaluation, reads: ["objections_raised"], owner: "rep_id", day: "at", meaning)
        case .objectionsHandled:
            Feed(
                .evaluation, reads: ["objections_handled"], owner: "rep_id", day: "at", meaning)
        case .callsAnalyzed:
            Feed(
                .evaluation, reads: ["rep_talk_seconds"], owner: "rep_id", day: "at", meaning)
        case .repTalkSeconds:
            Feed(
                .evaluation, reads: ["rep_talk_seconds"], owner: "rep_id", day: "at", meaning)
        case .clientTalkSeconds:
            Feed(
                .evaluation, reads: ["client_talk_seconds"], owner: "rep_id", day: "at", meaning)
        case .repQuestions:
            Feed(
                .evaluation, reads: ["questions"], owner: "rep_id", day: "at", meaning)
        case .openQuestions:
            Feed(
                .evaluation, reads: ["open_questions"], owner: "rep_id", day: "at", meaning)
        case .scriptStagesCovered:
            Feed(
                .evaluation, reads: ["script_stages_covered"], owner: "rep_id", day: "at", meaning)
        case .scriptStagesTotal:
            Feed(
                .evaluation, reads: ["script_stages_total"], owner: "rep_id", day: "at", meaning)
        case .nextStepsAgreed:
            Feed(
                .evaluation, reads: ["next_step_agreed"], owner: "rep_id", day: "at", meaning)
        // Reviews and CRM tasks.
        case .reviews:
            Feed(
                .review, reads: [], owner: "rep_id", day: "at", meaning)
        case .tasksDue:
            Feed(.task, reads: [], owner: "rep_id", day: "due_at", meaning)
        case .tasksDoneOnTime:
            Feed(
                .task, reads: ["done_at"], owner: "rep_id", day: "due_at", meaning)
        }
    }
}

extension BaseMeasure.Feed {
    init(_ kind: EventKind, reads: [String], owner: String, day: String, _ meaning: LocalizedText) {
        self.init(kind: kind, reads: reads, owner: owner, day: day, meaning: meaning)
    }
}
