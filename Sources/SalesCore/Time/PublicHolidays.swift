/// The days a company's country does not work besides Saturdays and Sundays, so that a forecast can weigh a
/// stretch of time by its working days: a Russian January has 15–17 of them, an October 22–23.
///
/// Rules, not a table: the holidays fixed by law, and where the law moves one falling on a weekend, the move.
/// Russia's yearly decree also swaps a few single days to make bridges; those are not predictable and are left out.
public struct PublicHolidays: Sendable, Equatable {
    /// ISO 3166 alpha-2 code; empty for no public holidays.
    public let country: String

    /// The countries whose holidays are known.
    public static let countries = ["RU", "US"]

    /// nil for a country whose holidays are not known; "" or "none" for none.
    public init?(country: String) {
        let code = country.uppercased()
        guard code.isEmpty || code == "NONE" || Self.countries.contains(code) else { return nil }
        self.country = code == "NONE" ? "" : code
    }

    public static let none = PublicHolidays(country: "")!
    public static let russia = PublicHolidays(country: "RU")!

    public func isWorkingDay(_ day: Day) -> Bool { CivilDate.isWeekday(day) && !contains(day) }

    public func contains(_ day: Day) -> Bool {
        switch country {
        case "RU": russian(CivilDate(day))
        case "US": american(day)
        default: false
        }
    }

    /// Labour Code art. 112: 1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November; one of the
    /// single-day holidays falling on a weekend moves to the next working day.
    private func russian(_ date: CivilDate) -> Bool {
        let fixed = [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]
        if date.month == 1 && date.day <= 8 { return true }
        if fixed.contains(where: { $0 == (date.month, date.day) }) { return true }
        // The Monday after one on a Saturday or a Sunday.
        guard CivilDate.weekday(date.dayNumber) == 0 else { return false }
        return fixed.contains { m, d in
            let holiday = CivilDate(year: date.year, month: m, day: d).dayNumber
            return (1...2).contains(date.dayNumber - holiday) && !CivilDate.isWeekday(holiday)
        }
    }

    /// The federal holidays (5 U.S.C. 6103); a fixed one on a Saturday is observed on the Friday, on a Sunday on
    /// the Monday.
    private func american(_ day: Day) -> Bool {
        let date = CivilDate(day)
        let weekday = CivilDate.weekday(day)
        // The n-th given weekday of a month (n = -1: the last).
        func nth(_ n: Int, _ wd: Int, _ month: Int) -> Bool {
            guard date.month == month, weekday == wd else { return false }
            if n > 0 { return (date.day - 1) / 7 == n - 1 }
            let next = CivilDate(day + 7)
            return next.month != month
        }
        if nth(3, 0, 1) || nth(3, 0, 2) || nth(-1, 0, 5) || nth(1, 0, 9) || nth(2, 0, 10) || nth(4, 3, 11) {
            return true
        }
        var fixed = [(1, 1), (7, 4), (11, 11), (12, 25)]
        if date.year >= 2021 { fixed.append((6, 19)) }
        return fixed.contains { m, d in
            // The holiday itself, or its observance: this year's and next year's (1 January on a Saturday is
            // observed on 31 December).
            [date.year, date.year + 1].contains { year in
                let holiday = CivilDate(year: year, month: m, day: d).dayNumber
                let observed: Day =
                    switch CivilDate.weekday(holiday) {
                    case 5: holiday - 1
                    case 6: holiday + 1
                    default: holiday
                    }
                return observed == day
            }
        }
    }
}
