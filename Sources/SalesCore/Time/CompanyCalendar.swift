import Foundation

/// Turns instants into the company's calendar days. Day boundaries follow the company time zone,
/// including its historical offset changes, looked up by binary search in precomputed transitions
/// (a `TimeZone` call per event would dominate the engine's time).
public struct CompanyCalendar: Sendable {
    public let timeZone: TimeZone
    /// The country's days off besides weekends (none unless configured: `country` in the KPI system).
    public let holidays: PublicHolidays
    /// (UTC instant from which it applies, offset in seconds), ascending.
    private let offsets: [(from: Timestamp, offset: Int64)]

    public init(timeZone: TimeZone = TimeZone(identifier: "Europe/Moscow")!, holidays: PublicHolidays = .none) {
        self.timeZone = timeZone
        self.holidays = holidays
        var table: [(Timestamp, Int64)] = []
        var instant = Date(timeIntervalSince1970: 0)
        let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        table.append((Timestamp.min, Int64(timeZone.secondsFromGMT(for: instant))))
        while let next = timeZone.nextDaylightSavingTimeTransition(after: instant), next < end {
            table.append((Timestamp(next.timeIntervalSince1970), Int64(timeZone.secondsFromGMT(for: next))))
            instant = next
        }
        if table.count == 1 {  // zones that changed standard offset without DST rules (Moscow 2011/2014)
            table = Self.scanOffsets(timeZone)
        }
        offsets = table
    }

    /// Offsets sampled daily where the zone reports no DST transitions; merged into change points.
    private static func scanOffsets(_ tz: TimeZone) -> [(Timestamp, Int64)] {
        var table: [(Timestamp, Int64)] = [
            (Timestamp.min, Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: 0))))
        ]
        var t: Timestamp = 0
        while t < 4_102_444_800 {
            let off = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
            if off != table.last!.1 { table.append((t, off)) }
            t += 86_400
        }
        return table
    }

    public func utcOffset(at instant: Timestamp) -> Int64 {
        var lo = 0
        var hi = offsets.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if offsets[mid].from <= instant { lo = mid } else { hi = mid - 1 }
        }
        return offsets[lo].offset
    }

    public func day(of instant: Timestamp) -> Day {
        let local = instant + utcOffset(at: instant)
        return Day((local >= 0 ? local : local - 86_399) / 86_400)
    }

    /// The instant the given local day starts.
    public func start(of day: Day) -> Timestamp {
        let local = Int64(day) * 86_400
        return local - utcOffset(at: local - utcOffset(at: local))
    }

    /// The local date and time of an instant, `2026-11-23 14:05`, for lists people read.
    public func localMinute(_ instant: Timestamp) -> String {
        let day = self.day(of: instant)
        let seconds = instant + utcOffset(at: instant) - Int64(day) * 86_400
        let h = seconds / 3600
        let m = seconds % 3600 / 60
        return "\(CivilDate(day)) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    /// The working days among the local days `[from, to)`.
    public func workingDays(from: Day, to: Day) -> Int {
        from < to ? (from..<to).lazy.filter(holidays.isWorkingDay).count : 0
    }

    /// The working days between two instants, counting the local days they touch (`end` exclusive).
    public func workingDays(from start: Timestamp, to end: Timestamp) -> Int {
        end > start ? workingDays(from: day(of: start), to: day(of: end - 1) + 1) : 0
    }

    /// When in the company's week an instant falls: a weekday between 9:00 and 18:00 local time is working hours.
    public enum TimeOfWeek: String, Sendable, CaseIterable {
        case workingHours = "working_hours"
        case offHours = "off_hours"
        case weekend
    }

    public func timeOfWeek(_ instant: Timestamp) -> TimeOfWeek {
        let day = self.day(of: instant)
        if !CivilDate.isWeekday(day) { return .weekend }
        let seconds = instant + utcOffset(at: instant) - Int64(day) * 86_400
        return (9 * 3600..<18 * 3600).contains(seconds) ? .workingHours : .offHours
    }

    /// The same local time `months` calendar months later (earlier when negative); a day the month lacks
    /// becomes its last (31 March − 1 month = 28 or 29 February).
    public func instant(_ t: Timestamp, movedByMonths months: Int) -> Timestamp {
        let day = self.day(of: t)
        let c = CivilDate(day)
        let m = c.monthIndex + Int32(months)
        let moved = min(
            CivilDate.firstDay(ofMonthIndex: m) + Day(c.day - 1), CivilDate.firstDay(ofMonthIndex: m + 1) - 1)
        return instant(fromLocal: Int64(moved) * 86_400 + (t + utcOffset(at: t) - Int64(day) * 86_400))
    }

    /// A local wall-clock time (seconds since 1970 as if the zone were UTC) as an instant.
    public func instant(fromLocal local: Int64) -> Timestamp {
        local - utcOffset(at: local - utcOffset(at: local))
    }
}
