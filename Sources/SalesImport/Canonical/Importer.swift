import Foundation
import SalesCore
import SalesStorage

/// One CSV file to read as records of one kind: the canonical layout, or a user's export described
/// by a column mapping.
public struct CSVFileSpec: Sendable {
    public var path: String
    public var kind: EventKind
    public var delimiter: UInt8?
    public var encoding: CSVReader.Encoding = .utf8
    public var decimalSeparator: Character = "."
    public var datePattern: String?
    /// Canonical field → the file's column header. Fields not named here are looked up by their own name.
    public var columns: [String: String] = [:]
    public var translations: [String: [String: String]] = [:]
    public var defaults: [String: String] = [:]

    public init(path: String, kind: EventKind) {
        self.path = path
        self.kind = kind
    }
}

/// Reads files and presets into a store in one all-or-nothing write.
public final class Importer {
    public let store: EventStore
    public let source: String
    public let calendar: CompanyCalendar
    /// The company currency and the rates that convert amounts in others (a bundle's `exchange_rates.csv` adds
    /// to them).
    public var conversion = CurrencyConversion(company: "RUB")
    public var skipInvalid = false
    /// Keep the newly stored records in the report, to apply them to a live engine after the write.
    public var keepStored = false
    /// Called with each record as it is newly stored (with its id), in store order: an engine fed so holds the
    /// store's events once the write commits, without reading them back. Not called for a replaced record.
    public var onStored: ((SalesEvent) -> Void)?
    /// Check everything and count what would be stored, then roll back: the report before a commit.
    public var dryRun = false
    /// At most this many issues are kept (the count goes on).
    public var issueLimit = 1000
    /// Called now and then with the share of input read, 0…1.
    public var progress: ((Double) -> Void)?
    /// Records read so far in the current run (stored, repeated or invalid), for a progress bar's pace.
    public private(set) var recordsRead = 0

    public init(store: EventStore, source: String, calendar: CompanyCalendar) {
        self.store = store
        self.source = source
        self.calendar = calendar
    }

    /// A record read from the input, or why it could not be.
    public typealias Item = (file: String, line: Int, record: Result<SalesEvent, ImportFailure>)

