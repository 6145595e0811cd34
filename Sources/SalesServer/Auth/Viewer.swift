import SalesCore
import SalesStorage

/// The signed-in user with the rep and team they stand for, and what they may see:
/// an admin everything, a head their team and its members, a rep only their own numbers.
public struct Viewer: Sendable {
    public let user: UserAccount
    /// The engine's rep this user is, if linked.
    public let repID: Int64?
    /// A head's team (from their rep), or a rep's team for anonymised benchmarks.
    public let teamID: Int64?

    init(user: UserAccount, engine: SalesEngine) {
        self.user = user
        let rep = user.repExternalID.flatMap { engine.rep(externalID: $0) }
        repID = rep?.id
        teamID = rep?.teamID
    }

    public func canSee(_ slice: Slice, engine: SalesEngine) -> Bool {
        switch (user.role, slice) {
        case (.admin, _): return true
        case (.head, .team(let t)): return t == teamID
        case (.head, .rep(let r)): return teamID != nil && engine.reps[r]?.teamID == teamID
        case (.rep, .rep(let r)): return r == repID
        default: return false
        }
    }

    /// Who may correct a call's analysis: a head of the rep's team or an admin, never a rep.
    public func mayReview(rep: Int64, engine: SalesEngine) -> Bool {
        user.role != .rep && canSee(.rep(rep), engine: engine)
    }

    /// The slice a dashboard opens on: a rep's own, a head's team, the company for an admin.
    public var home: Slice? {
        switch user.role {
        case .admin: .company
        case .head: teamID.map(Slice.team)
        case .rep: repID.map(Slice.rep)
        }
    }
}
