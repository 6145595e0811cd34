extension PipedriveSimulator.Data {
    /// A simulated company: five users, twenty-five organizations and `deals` deals, most added in "Qualified" and
    /// moved along the default pipeline (each move a `stage_id` change in the flow), some added further on and
    /// never moved, and one moved back and forth for more than a flow page; each ends won, lost with its reason, or
    /// open. Two calls a deal (done or not) and a meeting for every other deal.
    public static func company(deals: Int, seed: UInt64 = 1) -> Self {
        var rng = SplitMix(seed)
        var d = Self()
        d.users = ["Ана Перес", "Ben Clarke", "Carla Nunes", "Dirk Vogel", "Elif Kaya"].enumerated().map {
            (Int64(11_000 + $0), $1)
        }
        let base: Int64 = 1_767_225_600
        d.organizations = (0..<25).map { (Int64(600 + $0), "Org \($0) GmbH", base + Int64($0) * 90) }
        var changeID: Int64 = 50_000
        for i in 0..<deals {
            let id = Int64(1 + i)
            let added = base + Int64(i) * min(1_800, 25_920_000 / Int64(max(1, deals)))
            var at = added
            var deal = PipedriveSimulator.Deal(
                id: id, title: "Deal \(id)", owner: d.users[Int(rng.next() % 5)].id,
                organization: rng.next() % 10 == 0 ? nil : d.organizations[Int(rng.next() % 25)].id,
                stage: rng.next() % 6 == 0 ? 3 : 1, status: "open", value: Double(rng.next() % 5_000_000) / 100 + 100,
                added: added, updated: added)
            if deal.stage == 1 {
                for to in Int64(2)..<Int64(2 + rng.next() % 5) {
                    at += Int64(rng.next() % 86_400) + 60
                    changeID += 1
                    deal.moves.append((changeID, deal.stage, to, at))
                    deal.stage = to
                }
            }
            if i == 3 {  // a deal moved back and forth: its flow takes several pages
                for k in 0..<60 {
                    at += 120
                    changeID += 1
                    let to: Int64 = k % 2 == 0 ? 3 : 2
                    deal.moves.append((changeID, deal.stage, to, at))
                    deal.stage = to
                }
            }
            let outcome = rng.next() % 100
            if outcome < 62 {
                at += Int64(rng.next() % 300_000) + 60
                deal.status = outcome < 33 ? "won" : "lost"
                deal.closed = at
                deal.lostReason =
                    deal.status == "lost"
                    ? ["Too expensive", "Chose a competitor", "No decision"][Int(rng.next() % 3)] : nil
            }
            deal.updated = at + Int64(rng.next() % 50)
            d.deals.append(deal)
        }
        for i in 0..<(deals * 5 / 2) {
            let call = i < deals * 2
            let due = base + Int64(rng.next() % 25_000_000)
            d.activities.append(
                .init(
                    id: Int64(800_000 + i), type: call ? "call" : "meeting", owner: d.users[Int(rng.next() % 5)].id,
                    deal: rng.next() % 2 == 0 ? Int64(1 + Int(rng.next() % UInt64(max(1, deals)))) : nil,
                    done: rng.next() % 4 != 0, due: due, minutes: Int(rng.next() % 45),
                    added: due - Int64(rng.next() % 900_000),
                    updated: due + 3_600))
        }
        return d
    }

    /// Per user, from the company's own data: won, lost and open deals, revenue in cents, and how many reached a
    /// meeting ("Demo Scheduled"), a proposal and a contract ("Negotiations Started"); a win reaches them all.
    public func figuresByManager() -> [String: [Int64]] {
        let rank: [Int64: Int] = [3: 3, 4: 4, 5: 5]
        var out: [String: [Int64]] = [:]
        for u in users {
            let mine = deals.filter { $0.owner == u.id }
            let furthest = { (d: PipedriveSimulator.Deal) in
                d.status == "won"
                    ? 6 : ([d.moves.first?.from ?? d.stage] + d.moves.map(\.to)).map { rank[$0] ?? 0 }.max()!
            }
            let reached = { (r: Int) in Int64(mine.filter { furthest($0) >= r }.count) }
            let won = mine.filter { $0.status == "won" }
            let lost = mine.filter { $0.status == "lost" }
            out[u.name] = [
                Int64(won.count), Int64(lost.count), Int64(mine.count - won.count - lost.count),
                won.map { Int64(($0.value * 100).rounded()) }.reduce(0, +), reached(3), reached(4), reached(5),
            ]
        }
        return out
    }

    /// Per user: done calls, their seconds, meetings booked and held.
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for u in users {
            let calls = activities.filter { $0.owner == u.id && $0.type == "call" && $0.done }
            let meetings = activities.filter { $0.owner == u.id && $0.type == "meeting" }
            out[u.name] = [
                Int64(calls.count), calls.map { Int64($0.minutes * 60) }.reduce(0, +), Int64(meetings.count),
                Int64(meetings.filter(\.done).count),
            ]
        }
        return out
    }
}
