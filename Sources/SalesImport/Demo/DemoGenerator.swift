import Foundation
import SalesCore

/// Writes a canonical bundle of a realistic B2B sales department: four roles in teams, seasonality,
/// per-rep skill, funnel conversions near the seeds' norms, invoices paid late, surveys,
/// objection-handling evaluations, CRM tasks, monthly revenue plans. Deterministic for a seed.
public struct DemoGenerator {
    public var reps = 40
    public var days = 365
    public var seed: UInt64 = 1
    /// The last day generated (inclusive).
    public var end: CivilDate
    public var calendar = CompanyCalendar()

    public init(reps: Int, days: Int, seed: UInt64, end: CivilDate) {
        self.reps = reps
        self.days = days
        self.seed = seed
        self.end = end
    }

    static let femaleNames: Set<String> = [
        "Анна", "Вера", "Дарья", "Жанна", "Кира", "Мария", "Ольга", "Светлана", "Ульяна", "Юлия",
    ]

    public struct Summary: Sendable {
        public var events = 0
        public var files: [String] = []
    }

    typealias Random = SplitMix

    /// A buffered CSV file of one kind.
    final class Sink {
        let handle: FileHandle
        var buffer = Data()
        var rows = 0
        init(path: String, header: String) throws {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            buffer.reserveCapacity(1 << 20)
            buffer.append(contentsOf: (header + "\n").utf8)
        }
        func row(_ fields: String...) {
            rows += 1
            buffer.append(contentsOf: fields.joined(separator: ",").utf8)
            buffer.append(0x0A)
            if buffer.count > 1 << 20 { flush() }
        }
        func flush() {
            handle.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        func close() throws {
            flush()
            try handle.close()
        }
    }

    static func money(_ minor: Int64) -> String { "\(minor / 100)." + twoDigits(Int(minor % 100)) }
    /// `String(format:)` is slow on Linux and this runs for every field of millions of rows.
    static func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// A deal's path: (stage, the chance to reach it from the one before, the days it takes).
    static func dealPath(skill s: Double, kind: DealKind) -> [(
        stage: DealStage, chance: Double, days: ClosedRange<Int>
    )] {
        let boost: Double = kind == .new ? 1.0 : 1.35
        let meeting: Double = 0.62 * s * boost
        let proposal: Double = 0.58 * s * boost
        let contract: Double = 0.62 * s * boost
        let steps: [(DealStage, Double, ClosedRange<Int>)] = [
            (.contacted, 1.0, 0...1), (.meeting, meeting, 2...9), (.proposal, proposal, 3...12),
            (.contract, contract, 5...20), (.won, 0.88, 2...10),
        ]
        return steps.map { (stage: $0.0, chance: min(0.97, $0.1), days: $0.2) }
    }

    /// The true chance that a deal of this rep and kind that has reached `stage` is won: the product
    /// of the chances of the steps still ahead. What a perfect model would predict.
    public static func trueWinProbability(stage: DealStage, skill: Double, kind: DealKind) -> Double {
        dealPath(skill: skill, kind: kind).filter { $0.stage > stage }.reduce(1) { $0 * $1.chance }
    }

    /// Each rep's skill by their CRM id (`R1`, `R2`, …): drawn first, so it depends only on the seed and head count.
    public func skills() -> [String: Double] {
        var rng = Random(state: seed)
        return Dictionary(uniqueKeysWithValues: (0..<reps).map { ("R\($0 + 1)", Self.skill(&rng)) })
    }

    static func skill(_ rng: inout Random) -> Double { min(1.6, max(0.5, rng.logNormal(median: 1, sigma: 0.22))) }

