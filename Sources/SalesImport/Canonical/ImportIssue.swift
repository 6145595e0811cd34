import SalesCore

/// One problem with the input: where it is and what was expected, in both languages.
public struct ImportIssue: Error, Sendable, Hashable {
    public var file: String
    /// 1-based line; 0 for the file as a whole.
    public var line: Int
    public var field: String?
    public var problem: LocalizedText

    public init(file: String, line: Int, field: String? = nil, _ problem: LocalizedText) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// `deals.csv:12: amount: …`
    public func message(_ lang: Language) -> String {
        var s = file
        if line > 0 { s += ":\(line)" }
        if let field { s += ": " + lang.message("import.issue.field", ["field": .text(field)]) }
        return s + ": " + problem(lang)
    }
}

/// An import that stored nothing because of these issues.
public struct ImportFailure: Error, Sendable {
    /// The first issues (up to the importer's limit).
    public var issues: [ImportIssue]
    /// How many there were in all.
    public var total: Int
    public init(issues: [ImportIssue]) {
        self.issues = issues
        self.total = issues.count
    }
}

/// What an import did.
public struct ImportReport: Sendable {
    public var inserted: [EventKind: Int] = [:]
    /// Records stored before and re-sent with other values (a reassigned owner, a new amount): replaced.
    public var updated: [EventKind: Int] = [:]
    public var duplicates = 0
    /// Deals, invoices and payments read, by the currency their amount was written in (the company's too).
    public var currencies: [String: Int] = [:]
    /// Rows skipped with `--skip-invalid`, with why.
    public var skipped: [ImportIssue] = []
    public var skippedCount = 0
    /// The records stored, with their store ids, when the importer was asked to keep them.
    public var stored: [SalesEvent] = []
    public var totalInserted: Int { inserted.values.reduce(0, +) }
    public var totalUpdated: Int { updated.values.reduce(0, +) }
    /// `MXN 220, COP 107`: the currencies met, the most used first; "" when none.
    public var currencyList: String {
        currencies.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ")
    }
}
