import SalesCore

/// Reads the typed fields of one CSV row, collecting every problem of the row at once.
struct RowReader {
    let file: String
    let line: Int
    let fields: [String]
    /// Canonical field name → column index in the file.
    let columns: [String: Int]
    /// Canonical field → (the user's value → canonical value), from a column mapping.
    let translations: [String: [String: String]]
    /// Canonical field → value used when the file has no such column or leaves it empty.
    let defaults: [String: String]
    let format: ValueFormat
    /// Canonical field → what the user calls it (the export's column), for messages; by default its own name.
    var labels: [String: String] = [:]
    /// The company currency and the rates that convert amounts in others.
    var conversion = CurrencyConversion(company: "RUB")
    var issues: [ImportIssue] = []

    /// `amount` in the row's `currency` (none: the company's), converted at the rate of `day` — the latest on
    /// or before it — with the original kept. A currency without such a rate is the row's problem.
    mutating func converted(_ amount: Money, on day: Day?) -> (Money, OriginalAmount?) {
        guard let raw = text("currency") else { return (amount, nil) }
        guard let code = CurrencyCode.code(raw) else {
            fail("currency", LocalizedText("import.unknown_currency", ["currency": .text(raw)]))
            return (amount, nil)
        }
        guard code != conversion.rates.company else { return (amount, nil) }
        guard let day, let converted = conversion.convert(amount, from: code, on: day) else {
            let date = day.map { "\(CivilDate($0))" } ?? "—"
            let first = conversion.rates.firstDay(code).map { "\(CivilDate($0))" }
            fail(
                "currency",
                LocalizedText(
                    first == nil ? "import.no_rate" : "import.no_rate_yet",
                    ["currency": .text(code), "date": .text(date), "first": .text(first ?? "")]))
            return (amount, nil)
        }
        return converted
    }

    mutating func fail(_ field: String, _ problem: LocalizedText) {
        issues.append(ImportIssue(file: file, line: line, field: labels[field] ?? field, problem))
    }

    /// The trimmed text, or nil when empty or absent (an issue if required).
    mutating func text(_ field: String, required: Bool = false) -> String? {
        var value: String?
        if let i = columns[field], i < fields.count {
            let t = fields[i].trimmedSpaces
            // A NUL or another control character is no CRM's text: PostgreSQL refuses a NUL, and ids that
            // differ only after one would collide in C strings.
            if let bad = t.unicodeScalars.first(where: { $0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0) }) {
                let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
                fail(
                    field,
                    LocalizedText("import.control_character", ["code": "\(code)"]))
                return nil
            }
            if !t.isEmpty { value = translations[field]?[t] ?? translations[field]?[t.lowercased()] ?? t }
        }
        if value == nil { value = defaults[field] }
        if value == nil && required {
            fail(field, LocalizedText("import.value_required"))
        }
        return value
    }

    mutating func ref(_ field: String, required: Bool = false) -> EntityRef? {
        text(field, required: required).map { EntityRef($0) }
    }

    mutating func time(_ field: String, required: Bool = false) -> Timestamp? {
        guard let t = text(field, required: required) else { return nil }
        if let v = format.timestamp(t) { return v }
        let expected = format.expectedDate
        fail(
            field,
            LocalizedText("import.not_a_date", ["value": "\(t)", "expected": "\(expected)"]))
        return nil
    }

    mutating func day(_ field: String, required: Bool = false) -> Day? {
        time(field, required: required).map { format.calendar.day(of: $0) }
    }

    mutating func money(_ field: String, required: Bool = false, positive: Bool = false) -> Money? {
        guard let t = text(field, required: required) else { return nil }
        guard let v = format.money(t) else {
            fail(
                field,
                LocalizedText(
                    "import.not_an_amount",
                    [
                        "value": "\(t)",
                        "decimal_separator": "\(format.eitherDecimalSeparator ? ". ," : "\(format.decimalSeparator)")",
                    ]))
            return nil
        }
        if v < 0 || (positive && v == 0) {
            fail(
                field,
                LocalizedText(positive ? "import.must_be_positive" : "import.must_not_be_negative", ["value": "\(t)"]))
            return nil
        }
        return v
    }

    mutating func int(_ field: String, _ range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let t = text(field, required: required) else { return nil }
        guard let v = Int(t), range.contains(v) else {
            fail(
                field,
                LocalizedText(
                    "import.not_a_whole_number",
                    ["value": "\(t)", "min": "\(range.lowerBound)", "max": "\(range.upperBound)"]))
            return nil
        }
        return v
    }

    mutating func number(_ field: String, required: Bool = false) -> Double? {
        guard let t = text(field, required: required) else { return nil }
        guard let v = format.number(t), v.isFinite else {
            fail(field, LocalizedText("import.not_a_number", ["value": "\(t)"]))
            return nil
        }
        return v
    }

    mutating func bool(_ field: String) -> Bool {
        guard let t = text(field)?.lowercased() else { return false }
        if Self.trueWords.contains(t) { return true }
        if Self.falseWords.contains(t) { return false }
        fail(field, LocalizedText("import.not_a_boolean", ["value": "\(t)"]))
        return false
    }

    /// The words for true and false in every language the catalog has: a file may be written in any of them.
    static let trueWords = words("import.true_words")
    static let falseWords = words("import.false_words")

    private static func words(_ key: MessageKey) -> Set<String> {
        Set(Language.allCases.flatMap { $0.message(key).split(separator: " ").map(String.init) })
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ field: String, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let t = text(field, required: required) else { return nil }
        if let v = E(rawValue: t.lowercased()) { return v }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        fail(field, LocalizedText("import.not_one_of", ["value": "\(t)", "allowed": "\(allowed)"]))
        return nil
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
