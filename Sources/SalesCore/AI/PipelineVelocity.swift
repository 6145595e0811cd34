/// How fast the pipeline turns into money: open deals × win rate × average deal ÷ cycle length,
/// in money per day, with each component, and against the previous period.
public struct PipelineVelocity: Sendable, Codable, Equatable {
    public struct Components: Sendable, Codable, Equatable {
        /// Deals open at the end of the period (or now, for a running one).
        public var openDeals: Int
        /// Won ÷ (won + lost) of the deals closed in the period, 0–1.
        public var winRate: Double?
        /// Won revenue ÷ deals won, minor units.
        public var averageDeal: Double?
        /// Mean days from first contact to win of the deals won.
        public var cycleDays: Double?
        /// Money per day; nil when a component is unknown or the cycle is 0.
        public var perDay: Double? {
            guard let winRate, let averageDeal, let cycleDays, cycleDays > 0 else { return nil }
            return Double(openDeals) * winRate * averageDeal / cycleDays
        }
    }
    public var current: Components
    public var previous: Components

    /// Change of each component against the previous period, % (nil where the previous is 0 or unknown).
    public func change(_ value: (Components) -> Double?) -> Double? {
        guard let now = value(current), let before = value(previous), before != 0 else { return nil }
        return (now - before) / before * 100
    }

    public init(engine: SalesEngine, slice: Slice, period: Period, today: Day) {
        current = Self.components(engine, slice, period, today: today)
        previous = Self.components(engine, slice, period.previous, today: today)
    }

    static func components(_ engine: SalesEngine, _ slice: Slice, _ period: Period, today: Day) -> Components {
        let m = engine.measures(slice, in: period)
        let won = Double(m[.dealsWon])
        let closed = Double(m[.dealsWon] + m[.dealsLost])
        // Deals open at the end of the period, or today if it is not over; a period still to come has none.
        let end = Period(start: period.start, end: max(period.start, min(period.end, today + 1)))
        return Components(
            openDeals: engine.deals(.open, of: slice, in: end).count,
            winRate: closed > 0 ? won / closed : nil,
            averageDeal: won > 0 ? Double(m[.wonRevenue]) / won : nil,
            cycleDays: won > 0 ? Double(m[.wonCycleDays]) / won : nil)
    }
}
