import SalesCore

extension Bitrix24Simulator.Data {
    /// A simulated portal: five managers in two departments, thirty companies and `deals` deals moving through the
    /// default pipeline (each move a stage-history row) to a win, a loss (either failure stage) or an open stage.
    /// The last `sameSecond` deals were touched by one bulk edit: more than a page share one `DATE_MODIFY`.
    public static func company(deals: Int, seed: UInt64 = 1, sameSecond: Int = 120) -> Self {
        var rng = SplitMix(seed)
        var d = Self()
        d.departments = [1: "Отдел продаж", 2: "Ключевые клиенты"]
        let people = [
            ("Анна", "Смирнова"), ("Борис", "Иванов"), ("Вера", "Кузнецова"), ("Глеб", "Орлов"), ("Дина", "Попова"),
        ]
        d.users = people.enumerated().map { .init(id: 11 + $0, name: $1.0, lastName: $1.1, department: $0 < 3 ? 1 : 2) }
        let base: Int64 = 1_767_225_600
        d.companies = (0..<30).map { (301 + $0, "ООО «Клиент \($0)»", base + Int64($0) * 60) }
        let path = ["PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE"]
        var moveID = 0
        for i in 0..<deals {
            let id = 1_001 + i
            // Spread over at most 300 days from 2026-01-01: every move is in the past (a window closes at now).
            let created = base + Int64(i) * min(1_800, 25_920_000 / Int64(max(1, deals)))
            var at = created
            var stage = "NEW"
            for s in path.prefix(Int(rng.next() % 5)) {
                at += Int64(rng.next() % 86_400) + 300
                stage = s
                moveID += 1
                d.history.append(.init(id: moveID, deal: id, stage: s, at: at))
            }
            let outcome = rng.next() % 100
            if outcome < 60 {
                at += Int64(rng.next() % 400_000) + 300
                stage = outcome < 30 ? "WON" : outcome < 50 ? "LOSE" : "APOLOGY"
                moveID += 1
                d.history.append(.init(id: moveID, deal: id, stage: stage, at: at))
            }
            let rubles = rng.next() % 900_000 + 5_000
            d.deals.append(
                .init(
                    id: id, title: "Сделка \(id)", stage: stage, opportunity: "\(rubles).\(rng.next() % 100)",
                    assigned: d.users[Int(rng.next() % 5)].id, company: d.companies[Int(rng.next() % 30)].id,
                    created: created, modified: at))
        }
        // Two calls a deal and a meeting for every third (one in four of each not completed; a third of the calls on
        // a contact rather than a deal).
        for i in 0..<(deals * 2 + deals / 3) {
            let start = base + Int64(rng.next() % 25_000_000)
            let call = i < deals * 2
            d.activities.append(
                .init(
                    id: 70_001 + i, type: call ? 2 : 1, user: d.users[Int(rng.next() % 5)].id,
                    deal: rng.next() % 3 == 0 ? nil : d.deals[Int(rng.next() % UInt64(max(1, deals)))].id,
                    completed: rng.next() % 4 != 0, start: start, end: start + Int64(rng.next() % 1_800),
                    created: start - Int64(rng.next() % 400_000), updated: start + 7))
        }
        let bulk = (d.deals.map(\.modified).max() ?? base) + 600
        for i in d.deals.indices.suffix(sameSecond) { d.deals[i].modified = bulk }
        return d
    }

    /// Per manager: completed calls, their seconds, meetings booked and held.
    public func activitiesByManager() -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for u in users {
            let calls = activities.filter { $0.user == u.id && $0.type == 2 && $0.completed }
            let meetings = activities.filter { $0.user == u.id && $0.type == 1 }
            out["\(u.name) \(u.lastName)"] = [
                Int64(calls.count), calls.map { $0.end - $0.start }.reduce(0, +), Int64(meetings.count),
                Int64(meetings.filter(\.completed).count),
            ]
        }
        return out
    }

    /// Per manager ("Имя Фамилия"), from the portal's own data: won, lost and open deals, revenue in kopecks, and
    /// how many reached a meeting, a proposal and a contract (the default pipeline has no meeting stage: a
    /// proposal reaches it; every stage after "Подготовка документов" is a contract; a win reaches them all).
    public func figuresByManager() -> [String: [Int64]] {
        let order = ["PREPARATION": 3, "PREPAYMENT_INVOICE": 4, "EXECUTING": 4, "FINAL_INVOICE": 4, "WON": 5]
        var reached: [Int: Int] = [:]
        for m in history { reached[m.deal] = max(reached[m.deal] ?? 0, order[m.stage] ?? 0) }
        var out: [String: [Int64]] = [:]
        for u in users {
            let mine = deals.filter { $0.assigned == u.id }
            let won = mine.filter { $0.stage == "WON" }
            let lost = mine.filter { $0.stage == "LOSE" || $0.stage == "APOLOGY" }
            let reach = { (stage: Int) in Int64(mine.filter { (reached[$0.id] ?? 0) >= stage }.count) }
            let kopecks = won.map { w -> Int64 in
                let parts = w.opportunity.split(separator: ".")
                return Int64(parts[0])! * 100
                    + (parts.count > 1 ? Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0)
            }
            out["\(u.name) \(u.lastName)"] = [
                Int64(won.count), Int64(lost.count), Int64(mine.count - won.count - lost.count), kopecks.reduce(0, +),
                reach(3), reach(3), reach(4),
            ]
        }
        return out
    }
}
