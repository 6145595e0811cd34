/// A calendar day in the company's time zone, counted from 1970-01-01.
public typealias Day = Int32

/// Proleptic Gregorian conversions between days and (year, month, day), without Foundation
/// (Howard Hinnant's `days_from_civil` / `civil_from_days`), so the engine stays fast and pure.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ dayNumber: Day) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var dayNumber: Day {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Day(era * 146_097 + doe - 719_468)
    }

    /// Months since year 0: the index of the engine's month blocks.
    public var monthIndex: Int32 { Int32(year * 12 + month - 1) }

    /// The day of the week, Monday 0 to Sunday 6 (day 0, 1970-01-01, was a Thursday).
    public static func weekday(_ day: Day) -> Int { Int(((Int64(day) + 3) % 7 + 7) % 7) }

    /// Monday to Friday.
    public static func isWeekday(_ day: Day) -> Bool { weekday(day) < 5 }

    public static func firstDay(ofMonthIndex m: Int32) -> Day {
        CivilDate(year: Int(m) / 12, month: Int(m) % 12 + 1, day: 1).dayNumber
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return CivilDate(CivilDate(year: year, month: month, day: day).dayNumber)
            == CivilDate(year: year, month: month, day: day)
    }

    /// ISO 8601, `2017-03-01`.
    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
            let d = Int(parts[2]),
            CivilDate.isValid(year: y, month: m, day: d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