    public func write(to dir: String, progress: ((Double) -> Void)? = nil) throws -> Summary {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var sinks: [EventKind: Sink] = [:]
        for kind in EventKind.allCases {
            sinks[kind] = try Sink(
                path: (dir as NSString).appendingPathComponent(kind.fileName),
                header: CanonicalSchema.fields(kind).map(\.name).filter { !CanonicalSchema.currencyFields.contains($0) }
                    .joined(separator: ","))
        }
        var rng = Random(state: seed)
        let endDay = end.dayNumber + 1
        let startDay = endDay - Day(days)
        func iso(_ day: Day, _ secondsIntoDay: Int) -> String {
            let c = CivilDate(day)
            let s = secondsIntoDay
            return "\(c)T" + Self.twoDigits(s / 3600) + ":" + Self.twoDigits((s / 60) % 60) + ":"
                + Self.twoDigits(s % 60)
        }
        /// Busier in March, autumn and December; quieter in January, May holidays and August.
        func season(_ d: Day) -> Double {
            [0.7, 0.95, 1.1, 1.0, 0.85, 0.95, 0.9, 0.75, 1.05, 1.1, 1.15, 1.3][CivilDate(d).month - 1]
        }

        // Organization: teams of ~10 with one head; SDR 20 %, AE 45 %, AM 25 %.
        struct Person {
            var id: String
            var role: RepRole
            var team: Int
            var skill: Double
        }
        let teamCount = max(1, (reps + 9) / 10)
        var people: [Person] = []
        let firstNames = [
            "Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Иван", "Кира", "Лев", "Мария", "Никита",
            "Ольга", "Павел", "Роман", "Светлана", "Тимур", "Ульяна", "Фёдор", "Юлия",
        ]
        let lastNames = [
            "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
            "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов",
        ]
        for t in 0..<teamCount {
            sinks[.team]!.row("T\(t + 1)", "Команда \(t + 1)")
        }
        for i in 0..<reps {
            let team = i % teamCount
            let slot = i / teamCount
            let role: RepRole =
                slot == 0 ? .head : [RepRole.sdr, .ae, .ae, .am, .ae, .sdr, .am, .ae, .am][(slot - 1) % 9]
            let skill = Self.skill(&rng)
            let first = firstNames[i % firstNames.count]
            var last = lastNames[(i / firstNames.count + i * 7) % lastNames.count]
            if Self.femaleNames.contains(first) { last += "а" }
            people.append(Person(id: "R\(i + 1)", role: role, team: team, skill: skill))
            let manager = slot == 0 ? "" : "R\(team + 1)"
            sinks[.rep]!.row(
                "R\(i + 1)", "\(first) \(last)" + (i >= firstNames.count * lastNames.count ? " \(i)" : ""),
                role.rawValue, "T\(team + 1)", manager, "r\(i + 1)@demo.example")
        }
        func members(_ team: Int, _ role: RepRole) -> [Person] { people.filter { $0.team == team && $0.role == role } }

        var ids = [EventKind: Int]()
        func next(_ k: EventKind, _ prefix: String) -> String {
            ids[k, default: 0] += 1
            return "\(prefix)\(ids[k]!)"
        }
        let industries = [
            "производство", "ритейл", "IT", "логистика", "финансы", "медицина", "строительство", "телеком",
        ]
        let targets: Set<String> = ["производство", "IT", "логистика"]
        var accountsByTeam = Array(repeating: [String](), count: teamCount)

        /// A new account, and how well it fits the ideal customer profile (the seeds': a target industry,
        /// a mid-size or large company) as log-odds of a lead from it becoming an SQL.
        func newAccount(team: Int, source: String) -> (id: String, fit: Double) {
            let id = next(.account, "A")
            let industry = industries[rng.int(0...industries.count - 1)]
            let employees = Int(rng.logNormal(median: 250, sigma: 1.2))
            let key = employees > 2000
            let segment = employees > 1000 ? "enterprise" : employees > 100 ? "mid" : "smb"
            sinks[.account]!.row(
                id, "ООО «Клиент \(id.dropFirst())»", industry, segment, key ? "1" : "0",
                targets.contains(industry) ? "1" : "0", source, "\(employees)")
            return (
                id,
                (targets.contains(industry) ? 1.1 : 0) + (segment == "enterprise" ? 0.7 : segment == "mid" ? 0.4 : 0)
            )
        }
        /// Where leads come from, and what each source is worth in log-odds of an SQL: a referral is half sold,
        /// a cold list rarely is.
        let leadSources: [(name: String, share: Double, lift: Double)] = [
            ("inbound", 0.35, 0.4), ("outbound", 0.35, -0.5), ("event", 0.15, 0.1), ("referral", 0.15, 0.9),
        ]

        /// Won revenue by seller and month index, minor units: what their plans are set from.
        var wonBy: [String: [Int32: Int64]] = [:]
        /// A deal from first contact to its close (if before the end), with its activities and money.
        func deal(owner: Person, account: String, lead: String?, start: Day, kind: DealKind, source: String) {
            let id = next(.deal, "D")
            let median = kind == .new ? 420_000.0 : kind == .renewal ? 300_000 : 180_000
            let amount = Int64(rng.logNormal(median: median * owner.skill, sigma: 0.55)) * 100
            let cost = amount * Int64(rng.int(52...68)) / 100
            let discount = amount * Int64(rng.int(0...8)) / 100
            let logistics = amount * Int64(rng.int(0...3)) / 100
            let taxes = amount * 2 / 100
            let bonus = rng.chance(0.2) ? amount / 100 : 0
            sinks[.deal]!.row(
                id, account, owner.id, iso(start, 36_000 + rng.int(0...25_000)), Self.money(amount), Self.money(cost),
                Self.money(discount), Self.money(bonus), Self.money(logistics), Self.money(taxes), kind.rawValue,
                source,
                ["Платформа", "Внедрение", "Поддержка", "Аналитика"][rng.int(0...3)], lead ?? "")
            var day = start
            func at(_ d: Day) -> String { iso(d, 32_400 + rng.int(0...30_000)) }
            func stage(_ s: DealStage, _ d: Day, amount: String = "", reason: String = "", fault: Bool = false) {
                sinks[.stageChange]!.row(
                    "\(id)-\(s.rawValue)", id, s.rawValue, at(d), amount, reason, fault ? "1" : "0", "", "")
            }
            func activity(_ t: ActivityType, _ d: Day, _ seconds: Int = 0) {
                sinks[.activity]!.row(next(.activity, "X"), owner.id, t.rawValue, at(d), "\(seconds)", "", id, account)
            }
            let path = Self.dealPath(skill: owner.skill, kind: kind)
            let reasons = ["цена", "выбрали конкурента", "нет бюджета", "нет потребности", "сроки"]
            for (st, p, wait) in path {
                day += Day(rng.int(wait))
                if day >= endDay { return }  // still open at the end of the data
                guard rng.chance(p) else {
                    let fault = rng.chance(0.25 / owner.skill)
                    stage(
                        .lost, day, reason: fault ? "ошибка менеджера" : reasons[rng.int(0...reasons.count - 1)],
                        fault: fault)
                    return
                }
                switch st {
                case .meeting: activity(.meetingHeld, day, 3600)
                case .proposal:
                    activity(.proposalSent, day)
                    if rng.chance(0.7) && day + 2 < endDay { activity(.proposalDiscussed, day + 2, 1800) }
                case .contract: activity(.contractSent, day)
                case .won: activity(.contractSigned, day)
                default: break
                }
                if st == .won {
                    let final = amount * Int64(rng.int(95...100)) / 100
                    wonBy[owner.id, default: [:]][CivilDate(day).monthIndex, default: 0] += final
                    stage(.won, day, amount: Self.money(final))
                    invoice(account: account, rep: owner.id, deal: id, day: day, amount: final)
                    return
                }
                stage(st, day)
            }
        }

        func invoice(account: String, rep: String, deal: String, day: Day, amount: Int64) {
            let inv = next(.invoice, "I")
            let issued = day + Day(rng.int(0...2))
            guard issued < endDay else { return }
            // Most clients prepay (common in Russian B2B), the rest get 7–21 days; most pay on time, some
            // late, a few very late, one in a hundred never: receivables near 10–15 % of a quarter's invoicing.
            let prepaid = rng.chance(0.6)
            let terms = prepaid ? 3 : [7, 14, 21][rng.int(0...2)]
            sinks[.invoice]!.row(
                inv, account, rep, iso(issued, 43_200), iso(issued + Day(terms), 43_200), Self.money(amount), deal)
            let r = rng.unit()
            let paidDay: Day? =
                r < 0.8
                ? issued + Day(rng.int(0...terms))
                : r < 0.96
                    ? issued + Day(terms + rng.int(3...25)) : r < 0.99 ? issued + Day(terms + rng.int(40...100)) : nil
            if let p = paidDay, p < endDay {
                sinks[.payment]!.row("P" + inv.dropFirst(), inv, iso(p, 50_000), Self.money(amount))
            }
        }

        /// A reviewer's (or speech analytics') evaluation of one call's objection handling.
        func evaluation(_ person: Person, _ day: Day) {
            let raised = rng.int(0...4)
            var handled = 0
            for _ in 0..<raised where rng.chance(min(0.95, 0.68 * person.skill)) { handled += 1 }
            let score = min(5, max(1, Int((3.7 * person.skill + rng.normal() * 0.6).rounded())))
            sinks[.evaluation]!.row(
                next(.evaluation, "Q"), person.id, iso(day, 57_600), "\(score)", "\(raised)", "\(handled)", "")
        }
        for (index, person) in people.enumerated() {
            let s = person.skill
            let aes = members(person.team, .ae)
            for day in startDay..<endDay {
                guard CivilDate.isWeekday(day) else { continue }
                let k = season(day)
                func act(_ t: ActivityType, _ n: Int, duration: () -> Int = { 0 }) {
                    for _ in 0..<n {
                        sinks[.activity]!.row(
                            next(.activity, "X"), person.id, t.rawValue, iso(day, 32_400 + rng.int(0...32_000)),
                            "\(duration())", "", "", "")
                    }
                }
                // CRM tasks: done on time more often by the better reps.
                for _ in 0..<rng.poisson(2.5) {
                    let due = iso(day, 64_800)
                    let done =
                        rng.chance(min(0.98, 0.78 * s))
                        ? iso(day, 50_000) : (rng.chance(0.6) ? iso(day + 2, 40_000) : "")
                    sinks[.task]!.row(next(.task, "K"), person.id, due, done)
                }
                switch person.role {
                case .sdr:
                    let calls = rng.poisson(48 * k * (0.8 + 0.2 * s))
                    act(.call, calls) { rng.chance(0.55) ? rng.int(10...110) : rng.int(120...900) }
                    act(.email, rng.poisson(12))
                    act(.meetingBooked, rng.poisson(Double(calls) * 0.2 * s * 0.9))
                    for _ in 0..<rng.poisson(7 * k) {
                        let lead = next(.lead, "L")
                        let created = 32_400 + rng.int(0...28_000)
                        let minutes = rng.logNormal(median: 22 / s, sigma: 0.8)
                        let response = created + Int(minutes * 60)
                        var pick = rng.unit()
                        let source =
                            leadSources.first {
                                pick -= $0.share
                                return pick < 0
                            } ?? leadSources[0]
                        let account = newAccount(team: person.team, source: source.name)
                        // What the seeds say decides an SQL: the fit to the profile, the source, an answer within
                        // minutes rather than hours, and the SDR's own skill.
                        let odds = -2.1 + account.fit + source.lift - 0.35 * log(minutes / 15) + 1.2 * (s - 1)
                        let qualified = rng.chance(1 / (1 + exp(-odds)))
                        let qDay = day + Day(rng.int(0...3))
                        sinks[.lead]!.row(
                            lead, person.id, iso(day, created), account.id, source.name,
                            iso(day, min(response, 86_399)), qualified && qDay < endDay ? iso(qDay, 54_000) : "")
                        if qualified && qDay < endDay && !aes.isEmpty {
                            let ae = aes[rng.int(0...aes.count - 1)]
                            accountsByTeam[person.team].append(account.id)
                            deal(
                                owner: ae, account: account.id, lead: lead, start: qDay, kind: .new, source: source.name
                            )
                        }
                    }
                    if rng.chance(0.04) { evaluation(person, day) }
                case .ae:
                    act(.call, rng.poisson(14 * k)) { rng.int(60...1500) }
                    act(.email, rng.poisson(8))
                    act(.demo, rng.poisson(0.6 * k))
                    if rng.chance(0.03) { act(.eventContact, rng.int(1...4)) }
                    if rng.chance(0.35) { evaluation(person, day) }
                    if rng.chance(0.02) {
                        sinks[.review]!.row(
                            next(.review, "V"), person.id, iso(day, 50_000), "",
                            "\(min(5, max(3, Int((3.6 * s).rounded()))))")
                    }
                    // Self-sourced deals from the AE's own network.
                    if rng.chance(0.06 * k) {
                        let source = rng.chance(0.4) ? "referral" : "outbound"
                        let account = newAccount(team: person.team, source: source).id
                        accountsByTeam[person.team].append(account)
                        deal(owner: person, account: account, lead: nil, start: day, kind: .new, source: source)
                    }
                case .am:
                    act(.call, rng.poisson(10 * k)) { rng.int(60...1800) }
                    act(.email, rng.poisson(10))
                    act(.meetingHeld, rng.poisson(1.2 * k)) { 3600 }
                    let book = accountsByTeam[person.team]
                    if !book.isEmpty, rng.chance(0.45 * k) {
                        let account = book[rng.int(0...book.count - 1)]
                        let kind: DealKind = [.repeat, .upsell, .renewal, .renewal][rng.int(0...3)]
                        deal(owner: person, account: account, lead: nil, start: day, kind: kind, source: "existing")
                    }
                    if !book.isEmpty, rng.chance(0.3) {
                        let index = rng.int(0...book.count - 1)
                        let account = book[index]
                        // NPS ≈ +38 at average skill (+18 at 0.8, +56 at 1.2); CSAT ≈ 4.3 of 5.
                        let nps = min(10, max(0, Int((rng.normal() * 1.5 + 8.45 + 2.5 * (s - 1)).rounded())))
                        let csat = min(5, max(1, Int((rng.normal() * 0.6 + 4.35 + 0.8 * (s - 1)).rounded())))
                        sinks[.survey]!.row(
                            next(.survey, "S"), account, person.id, iso(day, 60_000), "\(nps)", "\(csat)")
                        // An unhappy client often goes quiet: it leaves the book and buys no more.
                        if (nps <= 6 || csat <= 3) && rng.chance(0.6) { accountsByTeam[person.team].remove(at: index) }
                    }
                    if rng.chance(0.02) {
                        sinks[.review]!.row(next(.review, "V"), person.id, iso(day, 50_000), "", "5")
                    }
                case .head:
                    act(.meetingHeld, rng.poisson(0.5)) { 3600 }
                }
                if CivilDate(day).day == 1 && person.role == .head {
                    sinks[.expense]!.row(
                        next(.expense, "E"), iso(day, 43_200), "marketing",
                        Self.money(Int64(rng.int(150_000...400_000)) * 100), person.id)
                }
            }
            progress?(Double(index + 1) / Double(people.count))
        }
        // Monthly revenue plans for sellers, set as a department sets them: each quarter from the seller's run-rate
        // over the two quarters before it (the first quarters from the data's first half-year), with the season,
        // and a stretch that is ambitious for some and easy for others — so fulfilment spreads around 90 %, a few
        // clearly ahead and a few clearly behind. Through the end of the last day's quarter: a quarter's plan is
        // known before it ends.
        let last = CivilDate(endDay - 1)
        let firstMonth = CivilDate(startDay).monthIndex
        let lastMonth = last.monthIndex + Int32(2 - (last.month - 1) % 3)
        let meanSeason = (0..<12).map { season(CivilDate.firstDay(ofMonthIndex: Int32($0))) }.reduce(0, +) / 12
        let sellers = people.filter { $0.role == .ae || $0.role == .am }
        /// A seller's average won revenue a month (major units) over the six months before `quarterStart`.
        func runRate(_ id: String, before quarterStart: Int32) -> Double {
            let from = max(firstMonth, quarterStart - 6)
            let to = max(from + 6, quarterStart)
            let won = (from..<to).reduce(Int64(0)) { $0 + (wonBy[id]?[$1] ?? 0) }
            return Double(won) / 100 / Double(to - from)
        }
        for person in sellers {
            let stretch = min(1.45, max(0.8, rng.logNormal(median: 1.08, sigma: 0.16)))
            for m in firstMonth...lastMonth {
                let quarterStart = m - Int32(CivilDate(CivilDate.firstDay(ofMonthIndex: m)).month - 1) % 3
                var monthly = runRate(person.id, before: quarterStart)
                if monthly == 0 {  // nothing won yet: the role's typical seller
                    let peers = sellers.filter { $0.role == person.role }.map { runRate($0.id, before: quarterStart) }
                    monthly = peers.sorted()[peers.count / 2]
                }
                let start = CivilDate.firstDay(ofMonthIndex: m)
                let target = max(10_000, (monthly * stretch * season(start) / meanSeason / 10_000).rounded() * 10_000)
                sinks[.plan]!.row(
                    next(.plan, "PL"), "rep", KPI.ID.revenue.rawValue, "\(CivilDate(start))",
                    "\(CivilDate(CivilDate.firstDay(ofMonthIndex: m + 1)))", "\(Int(target))", person.id)
            }
        }
        var summary = Summary()
        for (kind, sink) in sinks.sorted(by: { $0.key < $1.key }) {
            try sink.close()
            summary.events += sink.rows
            summary.files.append(kind.fileName)
        }
        return summary
    }
}
