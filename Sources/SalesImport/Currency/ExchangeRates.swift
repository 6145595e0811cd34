import Foundation
import SalesCore

/// Dated exchange rates into the company currency: units of it per unit of each other currency, from
/// `exchange_rates.csv` (`currency,date,rate`), the Bank of Russia's daily XML or the ECB's reference-rate CSV.
/// An amount is converted at the latest rate on or before its day.
public struct ExchangeRates: Sendable {
    public let company: String
    private var rates: [String: [(day: Day, rate: Double)]] = [:]

    public init(company: String) { self.company = company.uppercased() }

    public mutating func add(_ currency: String, day: Day, rate: Double) {
        let code = currency.uppercased()
        guard code != company, rate > 0, rate.isFinite else { return }
        var list = rates[code, default: []]
        if let i = list.firstIndex(where: { $0.day == day }) {
            list[i].rate = rate
        } else {
            list.append((day, rate))
        }
        rates[code] = list
    }

    /// Sorts each currency's rates once all are added.
    mutating func seal() { for k in rates.keys { rates[k]!.sort { $0.day < $1.day } } }

    /// The rate of `currency` on `day`: the latest on or before it; 1 for the company currency.
    public func rate(_ currency: String, on day: Day) -> Double? {
        if currency == company { return 1 }
        guard let list = rates[currency] else { return nil }
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].day <= day { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : list[lo - 1].rate
    }

    /// The first day a currency has a rate, for messages.
    public func firstDay(_ currency: String) -> Day? { rates[currency]?.map(\.day).min() }

    public mutating func merge(_ other: ExchangeRates) {
        for (code, list) in other.rates { for r in list { add(code, day: r.day, rate: r.rate) } }
        seal()
    }
}

