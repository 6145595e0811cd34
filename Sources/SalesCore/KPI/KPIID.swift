/// A KPI's id: the name formulas, plans, the KPI-system YAML, the API and the CLI use for it.
///
/// The catalog's own KPIs are constants (`KPI.ID.winRate`), so code that names one is checked by the
/// compiler; a user's KPI gets its id from the YAML that defines it.
public struct KPIID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: KPIID, b: KPIID) -> Bool { a.rawValue < b.rawValue }
}

extension KPIID: Codable {
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// The KPI catalog's vocabulary: `KPI.ID.winRate`, `KPI(...)`.
public typealias KPI = KPIDefinition

extension KPIDefinition {
    public typealias ID = KPIID
}

/// The ids of the standard catalog (`KPICatalog.standard`), in its order.
extension KPIID {
    public static let planFulfillment = KPIID("plan_fulfillment")
    public static let revenue = KPIID("revenue")
    public static let avgDealSize = KPIID("avg_deal_size")
    public static let avgDealGrowth = KPIID("avg_deal_growth")
    public static let grossProfit = KPIID("gross_profit")
    public static let grossMargin = KPIID("gross_margin")
    public static let netProfit = KPIID("net_profit")
    public static let netProfitGrowth = KPIID("net_profit_growth")
    public static let keyAccountRevenue = KPIID("key_account_revenue")
    public static let receivables = KPIID("receivables")
    public static let receivablesShare = KPIID("receivables_share")
    public static let cac = KPIID("cac")
    public static let ltv = KPIID("ltv")
    public static let ltvToCAC = KPIID("ltv_to_cac")
    public static let upsellRevenue = KPIID("upsell_revenue")
    public static let repeatRevenue = KPIID("repeat_revenue")
    public static let dealsWon = KPIID("deals_won")
    public static let dealsLost = KPIID("deals_lost")
    public static let winRate = KPIID("win_rate")
    public static let leadToDealConversion = KPIID("lead_to_deal_conversion")
    public static let salesCycleDays = KPIID("sales_cycle_days")
    public static let openDeals = KPIID("open_deals")
    public static let pipelineValue = KPIID("pipeline_value")
    public static let pipelineVelocity = KPIID("pipeline_velocity")
    public static let newSQLs = KPIID("new_sqls")
    public static let leadsProcessed = KPIID("leads_processed")
    public static let leadToSQLConversion = KPIID("lead_to_sql_conversion")
    public static let sqlToDealConversion = KPIID("sql_to_deal_conversion")
    public static let callToMeetingConversion = KPIID("call_to_meeting_conversion")
    public static let meetingToProposalConversion = KPIID("meeting_to_proposal_conversion")
    public static let proposalToDealConversion = KPIID("proposal_to_deal_conversion")
    public static let proposalToContractConversion = KPIID("proposal_to_contract_conversion")
    public static let stageMeetingToProposal = KPIID("stage_meeting_to_proposal")
    public static let stageProposalToContract = KPIID("stage_proposal_to_contract")
    public static let retentionRate = KPIID("retention_rate")
    public static let repeatDealShare = KPIID("repeat_deal_share")
    public static let newClients = KPIID("new_clients")
    public static let calls = KPIID("calls")
    public static let callsPerDay = KPIID("calls_per_day")
    public static let emails = KPIID("emails")
    public static let meetingsBooked = KPIID("meetings_booked")
    public static let meetingsHeld = KPIID("meetings_held")
    public static let meetingsPerWeek = KPIID("meetings_per_week")
    public static let demos = KPIID("demos")
    public static let proposalsSent = KPIID("proposals_sent")
    public static let proposalsDiscussed = KPIID("proposals_discussed")
    public static let contractsSigned = KPIID("contracts_signed")
    public static let qualityContacts = KPIID("quality_contacts")
    public static let nps = KPIID("nps")
    public static let csat = KPIID("csat")
    public static let managerFaultRefusals = KPIID("manager_fault_refusals")
    public static let argumentationScore = KPIID("argumentation_score")
    public static let objectionsHandledShare = KPIID("objections_handled_share")
    public static let callsAnalyzed = KPIID("calls_analyzed")
    public static let scriptCompliance = KPIID("script_compliance")
    public static let nextStepRate = KPIID("next_step_rate")
    public static let talkRatio = KPIID("talk_ratio")
    public static let questionRate = KPIID("question_rate")
    public static let openQuestionShare = KPIID("open_question_share")
    public static let referralDealShare = KPIID("referral_deal_share")
    public static let clientReviews = KPIID("client_reviews")
    public static let crmDiscipline = KPIID("crm_discipline")
    public static let leadResponseMinutes = KPIID("lead_response_minutes")
    public static let targetSegmentClients = KPIID("target_segment_clients")
    public static let eventContacts = KPIID("event_contacts")
}
