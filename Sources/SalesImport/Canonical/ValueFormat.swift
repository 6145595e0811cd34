import Foundation
import SalesCore

/// How values are written in a file: the decimal separator and the date format. The canonical
/// bundle uses a dot and ISO 8601; a column mapping may say otherwise (`1 234,50`, `31.12.2024`).
public struct ValueFormat: Sendable {
    public var decimalSeparator: Character = "."
    /// Either `.` or `,` is the decimal separator, whichever ends the number with one or two digits after
    /// it (`450000.00`, `1 234,5`); the other groups thousands. For exports that different programs wrote.
    public var eitherDecimalSeparator = false
    /// More than two decimals are rounded to the cent (half up) rather than refused: CRMs keep amounts of
    /// 9225.225. The canonical bundle is exact.
    public var roundsToCents = false
    /// Empty: ISO 8601 (`2024-12-31`, `2024-12-31T09:30:00Z`, `2024-12-31 09:30`, with an offset or
    /// without, then in the company time zone). Otherwise patterns of `yyyy MM dd HH mm ss` and literal
    /// characters, such as `dd.MM.yyyy HH:mm`, tried in turn.
    public var datePatterns: [String] = []
    public var calendar: CompanyCalendar

    public var datePattern: String? {
        get { datePatterns.first }
        set { datePatterns = newValue.map { [$0] } ?? [] }
    }

    public init(decimalSeparator: Character = ".", datePattern: String? = nil, calendar: CompanyCalendar) {
        self.decimalSeparator = decimalSeparator
        self.datePatterns = datePattern.map { [$0] } ?? []
        self.calendar = calendar
    }

    /// What a date must look like, for messages.
    public var expectedDate: String {
        datePatterns.isEmpty ? "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]" : datePatterns.joined(separator: " | ")
    }

    /// The decimal separator of `text`: the configured one, or with `eitherDecimalSeparator` the last `.` or
    /// `,` followed by one or two digits only.
    func separator(of text: String) -> Character {
        guard eitherDecimalSeparator else { return decimalSeparator }
        guard let i = text.lastIndex(where: { $0 == "." || $0 == "," }) else { return "." }
        let after = text[text.index(after: i)...]
        return (1...2).contains(after.count) && after.allSatisfy(\.isNumber) ? text[i] : "\u{0}"
    }

    /// Major units with up to two decimals → minor units, exactly (no floating point).
    /// Spaces and non-breaking spaces group thousands. Nil if not a number.
    public func money(_ text: String) -> Money? {
        let decimalSeparator = separator(of: text)
        let grouping: Character = eitherDecimalSeparator ? (decimalSeparator == "," ? "." : ",") : " "
        var units: Int64 = 0
        var cents: Int64 = 0
        var decimals = -1
        var negative = false
        var digits = 0
        var roundUp = false
        for ch in text {
            if ch == " " || ch == "\u{00A0}" || ch == "\u{202F}" || ch == "_" || ch == grouping { continue }
            if (ch == "-" || ch == "−") && digits == 0 && !negative {
                negative = true
                continue
            }
            if ch == decimalSeparator && decimals < 0 {
                decimals = 0
                continue
            }
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            digits += 1
            if decimals >= 0 {
                decimals += 1
                if decimals > 2 {
                    guard roundsToCents else { return nil }
                    if decimals == 3 { roundUp = d >= 5 }
                    continue
                }
                cents = cents * 10 + Int64(d)
            } else {
                guard units < Int64.max / 1000 else { return nil }
                units = units * 10 + Int64(d)
            }
        }
        guard digits > 0 else { return nil }
        if decimals == 1 { cents *= 10 }
        let v = units * 100 + cents + (roundUp ? 1 : 0)
        return negative ? -v : v
    }