extension ExchangeRates {
    /// Reads a rates file in any of the three formats, telling them by their content.
    public static func read(path: String, company: String) throws(ImportFailure) -> ExchangeRates {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportFailure(issues: [ImportIssue(file: name, line: 0, LocalizedText("import.cannot_read_file"))])
        }
        return try read(data, file: name, company: company)
    }

    public static func read(_ data: Data, file: String, company: String) throws(ImportFailure) -> ExchangeRates {
        var rates = ExchangeRates(company: company)
        if data.prefix(512).range(of: Data("<ValCurs".utf8)) != nil {
            try rates.addBankOfRussia(String(decoding: TextDecoding.decode(data).utf8, as: UTF8.self), file: file)
        } else {
            let table = try InputTable.read(data, file: file)
            if table.column("currency") != nil && table.column("rate") != nil {
                try rates.addCanonical(table)
            } else if table.header.first.map(InputTable.key) == "date" {
                try rates.addECB(table)
            } else {
                let expected = "currency,date,rate | Date,USD,JPY,… (ECB) | <ValCurs> (Bank of Russia)"
                throw ImportFailure(issues: [
                    ImportIssue(
                        file: file, line: 1, LocalizedText("import.rates_format", ["expected": .text(expected)]))
                ])
            }
        }
        rates.seal()
        return rates
    }

    /// A rate's date: ISO (`2026-10-19`) or as the Bank of Russia writes it (`19.10.2026`).
    private static let dates: ValueFormat = {
        var format = ValueFormat(calendar: CompanyCalendar())
        format.datePatterns = ["yyyy-MM-dd", "dd.MM.yyyy"]
        return format
    }()

    private static func day(_ text: String) -> Day? { dates.day(text) }

    /// A rate: a dot or a comma before its decimals (`81.25`, `81,2500`), never grouped thousands.
    private static func number(_ text: String) -> Double? {
        Double(text.trimmedSpaces.replacingOccurrences(of: ",", with: "."))
    }

    /// `currency,date,rate`: units of the company currency per unit of `currency`.
    private mutating func addCanonical(_ table: InputTable) throws(ImportFailure) {
        let (c, d, r) = (table.column("currency")!, table.column("date"), table.column("rate")!)
        var issues: [ImportIssue] = []
        for row in table.rows {
            let cell = { (i: Int?) in i.flatMap { $0 < row.fields.count ? row.fields[$0].trimmedSpaces : nil } ?? "" }
            guard let code = CurrencyCode.code(cell(c)) else {
                issues.append(
                    ImportIssue(
                        file: table.file, line: row.line, field: "currency",
                        LocalizedText("import.unknown_currency", ["currency": .text(cell(c))])))
                continue
            }
            guard let day = Self.day(cell(d)) else {
                issues.append(
                    ImportIssue(
                        file: table.file, line: row.line, field: "date",
                        LocalizedText("import.not_a_date", ["value": .text(cell(d)), "expected": "YYYY-MM-DD"])))
                continue
            }
            guard let rate = Self.number(cell(r)), rate > 0 else {
                issues.append(
                    ImportIssue(
                        file: table.file, line: row.line, field: "rate",
                        LocalizedText("import.bad_rate", ["value": .text(cell(r))])))
                continue
            }
            add(code, day: day, rate: rate)
        }
        if !issues.isEmpty { throw ImportFailure(issues: issues) }
    }

    /// The ECB's `eurofxref-hist.csv`: `Date,USD,JPY,…`, units of each currency per euro ("N/A" where none).
    /// Crossed through the euro into the company currency.
    private mutating func addECB(_ table: InputTable) throws(ImportFailure) {
        let columns = table.header.enumerated().dropFirst().compactMap { i, h in CurrencyCode.code(h).map { (i, $0) } }
        let companyColumn = columns.first { $0.1 == company }?.0
        guard company == "EUR" || companyColumn != nil else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: table.file, line: 1, LocalizedText("import.rates_lack_company", ["currency": .text(company)]))
            ])
        }
        for row in table.rows {
            guard let day = Self.day(row.fields[0]) else { continue }
            let perEuro = { (i: Int) in i < row.fields.count ? Self.number(row.fields[i]) : nil }
            let companyPerEuro = companyColumn.map(perEuro) ?? 1
            guard let companyPerEuro, companyPerEuro > 0 else { continue }
            if company != "EUR" { add("EUR", day: day, rate: companyPerEuro) }
            for (i, code) in columns where code != company {
                if let v = perEuro(i), v > 0 { add(code, day: day, rate: companyPerEuro / v) }
            }
        }
    }

    /// The Bank of Russia's `XML_daily.asp`: `<ValCurs Date="02.03.2024">` with `<Valute>`s of `CharCode`,
    /// `Nominal` and `Value` (roubles per nominal, decimal comma). Several days may be concatenated.
    private mutating func addBankOfRussia(_ xml: String, file: String) throws(ImportFailure) {
        guard company == "RUB" else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: file, line: 1, LocalizedText("import.rates_lack_company", ["currency": .text(company)]))
            ])
        }
        func value(_ tag: String, in s: Substring) -> String? {
            guard let a = s.range(of: "<\(tag)>"), let b = s.range(of: "</\(tag)>", range: a.upperBound..<s.endIndex)
            else { return nil }
            return String(s[a.upperBound..<b.lowerBound])
        }
        var rest = Substring(xml)
        while let open = rest.range(of: "<ValCurs") {
            let close =
                rest.range(of: "</ValCurs>", range: open.upperBound..<rest.endIndex)?.upperBound ?? rest.endIndex
            let block = rest[open.lowerBound..<close]
            guard let dateAttr = block.range(of: "Date=\""),
                let end = block[dateAttr.upperBound...].firstIndex(of: "\""),
                let day = Self.day(String(block[dateAttr.upperBound..<end]))
            else { break }
            var valutes = block
            while let v = valutes.range(of: "<Valute"),
                let e = valutes.range(of: "</Valute>", range: v.upperBound..<valutes.endIndex)
            {
                let one = valutes[v.lowerBound..<e.upperBound]
                if let code = value("CharCode", in: one), let raw = value("Value", in: one), let v = Self.number(raw) {
                    let nominal = value("Nominal", in: one).flatMap(Self.number) ?? 1
                    add(code, day: day, rate: v / max(nominal, 1))
                }
                valutes = valutes[e.upperBound...]
            }
            rest = rest[close...]
        }
    }
}

/// Currencies as CRMs write them: an ISO code, or a name (Bitrix24 writes the Russian one, `US Dollar`) or
/// sign from `Resources/currency-names.json`.
public enum CurrencyCode {
    static let names: [String: String] = {
        guard let path = Bundle.module.path(forResource: "currency-names", ofType: "json", inDirectory: "Resources"),
            let data = FileManager.default.contents(atPath: path),
            let map = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return Dictionary(map.map { (InputTable.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }()

    public static func code(_ text: String) -> String? {
        let t = text.trimmedSpaces
        if t.count == 3, t.allSatisfy({ $0.isASCII && $0.isLetter }) { return t.uppercased() }
        return names[InputTable.key(t)]
    }
}

/// Converts an amount in another currency into the company's at its day's rate.
public struct CurrencyConversion: Sendable {
    public var rates: ExchangeRates
    public init(rates: ExchangeRates) { self.rates = rates }
    public init(company: String) { rates = ExchangeRates(company: company) }

    /// `amount` (minor units of `code`) in the company currency at the latest rate on or before `day`, with the
    /// original kept; the amount itself for the company's own currency; nil when `code` has no such rate.
    public func convert(_ amount: Money, from code: String, on day: Day) -> (Money, OriginalAmount?)? {
        guard code != rates.company else { return (amount, nil) }
        guard let rate = rates.rate(code, on: day) else { return nil }
        return (Money((Double(amount) * rate).rounded()), OriginalAmount(currency: code, amount: amount))
    }
}
