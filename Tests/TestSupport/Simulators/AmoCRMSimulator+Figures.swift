import SalesCore

extension AmoCRMSimulator.Data {
    /// Per manager, straight from the simulator's leads, without the connector: won, lost and open deals, revenue
    /// in kopecks, and how many deals reached a meeting, a proposal and a contract (an event into that stage or a
    /// later one, or a win).
    public func figuresByManager() -> [String: [Int64]] {
        let order: [Int64: Int] = [102: 1, 103: 2, 104: 3, 105: 4, 142: 5]
        var reached: [Int64: Int] = [:]
        for e in events { reached[e.lead] = max(reached[e.lead] ?? 0, order[e.status] ?? 0) }
        var out: [String: [Int64]] = [:]
        for u in users {
            let mine = leads.filter { $0.responsible == u.id }
            let won = mine.filter { $0.status == 142 }
            let lost = mine.filter { $0.status == 143 }
            let reach = { (stage: Int) in Int64(mine.filter { (reached[$0.id] ?? 0) >= stage }.count) }
            out[u.name] = [
                Int64(won.count), Int64(lost.count), Int64(mine.count - won.count - lost.count),
                won.map { $0.price * 100 }.reduce(0, +), reach(2), reach(3), reach(4),
            ]
        }
        return out
    }

    /// Per manager: calls (answered or not), their seconds, meetings booked and held.
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for u in users {
            let calls = self.calls.filter { $0.user == u.id }
            let meetings = self.meetings.filter { $0.user == u.id }
            out[u.name] = [
                Int64(calls.count), Int64(calls.compactMap(\.duration).reduce(0, +)), Int64(meetings.count),
                Int64(meetings.filter(\.completed).count),
            ]
        }
        return out
    }
}
