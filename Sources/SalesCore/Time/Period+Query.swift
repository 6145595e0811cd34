/// A period the user asked for that cannot be one, with why.
public struct PeriodQueryError: Error, Sendable {
    public let message: LocalizedText
}

extension Period {
    /// The years a period may touch: a sales history has no business before 1900 or after 2200, and a
    /// wider range only costs the server time.
    public static let supportedYears = 1900...2200

    /// The period a user asked for, as the CLI's flags and the API's query parameters say it:
    /// `period` (2017, 2017-Q2, 2017-04, 2017-04-01..2017-07-01), or `from` and `to` days (the end
    /// exclusive); a bound not given comes from `fallback`. A period outside `supportedYears`, or longer
    /// than `maxYears` when given (the server's limit), is refused.
    public static func resolve(
        period: String?, from: String?, to: String?, fallback: Period,
        maxYears: Int? = nil
    ) throws(PeriodQueryError) -> Period {
        let resolved = try parse(period: period, from: from, to: to, fallback: fallback)
        let first = supportedYears.lowerBound
        let last = supportedYears.upperBound
        let earliest = CivilDate(year: first, month: 1, day: 1).dayNumber
        let latest = CivilDate(year: last + 1, month: 1, day: 1).dayNumber
        guard resolved.start >= earliest, resolved.end <= latest else {
            throw PeriodQueryError(
                message: LocalizedText(
                    "period.outside_years", ["period": "\(resolved)", "first": "\(first)", "last": "\(last)"]))
        }
        let s = CivilDate(resolved.start)
        let valid = CivilDate.isValid(year: s.year + (maxYears ?? 0), month: s.month, day: s.day)
        if let maxYears,
            resolved.end > CivilDate(year: s.year + maxYears, month: s.month, day: valid ? s.day : 28).dayNumber
        {
            throw PeriodQueryError(
                message: LocalizedText("period.too_long", ["period": "\(resolved)", "count": .count(maxYears)]))
        }
        return resolved
    }

    private static func parse(
        period: String?, from: String?, to: String?,
        fallback: Period
    ) throws(PeriodQueryError) -> Period {
        if let period, !period.isEmpty {
            guard let p = Period(parsing: period) else {
                throw PeriodQueryError(
                    message: LocalizedText("period.not_a_period", ["period": "\(period)"]))
            }
            return p
        }
        func day(_ text: String?, _ fallback: Day, _ name: String) throws(PeriodQueryError) -> Day {
            guard let text, !text.isEmpty else { return fallback }
            guard let d = CivilDate(iso: text) else {
                throw PeriodQueryError(
                    message: LocalizedText("period.not_a_date", ["name": "\(name)", "text": "\(text)"]))
            }
            return d.dayNumber
        }
        let s = try day(from, fallback.start, "from")
        let e = try day(to, fallback.end, "to")
        guard e >= s else {
            throw PeriodQueryError(message: LocalizedText("period.to_before_from"))
        }
        return Period(start: s, end: e)
    }

    /// The calendar quarter that holds `day`.
    public static func quarter(containing day: Day) -> Period {
        let d = CivilDate(day)
        return .quarter(d.year, (d.month - 1) / 3 + 1)
    }
}
