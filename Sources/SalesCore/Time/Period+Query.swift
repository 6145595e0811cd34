/// A period the user asked for that cannot be one, with why.
public struct PeriodQueryError: Error, Sendable {
    public let message: LocalizedText
}

extension Period {
    /// The period a user asked for, as the CLI's flags and the API's query parameters say it:
    /// `period` (2017, 2017-Q2, 2017-04, 2017-04-01..2017-07-01), or `from` and `to` days (the end
    /// exclusive); a bound not given comes from `fallback`.
    public static func resolve(period: String?, from: String?, to: String?, fallback: Period) throws(PeriodQueryError) -> Period {
        if let period, !period.isEmpty {
            guard let p = Period(parsing: period) else {
                throw PeriodQueryError(message: .init(en: "'\(period)' is not a period: 2017, 2017-Q2, 2017-04 or 2017-04-01..2017-07-01",
                                                      ru: "«\(period)» — не период: 2017, 2017-Q2, 2017-04 или 2017-04-01..2017-07-01"))
            }
            return p
        }
        func day(_ text: String?, _ fallback: Day, _ name: String) throws(PeriodQueryError) -> Day {
            guard let text, !text.isEmpty else { return fallback }
            guard let d = CivilDate(iso: text) else {
                throw PeriodQueryError(message: .init(en: "\(name): '\(text)' is not a date YYYY-MM-DD", ru: "\(name): «\(text)» — не дата ГГГГ-ММ-ДД"))
            }
            return d.dayNumber
        }
        let s = try day(from, fallback.start, "from"), e = try day(to, fallback.end, "to")
        guard e >= s else { throw PeriodQueryError(message: .init(en: "'to' is before 'from'", ru: "«to» раньше «from»")) }
        return Period(start: s, end: e)
    }

    /// The calendar quarter that holds `day`.
    public static func quarter(containing day: Day) -> Period {
        let d = CivilDate(day)
        return .quarter(d.year, (d.month - 1) / 3 + 1)
    }
}
