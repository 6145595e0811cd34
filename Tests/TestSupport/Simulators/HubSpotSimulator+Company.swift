extension HubSpotSimulator.Data {
    /// A simulated account: five owners in two teams, thirty companies and `deals` deals created in the first stage
    /// and moving along the default pipeline (each move a `dealstage` version) to a win, a loss with its reason or
    /// an open stage; one deal in twelve has no company and one in twenty no owner. The last `sameMillisecond` deals
    /// were touched by one bulk edit: more than a search page share one `hs_lastmodifieddate`.
    public static func company(deals: Int, seed: UInt64 = 1, sameMillisecond: Int = 130) -> Self {
        var rng = SplitMix(seed)
        var d = Self()
        d.teams = [7: "Inside Sales", 8: "Enterprise"]
        let people = [
            ("Alice", "Moore"), ("Bruno", "Keller"), ("Chloe", "Martin"), ("Dmitri", "Volkov"), ("Eva", "Lind"),
        ]
        d.owners = people.enumerated().map {
            .init(id: 501 + $0, firstName: $1.0, lastName: $1.1, team: $0 < 2 ? 7 : 8)
        }
        let base: Int64 = 1_767_225_600_000  // 2026-01-01, ms
        d.companies = (0..<30).map { (9_001 + Int64($0), "Client \($0) Ltd", base + Int64($0) * 61_000) }
        let path = ["qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"]
        for i in 0..<deals {
            let id = 70_001 + Int64(i)
            let created =
                base + Int64(i) * min(1_800_000, 25_920_000_000 / Int64(max(1, deals))) + Int64(rng.next() % 999)
            var at = created
            var history = [(stage: "appointmentscheduled", at: created)]
            for s in path.prefix(Int(rng.next() % 5)) {
                at += Int64(rng.next() % 86_400_000) + 300_123
                history.append((s, at))
            }
            var reason: String?
            let outcome = rng.next() % 100
            if outcome < 60 {
                at += Int64(rng.next() % 400_000_000) + 300_000
                let won = outcome < 32
                history.append((won ? "closedwon" : "closedlost", at))
                reason = won ? nil : ["Price", "Went with a competitor", "No budget"][Int(rng.next() % 3)]
            }
            let owner = rng.next() % 20 == 0 ? nil : d.owners[Int(rng.next() % 5)].id
            let company = rng.next() % 12 == 0 ? nil : d.companies[Int(rng.next() % 30)].id
            d.deals.append(
                .init(
                    id: id, name: "Deal \(id)", stage: history.last!.stage,
                    amount: "\(rng.next() % 90_000 + 500).\(rng.next() % 100)", owner: owner, company: company,
                    created: created, modified: at + Int64(rng.next() % 5_000), history: history, lostReason: reason))
        }
        // Two calls a deal (one in four not answered) and a meeting for every other one (two in three held).
        for i in 0..<(deals * 2) {
            let at = base + Int64(rng.next() % 25_000_000_000)
            let answered = rng.next() % 4 != 0
            d.calls.append(
                .init(
                    id: 300_001 + Int64(i), owner: d.owners[Int(rng.next() % 5)].id, created: at, at: at,
                    durationMs: answered ? Int64(rng.next() % 900_000) : 0,
                    status: answered ? "COMPLETED" : "NO_ANSWER",
                    modified: at + 1_000))
        }
        for i in 0..<(deals / 2) {
            let booked = base + Int64(rng.next() % 25_000_000_000)
            let start = booked + Int64(rng.next() % 600_000_000)
            d.meetings.append(
                .init(
                    id: 400_001 + Int64(i), owner: d.owners[Int(rng.next() % 5)].id, created: booked, at: start,
                    status: rng.next() % 3 == 0 ? "SCHEDULED" : "COMPLETED", modified: start + 2_000))
        }
        let bulk = (d.deals.map(\.modified).max() ?? base) + 60_000
        for i in d.deals.indices.suffix(sameMillisecond) { d.deals[i].modified = bulk }
        return d
    }

    /// Per owner ("First Last", and "(no owner)"), from the account's own data: won, lost and open deals, revenue
    /// in cents, and how many reached a meeting, a proposal and a contract (the first stage is a meeting booked;
    /// a win reaches them all).
    public func figuresByManager() -> [String: [Int64]] {
        let rank = [
            "appointmentscheduled": 3, "presentationscheduled": 3, "decisionmakerboughtin": 4, "contractsent": 5,
            "closedwon": 6,
        ]
        var out: [String: [Int64]] = [:]
        let named: [(String, Int?)] = owners.map { ("\($0.firstName) \($0.lastName)", $0.id) } + [("(no owner)", nil)]
        for (name, id) in named {
            let mine = deals.filter { $0.owner == id }
            let reached = { (r: Int) in
                Int64(mine.filter { d in d.history.contains { (rank[$0.stage] ?? 0) >= r } }.count)
            }
            let won = mine.filter { $0.stage == "closedwon" }
            let lost = mine.filter { $0.stage == "closedlost" }
            let cents = won.map { w -> Int64 in
                let parts = w.amount.split(separator: ".")
                return Int64(parts[0])! * 100 + Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))!
            }
            out[name] = [
                Int64(won.count), Int64(lost.count), Int64(mine.count - won.count - lost.count), cents.reduce(0, +),
                reached(3), reached(4), reached(5),
            ]
        }
        return out
    }
}

extension HubSpotSimulator.Data {
    /// Per owner: completed calls, their seconds (whole, as a call's duration in ms truncates), meetings booked
    /// and held.
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = ["(no owner)": [0, 0, 0, 0]]
        for o in owners {
            let calls = self.calls.filter { $0.owner == o.id && $0.status == "COMPLETED" }
            let meetings = self.meetings.filter { $0.owner == o.id }
            out["\(o.firstName) \(o.lastName)"] = [
                Int64(calls.count), calls.map { $0.durationMs / 1000 }.reduce(0, +), Int64(meetings.count),
                Int64(meetings.filter { $0.status == "COMPLETED" }.count),
            ]
        }
        return out
    }
}