    public func number(_ text: String) -> Double? {
        let separator = separator(of: text)
        let grouping: Character? = eitherDecimalSeparator ? (separator == "," ? "." : ",") : nil
        return Double(
            String(text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != grouping }.map { $0 == separator ? "." : $0 }))
    }

    public func timestamp(_ text: String) -> Timestamp? {
        if datePatterns.isEmpty { return iso(text) }
        for pattern in datePatterns {
            if let t = patterned(text, pattern) { return t }
        }
        return nil
    }

    /// The company day of a date or instant.
    public func day(_ text: String) -> Day? { timestamp(text).map { calendar.day(of: $0) } }

    private func iso(_ text: String) -> Timestamp? {
        let s = Array(text.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= s.count else { return nil }
            var v = 0
            for i in a..<(a + n) {
                guard s[i] >= 48 && s[i] <= 57 else { return nil }
                v = v * 10 + Int(s[i] - 48)
            }
            return v
        }
        guard s.count >= 10, s[4] == 45, s[7] == 45, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
            CivilDate.isValid(year: y, month: mo, day: d)
        else { return nil }
        var secs = Int64(CivilDate(year: y, month: mo, day: d).dayNumber) * 86_400
        if s.count == 10 { return calendar.instant(fromLocal: secs) }
        guard s[10] == 84 || s[10] == 32, let h = num(11, 2), s.count >= 16, s[13] == 58, let mi = num(14, 2), h < 24,
            mi < 60
        else { return nil }
        secs += Int64(h * 3600 + mi * 60)
        var i = 16
        if s.count >= 19, s[16] == 58 {
            guard let sec = num(17, 2), sec < 61 else { return nil }
            secs += Int64(sec)
            i = 19
            if i < s.count, s[i] == 46 {
                i += 1
                while i < s.count, s[i] >= 48 && s[i] <= 57 { i += 1 }
            }  // fraction
        }
        if i == s.count { return calendar.instant(fromLocal: secs) }
        if s[i] == 90, i + 1 == s.count { return secs }  // Z
        guard s[i] == 43 || s[i] == 45, let oh = num(i + 1, 2) else { return nil }
        var om = 0
        if i + 3 == s.count {
            om = 0
        } else if s.count == i + 6, s[i + 3] == 58, let m = num(i + 4, 2) {
            om = m
        } else if s.count == i + 5, let m = num(i + 3, 2) {
            om = m
        } else {
            return nil
        }
        let offset = Int64(oh * 3600 + om * 60)
        return s[i] == 43 ? secs - offset : secs + offset
    }

    private func patterned(_ text: String, _ pattern: String) -> Timestamp? {
        let t = Array(text.trimmingCharacters(in: .whitespaces))
        let p = Array(pattern)
        var y = 0
        var mo = 0
        var d = 0
        var h = 0
        var mi = 0
        var sec = 0
        var i = 0
        var j = 0
        while j < p.count {
            let token = p[j]
            if "yMdHms".contains(token) {
                var n = 0
                while j < p.count, p[j] == token {
                    n += 1
                    j += 1
                }
                var v = 0
                var k = 0
                // Day, month, hour may have one digit (1.3.2024) when followed by a separator.
                while i < t.count, k < max(n, token == "y" ? 4 : 2), let dv = t[i].wholeNumberValue, t[i].isASCII {
                    v = v * 10 + dv
                    i += 1
                    k += 1
                }
                guard k > 0, token != "y" || k == 4 else { return nil }
                switch token {
                case "y": y = v
                case "M": mo = v
                case "d": d = v
                case "H": h = v
                case "m": mi = v
                default: sec = v
                }
            } else {
                guard i < t.count, t[i] == token else { return nil }
                i += 1
                j += 1
            }
        }
        guard i == t.count, CivilDate.isValid(year: y, month: mo, day: d), h < 24, mi < 60, sec < 61 else { return nil }
        let local = Int64(CivilDate(year: y, month: mo, day: d).dayNumber) * 86_400 + Int64(h * 3600 + mi * 60 + sec)
        return calendar.instant(fromLocal: local)
    }
}
