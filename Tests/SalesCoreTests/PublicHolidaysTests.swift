import SalesCore
import Testing

/// Working days counted by hand from a wall calendar and each country's rules.
@Suite struct PublicHolidaysTests {
    static func days(_ country: String, _ year: Int, _ month: Int) -> Int {
        let calendar = CompanyCalendar(holidays: PublicHolidays(country: country)!)
        let from = CivilDate(year: year, month: month, day: 1).dayNumber
        return calendar.workingDays(from: from, to: CivilDate.firstDay(ofMonthIndex: CivilDate(from).monthIndex + 1))
    }

    @Test func weekdaysCountFromMonday() {
        // 1970-01-01 was a Thursday, 1969-12-29 a Monday, 2 December 2026 a Wednesday.
        #expect(CivilDate.weekday(CivilDate(year: 1970, month: 1, day: 1).dayNumber) == 3)
        #expect(CivilDate.weekday(CivilDate(year: 1969, month: 12, day: 29).dayNumber) == 0)
        #expect(CivilDate.weekday(CivilDate(year: 2026, month: 12, day: 2).dayNumber) == 2)
        #expect(!CivilDate.isWeekday(CivilDate(year: 2026, month: 12, day: 6).dayNumber))  // a Sunday
    }

    @Test func russia() {
        // January 2026: 22 weekdays, 1, 2 and 5–8 off (the decree's extra 9 January is not a rule).
        #expect(Self.days("RU", 2026, 1) == 16)
        // May 2026: 21 weekdays; 1 May a Friday, 9 May a Saturday, moved to Monday 11 May.
        #expect(Self.days("RU", 2026, 5) == 19)
        // October 2026: 22 weekdays, no holiday.
        #expect(Self.days("RU", 2026, 10) == 22)
    }

    @Test func unitedStates() {
        // November 2026: 21 weekdays; Veterans Day (Wednesday 11) and Thanksgiving (the fourth Thursday, 26).
        #expect(Self.days("US", 2026, 11) == 19)
        // July 2026: 23 weekdays; 4 July a Saturday, observed on Friday 3 July.
        #expect(Self.days("US", 2026, 7) == 22)
        // December 2021: 23 weekdays; Christmas and New Year's Day 2022 on Saturdays: Fridays 24 and 31 off.
        #expect(Self.days("US", 2021, 12) == 21)
        // May 2026: Memorial Day, the last Monday (25).
        #expect(Self.days("US", 2026, 5) == 20)
    }

    @Test func noneCountsWeekdaysAndUnknownCountriesAreRefused() {
        #expect(Self.days("none", 2026, 1) == 22)
        #expect(PublicHolidays(country: "XX") == nil)
        #expect(PublicHolidays(country: "ru") == .russia)
    }
}
