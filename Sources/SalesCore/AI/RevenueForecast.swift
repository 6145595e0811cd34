import Foundation

/// Where a period's won revenue will land, seen from an instant inside (or at the start of) it:
/// revenue closed so far + each open deal's amount × its chance to be won in the time left (see
/// `Context`) + new deals expected to open and close in the time left (from the deals opened and
/// won in the previous 90 days and their cycle lengths). The range comes from 2 000 simulated
/// outcomes: each open deal won or not, new deals a Poisson count of amounts drawn from the recent
/// ones, all scaled by a common month-to-month shock.
///
/// The model forecast also asks the calendar: many departments close in waves (a quarter's last month,
/// a month's last week) that a snapshot of the pipeline cannot see, while the same stretch of earlier
/// quarters shows them. It blends the pipeline's estimate with that seasonal one, each weighted by how
/// well it forecast the company's last whole months (`Context.Blend`), and then takes its range from
/// the blend's own errors on them.
public struct RevenueForecast: Sendable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Open deals weighted by the win-probability model, blended with the calendar's seasonal estimate.
        case model
        /// Open deals weighted by their stage-and-rep historical win rate.
        case stageRates = "stage_rates"
        /// The average won revenue of the previous three months, pro rata: the naive baseline.
        case runRate = "run_rate"
    }

    public var method: Method
    public var closed: Money
    public var expectedFromOpen: Money
    public var expectedFromNew: Money
    public var expected: Money
    public var p10: Money
    public var p50: Money
    public var p90: Money
    public var openDeals: Int
    /// The seasonal estimate's share in the model forecast (0 for the other methods, or without the history).
    public var calendarWeight = 0.0

    /// What a forecast learns from the history before its instant: how often a deal open at a
    /// given age was won within the next days — counting the deals that just sat open (every CRM
    /// has stale deals that never close) — and the win probability of those deals, so that an
    /// open deal's chance is that rate scaled by how much better or worse its own probability is.
    public final class Context {
        let asOf: Timestamp
        let history: DealHistory
        let probability: (DealSnapshot) -> Double
        /// Ages (days) from which a bucket of the table starts.
        static let ageBuckets: [Double] = [0, 7, 14, 30, 60, 90, 120, 180, 270, 365]
        static let sampleSize = 5_000.0
        /// Per window length in days (and day of the quarter it starts on): per age bucket, (deals seen, share won
        /// within the window, mean probability).
        private var tables: [TableKey: [(n: Double, wonWithin: Double, meanProbability: Double)]] = [:]
        /// A table per window length, and per day of the quarter it starts on (nil: any day).
        private struct TableKey: Hashable {
            var window: Int
            var dayOfQuarter: Int?
        }
        /// Windows starting within this many days of the same day of a quarter count as the same stretch of the
        /// calendar (a quarter's last weeks close more than its first).
        static let calendarTolerance = 7

        /// How much a month's won revenue strays from the average of the months before (sd of the
        /// log ratio over six 30-day windows): deals are not independent coin flips — a good or bad
        /// month moves them together — so the simulated range is widened by it.
        let monthlySpread: Double

        let calendar: CompanyCalendar
        /// Won deals by close time: (when, owner, amount), ascending.
        private let wins: [(at: Timestamp, owner: Int64, amount: Money)]
        /// The start of the month of the first close: before it the history holds no selling to compare with.
        private let firstClose: Timestamp?

        public init(
            history: DealHistory, calendar: CompanyCalendar, asOf: Timestamp,
            probability: @escaping (DealSnapshot) -> Double
        ) {
            self.history = history
            self.calendar = calendar
            self.asOf = asOf
            self.probability = probability
            wins = history.deals.compactMap { d in
                guard d.won, let c = d.closedAt, c < asOf else { return nil }
                return (c, d.owner, d.closeAmount ?? d.amount)
            }.sorted { $0.at < $1.at }
            firstClose = history.deals.compactMap(\.closedAt).filter { $0 < asOf }.min().map {
                calendar.start(of: CivilDate.firstDay(ofMonthIndex: CivilDate(calendar.day(of: $0)).monthIndex))
            }
            let window: Timestamp = 30 * 86_400
            var months = [Double](repeating: 0, count: 6)
            var firstWin = asOf
            for d in history.deals where d.won {
                guard let c = d.closedAt, c < asOf else { continue }
                firstWin = min(firstWin, c)
                if c >= asOf - 6 * window { months[Int((asOf - 1 - c) / window)] += Double(d.closeAmount ?? d.amount) }
            }
            // Windows that began before the first win are not whole months of selling.
            let active = months.indices.filter { asOf - Timestamp($0 + 1) * window >= firstWin }.map { months[$0] }
                .filter { $0 > 0 }
            let mean = active.reduce(0, +) / Double(max(1, active.count))
            let logs = active.map { log($0 / mean) }
            let m = logs.reduce(0, +) / Double(max(1, logs.count))
            monthlySpread =
                logs.count >= 3
                ? (logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(logs.count - 1)).squareRoot() : 0.2
        }

        /// Revenue won in `[start, end)` by `owners` (nil: everyone), as far as the context knows.
        func won(from start: Timestamp, to end: Timestamp, owners: Set<Int64>?) -> Money {
            var lo = 0
            var hi = wins.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if wins[mid].at < start { lo = mid + 1 } else { hi = mid }
            }
            var sum: Money = 0
            for w in wins[lo...] {
                if w.at >= end { break }
                if owners?.contains(w.owner) ?? true { sum += w.amount }
            }
            return sum
        }

        /// The calendar's estimate of `[start, end)`: the mean won in the same stretch one to four quarters
        /// earlier, over those the history reaches, each scaled by the working days of the stretch against its
        /// own (a Russian January against an October); nil where it reaches none.
        public func seasonal(from start: Timestamp, to end: Timestamp, owners: Set<Int64>?) -> Double? {
            guard let firstClose else { return nil }
            let working = Double(calendar.workingDays(from: start, to: end))
            let earlier = (1...4).compactMap { quarters -> Double? in
                let from = calendar.instant(start, movedByMonths: -3 * quarters)
                let to = calendar.instant(end, movedByMonths: -3 * quarters)
                guard from >= firstClose && to <= asOf else { return nil }
                let then = Double(calendar.workingDays(from: from, to: to))
                return Double(won(from: from, to: to, owners: owners)) * (then > 0 ? working / then : 1)
            }
            return earlier.isEmpty ? nil : earlier.reduce(0, +) / Double(earlier.count)
        }

        /// How much to trust the calendar against the pipeline, learnt from the last six whole months
        /// before the instant: each forecast from its first day by both, against what was won.
        public struct Blend: Sendable {
            /// The seasonal estimate's weight: 1 or 0 where one estimate's squared errors were under half the
            /// other's, else the least-squares weight, drawn towards 1 while fewer than three months were judged.
            public var calendarWeight: Double
            /// The sd of the blend's log errors over those months, when there were at least three.
            public var spread: Double?
            public var months: Int
        }

        public private(set) lazy var blend: Blend = learnBlend()

        private func learnBlend() -> Blend {
            let thisMonth = CivilDate(calendar.day(of: asOf)).monthIndex
            var errors: [(pipeline: Double, seasonal: Double, actual: Double)] = []
            for m in (thisMonth - 6)..<thisMonth {
                let start = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m))
                let end = calendar.start(of: CivilDate.firstDay(ofMonthIndex: m + 1))
                let actual = Double(won(from: start, to: end, owners: nil))
                guard actual > 0, let seasonal = seasonal(from: start, to: end, owners: nil) else { continue }
                // Seen from the month's first day, with what was known then: a context learnt later would have
                // seen the month's own closes and flatter the pipeline. (The win model is today's: its share of
                // what the month taught is one month's deals among all it learnt from.)
                let then = Context(history: history, calendar: calendar, asOf: start, probability: probability)
                let pipeline = RevenueForecast.make(
                    .model, start: start, end: end, owners: nil, context: then, now: start, draws: 1, blended: false)
                errors.append((Double(pipeline.expected), seasonal, actual))
            }
            guard !errors.isEmpty else { return Blend(calendarWeight: 0, spread: nil, months: 0) }
            // One forecast whose past squared errors are under half the other's is clearly better: it alone
            // (blending would only add the worse one's error). Otherwise the weight that would have made the blend's
            // relative errors smallest (least squares), within 0…1.
            var across = 0.0
            var apart = 0.0
            var pipelineError = 0.0
            var seasonalError = 0.0
            for e in errors {
                let p = e.pipeline / e.actual - 1
                let s = e.seasonal / e.actual - 1
                across += p * (p - s)
                apart += (p - s) * (p - s)
                pipelineError += p * p
                seasonalError += s * s
            }
            let learnt =
                seasonalError < 0.5 * pipelineError
                ? 1 : pipelineError < 0.5 * seasonalError ? 0 : apart > 0 ? min(1, max(0, across / apart)) : 1
            // Until three months can be judged the calendar leads (a seasonal naive forecast is the one to beat,
            // and a short history makes the pipeline's learnt chances as unsure as the weight).
            let w = (Double(errors.count) * learnt + Double(max(0, 3 - errors.count))) / Double(max(3, errors.count))
            let logs = errors.map { e in log(max(1, (1 - w) * e.pipeline + w * e.seasonal) / e.actual) }
            let spread =
                logs.count >= 3 ? (logs.reduce(0) { $0 + $1 * $1 } / Double(logs.count - 1)).squareRoot() : nil
            return Blend(calendarWeight: w, spread: spread, months: errors.count)
        }

        /// The chance an open deal of this age, with this win probability, is won within `days` — from `start`,
        /// learnt from the windows that began on about the same day of a quarter where enough deals were open then.
        public func chance(age: Double, probability p: Double, within days: Double, from start: Timestamp? = nil)
            -> Double
        {
            let window = max(1, Int(days.rounded(.up)))
            let bucket = Self.ageBuckets.lastIndex { $0 <= age } ?? 0
            func row(_ key: TableKey) -> (n: Double, wonWithin: Double, meanProbability: Double) {
                if tables[key] == nil { tables[key] = table(window: window, dayOfQuarter: key.dayOfQuarter) }
                return tables[key]![bucket]
            }
            var r = row(TableKey(window: window, dayOfQuarter: nil))
            if let start {
                let seasonal = row(TableKey(window: window, dayOfQuarter: dayOfQuarter(start)))
                if seasonal.n >= 20 { r = seasonal }
            }
            return r.meanProbability > 0 ? min(0.99, r.wonWithin * p / r.meanProbability) : 0
        }

        /// Days since the start of the instant's quarter.
        func dayOfQuarter(_ t: Timestamp) -> Int {
            let day = calendar.day(of: t)
            let c = CivilDate(day)
            return Int(day - CivilDate(year: c.year, month: (c.month - 1) / 3 * 3 + 1, day: 1).dayNumber)
        }

        /// For each age bucket: of the (latest 5 000) deals open at that age whose next `window` days
        /// ended before the instant — and, with a `target`, began within `calendarTolerance` days of that day of a
        /// quarter — how many, the share won within them, and their mean probability then. Where too few deals
        /// reached an age, the older buckets borrow the last one with data.
        private func table(window: Int, dayOfQuarter target: Int?) -> [(
            n: Double, wonWithin: Double, meanProbability: Double
        )] {
            let w = Timestamp(window) * 86_400
            var rows: [(n: Double, wonWithin: Double, meanProbability: Double)] = []
            for lower in Self.ageBuckets {
                var n = 0.0
                var won = 0.0
                var sumP = 0.0
                // The latest deals first, at most `sampleSize` of them: recent behaviour, and a bounded
                // cost on a large store (each needs a prediction).
                for d in history.deals.reversed() where n < Self.sampleSize {
                    let at = d.createdAt + Timestamp(lower * 86_400)
                    guard at + w <= asOf, d.isOpen(at: at) else { continue }
                    if let target {
                        // Around the year's turn too: day 89 of one quarter is near day 0 of the next (90–92 days).
                        let gap = abs(dayOfQuarter(at) - target)
                        guard min(gap, 91 - gap) <= Self.calendarTolerance else { continue }
                    }
                    n += 1
                    if d.won, let c = d.closedAt, c <= at + w { won += 1 }
                    sumP += probability(DealSnapshot(d, at: at, history: history))
                }
                rows.append(n >= 20 ? (n, won / n, sumP / n) : rows.last ?? (0, 0, 0))
            }
            return rows
        }
    }

    /// A what-if: how the drivers of the period ahead change (1 = as they are).
    public struct Scenario: Sendable, Codable, Equatable {
        /// Deals that have not yet reached `conversionStage` get there `conversionFactor` times as often.
        public var conversionStage: DealStage?
        public var conversionFactor = 1.0
        /// Amounts of open and new deals.
        public var dealSizeFactor = 1.0
        /// Cycle lengths: 0.9 closes every deal in 90 % of the time.
        public var cycleFactor = 1.0
        /// Activities, and with them the deals opened (taken as proportional).
        public var activityFactor = 1.0
        public init(
            conversionStage: DealStage? = nil, conversionFactor: Double = 1, dealSizeFactor: Double = 1,
            cycleFactor: Double = 1, activityFactor: Double = 1
        ) {
            self.conversionStage = conversionStage
            self.conversionFactor = conversionFactor
            self.dealSizeFactor = dealSizeFactor
            self.cycleFactor = cycleFactor
            self.activityFactor = activityFactor
        }
        public static let none = Scenario()
    }

    /// Forecast of `[start, end)` for the deals of `owners` (nil: everyone), seen at `now` (by default
    /// the context's instant; a later one reuses what the context learnt, as a server does between retrainings).
    public static func make(
        _ method: Method, start: Timestamp, end: Timestamp, owners: Set<Int64>?, context: Context,
        now seenAt: Timestamp? = nil, scenario: Scenario = .none, draws: Int = 2_000, seed: UInt64 = 7,
        blended: Bool = true
    ) -> RevenueForecast {
        let h = context.history
        let now = max(start, min(seenAt ?? context.asOf, end))
        func mine(_ d: DealHistory.DealTimeline) -> Bool { owners?.contains(d.owner) ?? true }
        let closed = h.deals.reduce(Money(0)) { s, d in
            guard mine(d), d.won, let c = d.closedAt, c >= start, c < now else { return s }
            return s + (d.closeAmount ?? d.amount)
        }
        let left = Double(end - now) / 86_400
        // The previous 90 days: won revenue (for the run-rate) and the deals opened and won quickly enough
        // to fit in the time left.
        let lookback: Timestamp = 90 * 86_400
        var recentWon: Money = 0
        var quickAmounts: [Money] = []
        var newRate = 0.0
        for d in h.deals where mine(d) && d.won {
            guard let c = d.closedAt, c < now, c >= now - lookback else { continue }
            recentWon += d.closeAmount ?? d.amount
            // A deal opened s days into the time left closes in it if its cycle ≤ left − s: it counts
            // for the share (left − cycle) ÷ left of the window, at the daily rate of the lookback.
            let cycle = Double(c - d.createdAt) / 86_400 * scenario.cycleFactor
            if d.createdAt >= now - lookback, cycle < left {
                quickAmounts.append(Money(Double(d.closeAmount ?? d.amount) * scenario.dealSizeFactor))
                newRate += (left - cycle) / 90
            }
        }
        // New deals pass every stage, so a conversion change applies to them whole.
        newRate *= scenario.activityFactor * (scenario.conversionStage == nil ? 1 : scenario.conversionFactor)
        if method == .runRate {
            let e = closed + Money(Double(recentWon) / 90 * left)
            return RevenueForecast(
                method: method, closed: closed, expectedFromOpen: 0, expectedFromNew: e - closed,
                expected: e, p10: e, p50: e, p90: e, openDeals: 0)
        }
        var chances: [(q: Double, amount: Money)] = []
        for d in h.deals where left > 0 && mine(d) && d.isOpen(at: now - 1) {
            let s = DealSnapshot(d, at: now, history: h)
            var p = context.probability(s)
            if let stage = scenario.conversionStage, s.stage < stage { p = min(0.99, p * scenario.conversionFactor) }
            // A shorter cycle: the deal is as far along as an older one, and the time left goes further.
            let q = context.chance(
                age: s.ageDays / scenario.cycleFactor, probability: p, within: left / scenario.cycleFactor, from: now)
            chances.append((q, Money(Double(d.amount) * scenario.dealSizeFactor)))
        }
        var fromOpen = chances.reduce(0.0) { $0 + $1.q * Double($1.amount) }
        var fromNew =
            newRate * (quickAmounts.isEmpty ? 0 : Double(quickAmounts.reduce(0, +)) / Double(quickAmounts.count))
        let pipeline = fromOpen + fromNew
        // The calendar's say: the pipeline's parts scaled to the blend, so that they still add up.
        let blend = method == .model && blended && left > 0 ? context.blend : nil
        var weight = 0.0
        if let blend, blend.months > 0, let seasonal = context.seasonal(from: now, to: end, owners: owners) {
            weight = blend.calendarWeight
            let mixed = (1 - weight) * pipeline + weight * seasonal * scenario.dealSizeFactor
            if pipeline > 0 {
                fromOpen *= mixed / pipeline
                fromNew *= mixed / pipeline
            } else {
                fromNew = mixed
            }
        }
        let ahead = fromOpen + fromNew
        var rng = SplitMix(state: seed)
        var outcomes: [Money] = []
        outcomes.reserveCapacity(draws)
        // A common shock of mean 1 for the whole period ahead (scaled down for a part of a month), with the
        // company's own forecast errors on past months where known (the blend's), else the months' spread. The
        // company's range is that shock alone: those errors already hold every deal's chance. A team's or a
        // person's range also draws each of its deals and new deals, scaled to the expectation: their few deals
        // stray more than the company's many.
        let spread = blend.flatMap { $0.months > 0 ? $0.spread : nil }
        let sigma = (spread ?? context.monthlySpread) * min(1, (left / 30).squareRoot())
        func shock() -> Double { exp(sigma * rng.normal() - sigma * sigma / 2) }
        let shockAlone = spread != nil && owners == nil
        for _ in 0..<draws {
            guard pipeline > 0, !shockAlone else {
                outcomes.append(closed + Money(ahead * shock()))
                continue
            }
            var drawn: Money = 0
            for c in chances where rng.unit() < c.q { drawn += c.amount }
            if !quickAmounts.isEmpty {
                for _ in 0..<rng.poisson(newRate) {
                    drawn += quickAmounts[Int(rng.next() % UInt64(quickAmounts.count))]
                }
            }
            outcomes.append(closed + Money(Double(drawn) * ahead / pipeline * shock()))
        }
        outcomes.sort()
        func quantile(_ q: Double) -> Money { outcomes[min(outcomes.count - 1, Int(q * Double(outcomes.count)))] }
        return RevenueForecast(
            method: method, closed: closed, expectedFromOpen: Money(fromOpen), expectedFromNew: Money(fromNew),
            expected: closed + Money(ahead), p10: quantile(0.1), p50: quantile(0.5), p90: quantile(0.9),
            openDeals: chances.count, calendarWeight: weight)
    }
}
