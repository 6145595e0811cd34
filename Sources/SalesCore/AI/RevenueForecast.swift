import Foundation

/// Where a period's won revenue will land, seen from an instant inside (or at the start of) it:
/// revenue closed so far + each open deal's amount × its chance to be won in the time left (see
/// `Context`) + new deals expected to open and close in the time left (from the deals opened and
/// won in the previous 90 days and their cycle lengths). The range comes from 2 000 simulated
/// outcomes: each open deal won or not, new deals a Poisson count of amounts drawn from the recent
/// ones, all scaled by a common month-to-month shock.
public struct RevenueForecast: Sendable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Open deals weighted by the win-probability model.
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
        /// Per window length in days: per age bucket, (share won within the window, mean probability).
        private var tables: [Int: [(wonWithin: Double, meanProbability: Double)]] = [:]

        /// How much a month's won revenue strays from the average of the months before (sd of the
        /// log ratio over six 30-day windows): deals are not independent coin flips — a good or bad
        /// month moves them together — so the simulated range is widened by it.
        let monthlySpread: Double

        public init(history: DealHistory, asOf: Timestamp, probability: @escaping (DealSnapshot) -> Double) {
            self.history = history
            self.asOf = asOf
            self.probability = probability
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

        /// The chance an open deal of this age, with this win probability, is won within `days`.
        public func chance(age: Double, probability p: Double, within days: Double) -> Double {
            let window = max(1, Int(days.rounded(.up)))
            if tables[window] == nil { tables[window] = table(window: window) }
            let bucket = Self.ageBuckets.lastIndex { $0 <= age } ?? 0
            let row = tables[window]![bucket]
            return row.meanProbability > 0 ? min(0.99, row.wonWithin * p / row.meanProbability) : 0
        }

        /// For each age bucket: of the (latest 5 000) deals open at that age whose next `window` days
        /// ended before the instant, the share won within them, and their mean probability then. Where too few
        /// deals reached an age, the older buckets borrow the last one with data.
        private func table(window: Int) -> [(wonWithin: Double, meanProbability: Double)] {
            let w = Timestamp(window) * 86_400
            var rows: [(wonWithin: Double, meanProbability: Double)] = []
            for lower in Self.ageBuckets {
                var n = 0.0
                var won = 0.0
                var sumP = 0.0
                // The latest deals first, at most `sampleSize` of them: recent behaviour, and a bounded
                // cost on a large store (each needs a prediction).
                for d in history.deals.reversed() where n < Self.sampleSize {
                    let at = d.createdAt + Timestamp(lower * 86_400)
                    guard at + w <= asOf, d.isOpen(at: at) else { continue }
                    n += 1
                    if d.won, let c = d.closedAt, c <= at + w { won += 1 }
                    sumP += probability(DealSnapshot(d, at: at, history: history))
                }
                rows.append(n >= 20 ? (won / n, sumP / n) : rows.last ?? (0, 0))
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
        now seenAt: Timestamp? = nil, scenario: Scenario = .none, draws: Int = 2_000, seed: UInt64 = 7
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
                age: s.ageDays / scenario.cycleFactor, probability: p, within: left / scenario.cycleFactor)
            chances.append((q, Money(Double(d.amount) * scenario.dealSizeFactor)))
        }
        let fromOpen = chances.reduce(0.0) { $0 + $1.q * Double($1.amount) }
        let fromNew =
            newRate * (quickAmounts.isEmpty ? 0 : Double(quickAmounts.reduce(0, +)) / Double(quickAmounts.count))
        var rng = SplitMix(state: seed)
        var outcomes: [Money] = []
        outcomes.reserveCapacity(draws)
        for _ in 0..<draws {
            var ahead: Money = 0
            for c in chances where rng.unit() < c.q { ahead += c.amount }
            if !quickAmounts.isEmpty {
                for _ in 0..<rng.poisson(newRate) {
                    ahead += quickAmounts[Int(rng.next() % UInt64(quickAmounts.count))]
                }
            }
            // A common shock, mean 1, for the whole period ahead (scaled down for a part of a month).
            let sigma = context.monthlySpread * min(1, (left / 30).squareRoot())
            outcomes.append(closed + Money(Double(ahead) * exp(sigma * rng.normal() - sigma * sigma / 2)))
        }
        outcomes.sort()
        func quantile(_ q: Double) -> Money { outcomes[min(outcomes.count - 1, Int(q * Double(outcomes.count)))] }
        return RevenueForecast(
            method: method, closed: closed, expectedFromOpen: Money(fromOpen), expectedFromNew: Money(fromNew),
            expected: closed + Money(fromOpen + fromNew), p10: quantile(0.1), p50: quantile(0.5), p90: quantile(0.9),
            openDeals: chances.count)
    }
}
