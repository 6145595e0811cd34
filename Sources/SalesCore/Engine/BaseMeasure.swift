/// The additive base measures the engine keeps per (rep, day) cell. Every KPI is a formula over
/// these. Each is attributed to one rep and one day, so any period and any slice is a sum of cells.
public enum BaseMeasure: Int, CaseIterable, Sendable {
    // Leads: by the lead's owner, on the day it was created (response on the created day too,
    // so that response time describes the leads of the period); SQLs on the day of qualification.
    case leadsCreated, leadsResponded, responseMinutes, sqls
    // Deals: created by owner on the first-contact day; closes on the close day.
    case dealsCreated, dealsCreatedAmount, dealsClosedCreatedAmount
    case dealsWon, dealsLost, wonRevenue, wonCost, wonExtraCosts, wonCycleDays
    case wonKeyRevenue, wonReferral, wonRepeat, wonRepeatRevenue, wonUpsellRevenue
    case renewalsWon, renewalsLost, lostManagerFault
    /// Accounts whose first won deal falls on this day (attributed to that deal's owner).
    case newClients, newTargetClients
    case reachedMeeting, reachedProposal, reachedContract
    /// The same stages and the win, counted on the day the deal was opened (a cohort): "of the deals
    /// opened in the period, how many got to a meeting, a proposal, a contract, a win", never over 100 %.
    case cohortMeetings, cohortProposals, cohortContracts, cohortWon
    // Activities.
    case calls, qualityCalls, callSeconds, emails, meetingsBooked, meetingsHeld, demos
    case proposalsSent, proposalsDiscussed, contractsSent, contractsSigned, eventContacts
    // Money flows.
    case invoiced, paid, acquisitionCosts
    // Quality.
    case npsResponses, npsPromoters, npsDetractors, csatResponses, csatSum
    case evaluations, argumentationSum, objectionsRaised, objectionsHandled, reviews
    // Speech analytics: calls analysed from their transcripts (on the call's day).
    case callsAnalyzed, repTalkSeconds, clientTalkSeconds, repQuestions, openQuestions, scriptStagesCovered,
        scriptStagesTotal
    case nextStepsAgreed
    case tasksDue, tasksDoneOnTime

    public static let count = allCases.count

    /// Unit of the stored integer: money is kept in minor units.
    public enum Unit: Sendable { case count, money, days, minutes, seconds, points }

    public var unit: Unit {
        switch self {
        case .dealsCreatedAmount, .dealsClosedCreatedAmount, .wonRevenue, .wonCost, .wonExtraCosts, .wonKeyRevenue,
            .wonRepeatRevenue, .wonUpsellRevenue, .invoiced, .paid, .acquisitionCosts:
            .money
        case .wonCycleDays: .days
        case .responseMinutes: .minutes
        case .callSeconds, .repTalkSeconds, .clientTalkSeconds: .seconds
        case .csatSum, .argumentationSum: .points
        default: .count
        }
    }

    /// The name formulas use: snake_case of the case name.
    public var id: String {
        var out = ""
        for ch in String(describing: self) {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    public static let byID: [String: BaseMeasure] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.id, $0) })

    /// Where the measure comes from, for `saleskpi kpis --measures` and docs.
    public var meaning: String {
        switch self {
        case .leadsCreated: "leads received (by owner, created day)"
        case .leadsResponded: "leads that got a first response"
        case .responseMinutes: "minutes from lead creation to first response, summed"
        case .sqls: "leads qualified as SQL (qualification day)"
        case .dealsCreated: "deals opened (first contact day)"
        case .dealsCreatedAmount: "amount of deals opened"
        case .dealsClosedCreatedAmount: "opening amount of deals closed (to derive the open pipeline)"
        case .dealsWon: "deals won (close day)"
        case .dealsLost: "deals lost (close day)"
        case .wonRevenue: "revenue of won deals"
        case .wonCost: "cost of goods of won deals"
        case .wonExtraCosts: "discounts, marketing bonuses, logistics and taxes of won deals"
        case .wonCycleDays: "days from first contact to win, summed over won deals"
        case .wonKeyRevenue: "revenue of won deals with key accounts"
        case .wonReferral: "won deals that came from a referral"
        case .wonRepeat: "won deals of kind repeat, upsell or renewal"
        case .wonRepeatRevenue: "revenue of won repeat, upsell and renewal deals"
        case .wonUpsellRevenue: "revenue of won upsell deals"
        case .renewalsWon: "renewal deals won"
        case .renewalsLost: "renewal deals lost"
        case .lostManagerFault: "deals lost through the manager's fault"
        case .newClients: "accounts won for the first time"
        case .newTargetClients: "target-segment accounts won for the first time"
        case .reachedMeeting: "deals that reached the meeting stage"
        case .reachedProposal: "deals that reached the proposal stage"
        case .reachedContract: "deals that reached the contract stage"
        case .cohortMeetings: "deals opened on the day that have reached a meeting (by opening day)"
        case .cohortProposals: "deals opened on the day that have reached a proposal (by opening day)"
        case .cohortContracts: "deals opened on the day that have reached a contract (by opening day)"
        case .cohortWon: "deals opened on the day that have been won (by opening day)"
        case .calls: "calls"
        case .qualityCalls: "calls of 2 minutes or longer"
        case .callSeconds: "call time, seconds"
        case .emails: "e-mails"
        case .meetingsBooked: "meetings booked"
        case .meetingsHeld: "meetings held"
        case .demos: "demos and presentations"
        case .proposalsSent: "proposals sent"
        case .proposalsDiscussed: "proposals discussed"
        case .contractsSent: "contracts sent"
        case .contractsSigned: "contracts signed"
        case .eventContacts: "hot contacts from events and networking"
        case .invoiced: "invoiced amount (issue day)"
        case .paid: "paid amount (payment day)"
        case .acquisitionCosts: "marketing and sales expenses"
        case .npsResponses: "NPS answers"
        case .npsPromoters: "NPS answers of 9–10"
        case .npsDetractors: "NPS answers of 0–6"
        case .csatResponses: "CSAT answers"
        case .csatSum: "CSAT points, summed"
        case .evaluations: "objection-handling evaluations"
        case .argumentationSum: "argumentation scores (1–5), summed"
        case .objectionsRaised: "objections raised"
        case .objectionsHandled: "objections handled"
        case .reviews: "client reviews naming the rep"
        case .callsAnalyzed: "calls analysed from their transcripts"
        case .repTalkSeconds: "seconds the rep talked in analysed calls"
        case .clientTalkSeconds: "seconds the client talked in analysed calls"
        case .repQuestions: "questions the rep asked in analysed calls"
        case .openQuestions: "open questions the rep asked in analysed calls"
        case .scriptStagesCovered: "call-script stages covered, summed over analysed calls"
        case .scriptStagesTotal: "call-script stages, summed over analysed calls"
        case .nextStepsAgreed: "analysed calls that agreed a next step"
        case .tasksDue: "CRM tasks due"
        case .tasksDoneOnTime: "CRM tasks done by their due time"
        }
    }
}

/// One value per base measure: a cell, or a sum of cells.
public struct MeasureVector: Sendable, Equatable {
    public var values: [Int64]
    public init() { values = Array(repeating: 0, count: BaseMeasure.count) }
    public subscript(m: BaseMeasure) -> Int64 {
        get { values[m.rawValue] }
        set { values[m.rawValue] = newValue }
    }
    public static func += (a: inout MeasureVector, b: MeasureVector) {
        for i in 0..<BaseMeasure.count { a.values[i] &+= b.values[i] }
    }
}
