import Foundation

extension SalesforceSimulator.Data {
    /// A simulated org: six users in two roles (and an integration user without one), thirty accounts and
    /// `opportunities` opportunities, one in eight in USD, each created in Prospecting (a history row) and moved
    /// along the standard sales process to Closed Won, Closed Lost or an open stage; one in five has its amount
    /// edited afterwards (another history row in the same stage). Two call tasks an opportunity (some open, some
    /// e-mails instead) and an event for every other one.
    public static func company(opportunities: Int, seed: UInt64 = 1) -> Self {
        var rng = SplitMix(seed)
        var d = Self()
        d.roles = ["00E5g000000SIMA": "Inside Sales", "00E5g000000SIMB": "Field Sales"]
        let names = ["Hannah Weber", "Ivan Petrov", "Julia Costa", "Kenji Sato", "Lena Berg", "Marco Rossi"]
        d.users = names.enumerated().map {
            ("0055g00000SIM\(String(format: "%05d", $0))", $1, $0 < 3 ? "00E5g000000SIMA" : "00E5g000000SIMB")
        }
        d.users.append(("0055g00000SIMINTEG", "Integration User", nil))
        let base: Int64 = 1_767_225_600
        d.accounts = (0..<30).map {
            ("0015g00000SIM\(String(format: "%05d", $0))", "Account \($0) Inc.", base + Int64($0) * 77)
        }
        let path = [
            "Qualification", "Needs Analysis", "Value Proposition", "Perception Analysis", "Proposal/Price Quote",
            "Negotiation/Review",
        ]
        var historyID = 0
        let row = { (opp: String, stage: String, at: Int64) -> SalesforceSimulator.History in
            historyID += 1
            return .init(
                id: "0085g00000H\(String(format: "%07d", historyID))", opportunity: opp, stage: stage, created: at)
        }
        for i in 0..<opportunities {
            let id = "0065g00000SIM\(String(format: "%05d", i))"
            let created = base + Int64(i) * min(1_800, 25_920_000 / Int64(max(1, opportunities)))
            var at = created
            var stage = "Prospecting"
            d.history.append(row(id, stage, at))
            for s in path.prefix(Int(rng.next() % 7)) {
                at += Int64(rng.next() % 86_400) + 60
                stage = s
                d.history.append(row(id, s, at))
            }
            let outcome = rng.next() % 100
            if outcome < 60 {
                at += Int64(rng.next() % 300_000) + 60
                stage = outcome < 30 ? "Closed Won" : "Closed Lost"
                d.history.append(row(id, stage, at))
            }
            if rng.next() % 5 == 0 {  // an amount edited: the same stage again
                at += 3_600
                d.history.append(row(id, stage, at))
            }
            let usd = rng.next() % 8 == 0
            d.opportunities.append(
                .init(
                    id: id, name: "Opportunity \(i)",
                    account: rng.next() % 10 == 0 ? nil : d.accounts[Int(rng.next() % 30)].id,
                    owner: d.users[Int(rng.next() % 6)].id, stage: stage,
                    amount: Double(rng.next() % 4_000_000) / 100 + 50, currency: usd ? "USD" : "RUB",
                    closeDate: String(SalesforceSimulator.stamp(at).prefix(10)), created: created, stamp: at + 5))
        }
        for i in 0..<(opportunities * 2) {
            let at = base + Int64(rng.next() % 25_000_000)
            let kind = rng.next() % 10
            d.tasks.append(
                .init(
                    id: "00T5g00000SIM\(String(format: "%05d", i))", owner: d.users[Int(rng.next() % 6)].id,
                    what: rng.next() % 2 == 0 ? d.opportunities[Int(rng.next() % UInt64(opportunities))].id : nil,
                    subtype: kind < 7 ? "Call" : kind < 9 ? "Email" : "Task",
                    seconds: kind < 7 ? Int(rng.next() % 1_200) : nil, closed: rng.next() % 6 != 0, completed: at,
                    stamp: at + 30))
        }
        for i in 0..<(opportunities / 2) {
            let created = base + Int64(rng.next() % 25_000_000)
            let at = created + Int64(rng.next() % 900_000)
            d.events.append(
                .init(
                    id: "00U5g00000SIM\(String(format: "%05d", i))", owner: d.users[Int(rng.next() % 6)].id,
                    what: nil, at: at, created: created, stamp: created + 10))
        }
        return d
    }

    /// Per user, from the org's own data (USD at `usdRate`): won, lost and open opportunities, revenue in kopecks,
    /// and how many reached a meeting (Needs Analysis on), a proposal (Perception Analysis on) and a contract
    /// (Negotiation/Review); a win reaches them all.
    public func figuresByManager(usdRate: Int64) -> [String: [Int64]] {
        let rank = [
            "Needs Analysis": 3, "Value Proposition": 3, "Id. Decision Makers": 3, "Perception Analysis": 4,
            "Proposal/Price Quote": 4, "Negotiation/Review": 5, "Closed Won": 6,
        ]
        var furthest: [String: Int] = [:]
        for h in history { furthest[h.opportunity] = max(furthest[h.opportunity] ?? 0, rank[h.stage] ?? 0) }
        var out: [String: [Int64]] = [:]
        for u in users {
            let mine = opportunities.filter { $0.owner == u.id }
            let won = mine.filter { $0.stage == "Closed Won" }
            let lost = mine.filter { $0.stage == "Closed Lost" }
            let reached = { (r: Int) in Int64(mine.filter { (furthest[$0.id] ?? 0) >= r }.count) }
            let revenue = won.map { Int64(($0.amount * 100).rounded()) * ($0.currency == "USD" ? usdRate : 1) }
            out[u.name] = [
                Int64(won.count), Int64(lost.count), Int64(mine.count - won.count - lost.count), revenue.reduce(0, +),
                reached(3), reached(4), reached(5),
            ]
        }
        return out
    }

    /// Per user: closed call tasks, their seconds, events (each a meeting booked and held).
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for u in users {
            let calls = tasks.filter { $0.owner == u.id && $0.closed && $0.subtype == "Call" }
            let meetings = Int64(events.filter { $0.owner == u.id }.count)
            out[u.name] = [Int64(calls.count), Int64(calls.compactMap(\.seconds).reduce(0, +)), meetings, meetings]
        }
        return out
    }
}
