/// The records behind a KPI's number, so that a click on the number opens the list that makes it:
/// a revenue figure opens the deals won, a call count the calls.
public enum DrillDown: Sendable, Equatable {
    case deals(SalesEngine.DealSet)
    case activities(ActivityType)

    /// The list behind a catalog KPI; nil for KPIs built from surveys, invoices, leads or tasks,
    /// whose records have no list yet, and for custom KPIs.
    public static func behind(_ kpi: String) -> DrillDown? { map[kpi] }

    private static let map: [String: DrillDown] = {
        var m: [String: DrillDown] = [:]
        for k in [
            "revenue", "plan_fulfillment", "avg_deal_size", "deals_won", "sales_cycle_days", "gross_profit",
            "gross_margin",
            "net_profit", "key_account_revenue", "upsell_revenue", "repeat_revenue", "lead_to_deal_conversion",
            "sql_to_deal_conversion", "proposal_to_deal_conversion", "repeat_deal_share", "referral_deal_share",
        ] {
            m[k] = .deals(.won)
        }
        for k in ["deals_lost", "manager_fault_refusals"] { m[k] = .deals(.lost) }
        m["win_rate"] = .deals(.closed)
        for k in ["open_deals", "pipeline_value", "pipeline_velocity"] { m[k] = .deals(.open) }
        let activities: [(String, ActivityType)] = [
            ("calls", .call), ("calls_per_day", .call), ("emails", .email), ("meetings_booked", .meetingBooked),
            ("call_to_meeting_conversion", .meetingBooked), ("meetings_held", .meetingHeld),
            ("meetings_per_week", .meetingHeld),
            ("meeting_to_proposal_conversion", .proposalSent), ("demos", .demo), ("proposals_sent", .proposalSent),
            ("proposals_discussed", .proposalDiscussed), ("contracts_signed", .contractSigned),
            ("proposal_to_contract_conversion", .contractSigned), ("event_contacts", .eventContact),
        ]
        for (k, type) in activities { m[k] = .activities(type) }
        return m
    }()
}
