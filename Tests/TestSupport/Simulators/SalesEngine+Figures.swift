import SalesCore

/// What the connector tests compare with each simulator's own figures.
extension SalesEngine {
    /// The same figures as the engine counts them, per rep by name.
    public func figuresByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for rep in repsByName {
            let m = measures(.rep(rep.id), .min, .max)
            out[rep.name] = [
                m[.dealsWon], m[.dealsLost], m[.dealsCreated] - m[.dealsWon] - m[.dealsLost], m[.wonRevenue],
                m[.reachedMeeting], m[.reachedProposal], m[.reachedContract],
            ]
        }
        return out
    }

    /// Per rep by name: calls, call seconds, meetings booked and held, as the engine counts them.
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for rep in repsByName {
            let m = measures(.rep(rep.id), .min, .max)
            out[rep.name] = [m[.calls], m[.callSeconds], m[.meetingsBooked], m[.meetingsHeld]]
        }
        return out
    }
}
