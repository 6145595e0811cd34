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
