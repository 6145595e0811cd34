import Foundation

/// A half-open range of company days `[start, end)`.
public struct Period: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: Day
    public var end: Day

    public init(start: Day, end: Day) {
        precondition(end >= start, "a period ends after it starts")
        self.start = start
        self.end = end
    }

    public init(from: CivilDate, to: CivilDate) { self.init(start: from.dayNumber, end: to.dayNumber) }

    public var days: Int { Int(end - start) }
    public func contains(_ day: Day) -> Bool { day >= start && day < end }

    public static func month(_ year: Int, _ month: Int) -> Period {
        let s = CivilDate(year: year, month: month, day: 1)
        return Period(start: s.dayNumber, end: CivilDate.firstDay(ofMonthIndex: s.monthIndex + 1))
    }
    public static func quarter(_ year: Int, _ q: Int) -> Period {
        let s = CivilDate(year: year, month: (q - 1) * 3 + 1, day: 1)
        return Period(start: s.dayNumber, end: CivilDate.firstDay(ofMonthIndex: s.monthIndex + 3))
    }
    public static func year(_ year: Int) -> Period {
        Period(from: CivilDate(year: year, month: 1, day: 1), to: CivilDate(year: year + 1, month: 1, day: 1))
    }

    /// Whole calendar months the period spans, if it starts and ends on a month's first day.
    public var wholeMonths: Int32? {
        let s = CivilDate(start)
        let e = CivilDate(end)
        guard s.day == 1, e.day == 1 else { return nil }
        return e.monthIndex - s.monthIndex
    }

    /// The period just before, of the same kind: the previous month(s) for calendar months,
    /// otherwise the same number of days right before.
    public var previous: Period {
        if let n = wholeMonths, n > 0 {
            let m = CivilDate(start).monthIndex
            return Period(start: CivilDate.firstDay(ofMonthIndex: m - n), end: start)
        }
        return Period(start: start - Day(days), end: start)
    }

    /// Mon–Fri days in the period: the denominator of per-day activity norms.
    public var workdays: Int {
        start < end ? (start..<end).lazy.filter(CivilDate.isWeekday).count : 0
    }

    public func intersection(_ other: Period) -> Period? {
        let s = max(start, other.start)
        let e = min(end, other.end)
        return s < e ? Period(start: s, end: e) : nil
    }

    /// `2017-04-01..2017-07-01` (the end is exclusive).
    public var description: String { "\(CivilDate(start))..\(CivilDate(end))" }

    /// Human label: `2017-Q2`, `2017-04`, `2017` or the range.
    public var label: String {
        let s = CivilDate(start)
        switch wholeMonths {
        case 1: return "\(s.year)-\(s.month < 10 ? "0" : "")\(s.month)"
        case 3 where (s.month - 1) % 3 == 0: return "\(s.year)-Q\((s.month - 1) / 3 + 1)"
        case 12 where s.month == 1: return "\(s.year)"
        default:
            let last = CivilDate(end - 1)
            return "\(s)…\(last)"
        }
    }

    /// Parses `2017`, `2017-Q2`, `2017-04`, or `2017-04-01..2017-07-01`.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let r = t.range(of: "..") {
            guard let a = CivilDate(iso: t[..<r.lowerBound]), let b = CivilDate(iso: t[r.upperBound...]), a <= b else {
                return nil
            }
            self.init(from: a, to: b)
            return
        }
        let p = t.split(separator: "-")
        guard let y = Int(p.first ?? ""), p.first?.count == 4 else { return nil }
        if p.count == 1 {
            self = .year(y)
            return
        }
        if p.count == 2, p[1].uppercased().hasPrefix("Q"), let q = Int(p[1].dropFirst()), (1...4).contains(q) {
            self = .quarter(y, q)
            return
        }
        if p.count == 2, let m = Int(p[1]), (1...12).contains(m) {
            self = .month(y, m)
            return
        }
        return nil
    }
}
