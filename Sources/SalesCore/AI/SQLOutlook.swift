/// An SDR's period in SQLs, the number an SDR is paid for: how many so far, and where the pace of the last 90
/// days takes the rest of the period, against the plan. (A revenue forecast means nothing to someone who closes
/// no deals.)
public struct SQLOutlook: Sendable, Codable, Equatable {
    /// SQLs from the period's first day to today, today included.
    public var soFar: Int64
    /// SQLs a day over the 90 days up to today.
    public var dailyPace: Double
    /// Whole days after today left in the period.
    public var daysLeft: Int
    public var plan: Double?

    /// So far, plus the pace over the days left.
    public var expected: Double { Double(soFar) + dailyPace * Double(daysLeft) }
    public var fulfillment: Double? { plan.flatMap { $0 > 0 ? expected / $0 * 100 : nil } }

    public static let lookbackDays = 90

    public static func make(engine: SalesEngine, slice: Slice, period: Period, today: Day, plan: Double?) -> SQLOutlook
    {
        let tomorrow = min(today + 1, period.end)
        let soFar = engine.measures(slice, period.start, max(period.start, tomorrow))[.sqls]
        let recent = engine.measures(slice, today + 1 - Day(lookbackDays), today + 1)[.sqls]
        return SQLOutlook(
            soFar: soFar, dailyPace: Double(recent) / Double(lookbackDays),
            daysLeft: max(0, Int(period.end - tomorrow)), plan: plan)
    }
}
