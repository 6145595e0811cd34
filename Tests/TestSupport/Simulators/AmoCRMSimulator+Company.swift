extension AmoCRMSimulator.Data {
    /// A simulated department: six managers in two groups, forty companies and `leads` leads that move through
    /// the default pipeline (each move an event) to a win, a loss with its reason, or an open stage. The last
    /// `sameSecond` leads were touched by one bulk edit: they share an `updated_at`, more than a page of them.
    public static func company(leads: Int, seed: UInt64 = 1, sameSecond: Int = 300) -> Self {
        var rng = SplitMix(seed)
        var d = Self()
        d.groups = [1: "Продажи Москва", 2: "Продажи Санкт-Петербург"]
        let names = ["Анна Смирнова", "Борис Иванов", "Вера Кузнецова", "Глеб Орлов", "Дина Попова", "Егор Соколов"]
        d.users = names.enumerated().map { .init(id: 1001 + Int64($0), name: $1, group: $0 < 3 ? 1 : 2) }
        let base: Int64 = 1_767_225_600  // 2026-01-01
        d.companies = (0..<40).map { (5001 + Int64($0), "ООО «Клиент \($0)»", base + Int64($0) * 60) }
        let path: [Int64] = [102, 103, 104, 105]
        for i in 0..<leads {
            let id = 20_001 + Int64(i)
            // Spread over at most 300 days from 2026-01-01: every move is in the past (a window closes at now).
            let created = base + Int64(i) * min(3_600, 25_920_000 / Int64(max(1, leads)))
            var at = created
            let outcome = rng.next() % 100
            let reach = Int(rng.next() % 4)  // how far along the pipeline it got
            var status: Int64 = 101
            for s in path.prefix(reach + 1) {
                at += Int64(rng.next() % 86_400) + 600
                status = s
                d.events.append(.init(id: "e\(id)-\(s)", lead: id, status: s, at: at))
            }
            var closedAt: Int64?
            var reason: String?
            if outcome < 65 {  // 35 % won, 30 % lost, the rest open
                at += Int64(rng.next() % 86_400 * 5) + 600
                status = outcome < 35 ? 142 : 143
                closedAt = at
                reason = status == 143 ? ["Дорого", "Выбрали конкурента", "Нет бюджета"][Int(rng.next() % 3)] : nil
                d.events.append(.init(id: "e\(id)-\(status)", lead: id, status: status, at: at))
            }
            let company = rng.next() % 10 == 0 ? nil : d.companies[Int(rng.next() % 40)].id
            d.leads.append(
                .init(
                    id: id, name: "Сделка \(id)", price: Int64(rng.next() % 490_000) + 10_000,
                    responsible: d.users[Int(rng.next() % 6)].id, status: status, company: company, createdAt: created,
                    updatedAt: at, closedAt: closedAt, lossReason: reason))
        }
        // Calls: three a lead, one in three on a contact rather than the lead, one in four not answered (no
        // duration); a meeting task for every third lead, two in three completed.
        for i in 0..<(leads * 3) {
            let at = base + Int64(rng.next() % 25_000_000)
            let lead = rng.next() % 3 == 0 ? nil : d.leads[Int(rng.next() % UInt64(max(1, leads)))].id
            d.calls.append(
                .init(
                    id: 900_001 + Int64(i), user: d.users[Int(rng.next() % 6)].id, lead: lead,
                    incoming: rng.next() % 2 == 0, duration: rng.next() % 4 == 0 ? nil : Int(rng.next() % 900),
                    at: at, createdAt: at, updatedAt: at + 2))
        }
        for i in 0..<(leads / 3) {
            let created = base + Int64(rng.next() % 25_000_000)
            d.meetings.append(
                .init(
                    id: 60_001 + Int64(i), user: d.users[Int(rng.next() % 6)].id,
                    lead: d.leads[Int(rng.next() % UInt64(max(1, leads)))].id, completed: rng.next() % 3 != 0,
                    at: created + Int64(rng.next() % 600_000), createdAt: created, updatedAt: created + 60))
        }
        let bulk = (d.leads.map(\.updatedAt).max() ?? base) + 3_600
        for i in d.leads.indices.suffix(sameSecond) { d.leads[i].updatedAt = bulk }
        return d
    }
}

/// A small deterministic generator (SplitMix64): the same company on every run.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