    /// Imports records produced by `produce`, which calls its argument once per record; `expected` is how many
    /// it may give, if known (room is made for them at once rather than as they come).
    public func run(expected: Int = 0, _ produce: (_ emit: (Item) throws -> Void) throws -> Void) throws
        -> ImportReport
    {
        var report = ImportReport()
        var issues: [ImportIssue] = []
        var issueCount = 0
        func note(_ new: [ImportIssue]) {
            issueCount += new.count
            issues.append(contentsOf: new.prefix(max(0, issueLimit - issues.count)))
        }
        // Where each record was first given in this run: a repeat in the same file is an error, one from another
        // file a duplicate. Keyed without joining strings: this runs once per input row.
        var firsts: [RecordKey: (file: Int32, line: Int32)] = [:]
        firsts.reserveCapacity(expected)
        var files: [String: Int32] = [:]
        var current: (name: String, index: Int32) = ("", -1)
        do {
            try store.write(source: source, expected: expected) { writer in
                // Records go to the store in batches (one round trip each on a server), outcomes in input order.
                var batch: [SalesEvent] = []
                var origins: [(file: String, line: Int)] = []
                func flush() throws {
                    let outcomes = try writer.append(batch: &batch)
                    for ((event, origin), outcome) in zip(zip(batch, origins), outcomes) {
                        switch outcome {
                        case .inserted:
                            report.inserted[event.kind, default: 0] += 1
                            if keepStored { report.stored.append(event) }
                            onStored?(event)
                        case .updated:
                            report.updated[event.kind, default: 0] += 1
                        case .duplicate: report.duplicates += 1
                        case .unresolved(let refs):
                            note(
                                refs.map { ref in
                                    ImportIssue(
                                        file: origin.file, line: origin.line, field: ref.field,
                                        LocalizedText(
                                            "import.unknown_reference",
                                            [
                                                "external": "\(ref.external)", "kind": "\(ref.kind.rawValue)",
                                                "file": "\(ref.kind.fileName)", "source": "\(source)",
                                            ]))
                                })
                        }
                    }
                    batch.removeAll(keepingCapacity: true)
                    origins.removeAll(keepingCapacity: true)
                }
                recordsRead = 0
                try produce { item in
                    recordsRead += 1
                    switch item.record {
                    case .failure(let f): note(f.issues)
                    case .success(let event):
                        if item.file != current.name {
                            let index = files[item.file] ?? Int32(files.count)
                            files[item.file] = index
                            current = (item.file, index)
                        }
                        let key = RecordKey(kind: event.kind, externalID: event.externalID)
                        if let first = firsts[key], first.file == current.index {
                            note([
                                ImportIssue(
                                    file: item.file, line: item.line, field: "external_id",
                                    LocalizedText(
                                        "import.repeated_id",
                                        ["external_id": "\(event.externalID)", "first": "\(first.line)"]))
                            ])
                            return
                        }
                        // A record another file (or a recipe's fallback rule) gave first in this run: the first
                        // stands, as it would have if stored alone; a later run's record replaces it. A repeat
                        // further down this file is still this file's error.
                        let elsewhere = firsts.updateValue((current.index, Int32(clamping: item.line)), forKey: key)
                        if elsewhere != nil && event.kind.isUpdatable {
                            report.duplicates += 1
                            return
                        }
                        if let currency = Self.currency(of: event, company: conversion.rates.company) {
                            report.currencies[currency, default: 0] += 1
                        }
                        batch.append(event)
                        origins.append((item.file, item.line))
                        if batch.count == Self.batchSize { try flush() }
                    }
                }
                try flush()
                if issueCount > 0 && !skipInvalid { throw ImportFailure(issues: issues, total: issueCount) }
                if dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {}
        report.skipped = issues
        report.skippedCount = issueCount
        return report
    }

    private struct DryRunRollback: Error {}

    private struct RecordKey: Hashable {
        var kind: EventKind
        var externalID: String
    }

    /// The currency an amount-carrying record was written in; nil for a record without an amount.
    private static func currency(of event: SalesEvent, company: String) -> String? {
        switch event {
        case .deal(let d): d.original?.currency ?? company
        case .invoice(let i): i.original?.currency ?? company
        case .payment(let p): p.original?.currency ?? company
        default: nil
        }
    }

    /// A bundle's exchange rates: `currency,date,rate`.
    public static let ratesFile = "exchange_rates.csv"

    /// Records per `append(batch:)`: large enough that a server round trip is shared by many.
    static let batchSize = 2000

    /// Imports CSV files, in the order of their kinds (referenced kinds first).
    public func run(files: [CSVFileSpec]) throws -> ImportReport {
        let ordered = files.sorted { $0.kind < $1.kind }
        var sizes: [Int] = []
        for f in ordered {
            sizes.append(((try? FileManager.default.attributesOfItem(atPath: f.path))?[.size] as? Int) ?? 0)
        }
        let total = max(1, sizes.reduce(0, +))
        var done = 0
        // A canonical row is about 50 bytes; a little more room than rows costs less than growing the table.
        return try run(expected: total / 48) { emit in
            for (spec, size) in zip(ordered, sizes) {
                try read(spec, emit: emit) {
                    self.progress?((Double(done) + min(1, $0) * Double(size)) / Double(total))
                }
                done += size
                progress?(Double(done) / Double(total))
            }
        }
    }

    /// Reads the canonical bundle in `dir`: every `<kind>.csv` there.
    public func run(bundle dir: String) throws -> ImportReport {
        let rates = (dir as NSString).appendingPathComponent(Self.ratesFile)
        if FileManager.default.fileExists(atPath: rates) {
            conversion.rates.merge(try ExchangeRates.read(path: rates, company: conversion.rates.company))
        }
        let files = EventKind.allCases.compactMap { kind -> CSVFileSpec? in
            let path = (dir as NSString).appendingPathComponent(kind.fileName)
            return FileManager.default.fileExists(atPath: path) ? CSVFileSpec(path: path, kind: kind) : nil
        }
        guard !files.isEmpty else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: dir, line: 0,
                    LocalizedText(
                        "import.no_canonical_files",
                        ["files": "\(EventKind.allCases.map(\.fileName).joined(separator: ", "))"]))
            ])
        }
        return try run(files: files)
    }

    private func read(_ spec: CSVFileSpec, emit: (Item) throws -> Void, onProgress: (Double) -> Void) throws {
        let name = (spec.path as NSString).lastPathComponent
        func fileIssue(_ line: Int, _ field: String? = nil, _ p: LocalizedText) throws {
            try emit(
                (name, line, .failure(ImportFailure(issues: [ImportIssue(file: name, line: line, field: field, p)]))))
        }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: spec.path), options: .alwaysMapped) else {
            return try fileIssue(0, nil, LocalizedText("import.cannot_read_file"))
        }
        let reader = CSVReader(data: data, delimiter: spec.delimiter, encoding: spec.encoding)
        let format = ValueFormat(
            decimalSeparator: spec.decimalSeparator, datePattern: spec.datePattern, calendar: calendar)
        var columns: [String: Int]?
        var sawHeader = false
        var width = 0
        var rows = 0
        do {
            try reader.forEachRow { row in
                guard let cols = columns else {
                    sawHeader = true
                    let header = row.fields.map(\.trimmedSpaces)
                    var map: [String: Int] = [:]
                    for field in CanonicalSchema.fields(spec.kind) {
                        let wanted = spec.columns[field.name] ?? field.name
                        if let i = header.firstIndex(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) {
                            map[field.name] = i
                        } else if field.required && spec.defaults[field.name] == nil {
                            try fileIssue(
                                row.line, wanted,
                                LocalizedText(
                                    "import.missing_column",
                                    ["wanted": "\(wanted)", "header": "\(header.joined(separator: ", "))"]))
                            return false
                        }
                    }
                    columns = map
                    width = header.count
                    return true
                }
                rows += 1
                if rows & 0xFFFF == 0 { onProgress(Double(row.line) / Double(max(1, data.count / 40))) }
                if row.fields.count != width {
                    try fileIssue(
                        row.line, nil,
                        LocalizedText("import.row_width", ["count": .count(row.fields.count), "width": "\(width)"]))
                    return true
                }
                var r = RowReader(
                    file: name, line: row.line, fields: row.fields, columns: cols,
                    translations: spec.translations, defaults: spec.defaults, format: format)
                r.conversion = conversion
                if let event = CanonicalSchema.build(spec.kind, &r) {
                    try emit((name, row.line, .success(event)))
                } else {
                    try emit((name, row.line, .failure(ImportFailure(issues: r.issues))))
                }
                return true
            }
        } catch CSVReader.Failure.invalidUTF8(let line) {
            try fileIssue(
                line, nil,
                LocalizedText("import.not_utf8"))
        } catch CSVReader.Failure.unterminatedQuote(let line) {
            try fileIssue(
                line, nil,
                LocalizedText("import.unclosed_quote"))
        }
        if !sawHeader {
            try fileIssue(
                1, nil,
                LocalizedText("import.empty_file"))
        }
    }
}

extension ImportFailure {
    public init(issues: [ImportIssue], total: Int) {
        self.issues = issues
        self.total = total
    }
}
