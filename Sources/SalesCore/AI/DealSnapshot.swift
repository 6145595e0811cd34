import Foundation

/// What was known about a deal at one instant while it was open: the inputs of a win probability.
///
/// A closed deal is learnt from as it looked at a point of its life chosen by its id (the same
/// point on every run), never at its close: an open deal is scored as it looks now, so training
/// must see deals the same way, or the model would learn from facts (the last stage, the final
/// activities) that an open deal does not have yet.
public struct DealSnapshot: Sendable {
    public var deal: Int64
    public var owner: Int64
    public var team: Int64?
    public var teamName: String
    public var at: Timestamp
    public var stage: DealStage
    public var amount: Money
    public var ageDays: Double
    public var daysInStage: Double
    public var activities: Int
    public var activitiesLast14Days: Int
    /// Days since the last activity, or the age when there was none.
    public var daysSinceActivity: Double
    public var product: String
    public var kind: DealKind
    public var source: String
    public var industry: String
    public var segment: String
    public var employees: Int?
    public var isKeyAccount: Bool
    public var isTargetSegment: Bool

    public init(_ d: DealHistory.DealTimeline, at t: Timestamp, history: DealHistory) {
        deal = d.id
        owner = d.owner
        team = history.repTeams[d.owner] ?? nil
        at = t
        teamName = team.flatMap { history.teamNames[$0] } ?? ""
        let (stage, since) = d.stage(before: t)
        self.stage = stage
        amount = d.amount
        ageDays = max(0, Double(t - d.createdAt) / 86_400)
        daysInStage = max(0, Double(t - since) / 86_400)
        let (count, last) = d.activities(before: t)
        activities = count
        activitiesLast14Days = d.activities(between: t - 14 * 86_400, t)
        daysSinceActivity = last.map { max(0, Double(t - $0) / 86_400) } ?? ageDays
        product = d.product ?? ""
        kind = d.kind
        source = d.source ?? ""
        let account = history.accounts[d.account]
        industry = account?.industry ?? ""
        segment = account?.segment ?? ""
        employees = account?.employees
        isKeyAccount = account?.isKey ?? false
        isTargetSegment = account?.isTarget ?? false
    }

    /// The instant a closed deal is learnt at: between its creation and its close, at a fraction
    /// fixed by its external id (FNV-1a), so that runs agree and no deal is seen at its close.
    public static func learningInstant(_ d: DealHistory.DealTimeline) -> Timestamp {
        guard let closed = d.closedAt, closed > d.createdAt else { return d.createdAt }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in d.externalID.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let fraction = Double(h % 10_000) / 10_000
        return d.createdAt + Timestamp(Double(closed - d.createdAt) * fraction)
    }
}
