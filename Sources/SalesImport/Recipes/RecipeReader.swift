import Foundation
import SalesCore
import SalesStorage

/// Reads export files by a recipe and hands the importer its records, each with the file and line it came
/// from. Unknown stage names are gathered into one problem with a stub of the stage map to fill in.
public final class RecipeReader {
    public let recipe: Recipe
    public let files: [String]
    public let calendar: CompanyCalendar
    /// Overrides the recipe's encoding and the detection.
    public var encoding: TextDecoding.Encoding?
    /// The company currency and the rates that convert amounts in others.
    public var conversion = CurrencyConversion(company: "RUB")
    /// What was set aside or assumed while reading (footer lines, mixed encodings), per file.
    public private(set) var notes: [(file: String, note: LocalizedText)] = []
    /// The stage names met and what they became, with how many rows had each: for the dry run's report.
    public private(set) var stagesMet: [String: (stage: String, rows: Int)] = [:]
    private var stageRows = Set<Int>()

    /// `paths`: files, or folders whose files are all read.
    public init(recipe: Recipe, paths: [String], calendar: CompanyCalendar) {
        self.recipe = recipe
        self.files = Self.expand(paths)
        self.calendar = calendar
    }

    static let extensions: Set<String> = ["csv", "txt", "tsv", "xls", "xlsx", "html", "htm"]

    public static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
                return [path]
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
    }

    /// Reads an export read beside its exchange rates: the `exchange_rates.csv` among `paths` (files, or folders of
    /// them) add to `conversion`, the other files are the recipe's.
    public convenience init(
        recipe: Recipe, filesAndRatesIn paths: [String], calendar: CompanyCalendar, conversion: CurrencyConversion
    ) throws {
        let all = Self.expand(paths)
        let isRates = { (p: String) in (p as NSString).lastPathComponent.lowercased() == Importer.ratesFile }
        self.init(recipe: recipe, paths: all.filter { !isRates($0) }, calendar: calendar)
        self.conversion = conversion
        for file in all.filter(isRates) {
            self.conversion.rates.merge(try ExchangeRates.read(path: file, company: conversion.rates.company))
        }
    }

    /// Every record the files yield, in the order the store needs them (what is referred to first).
    public func records(emit: (Importer.Item) throws -> Void) throws {
        (notes, stagesMet, stageRows, unknownStages, unknownRows) = ([], [:], [], [:], [])  // a reader may run again
        let tables = try read()
        for table in tables.values.joined() {
            for issue in table.badRows { try emit((table.file, issue.line, .failure(ImportFailure(issues: [issue])))) }
        }
        var indexes: [String: [String: (InputTable, InputTable.Row)]] = [:]
        for input in recipe.inputs {
            guard let key = input.key else { continue }
            for table in tables[input.name] ?? [] {
                for row in table.rows {
                    let value = evaluate(key, table, row, joined: [:])
                    if case .success(let k) = value, !k.isEmpty, indexes[input.name]?[k] == nil {
                        indexes[input.name, default: [:]][k] = (table, row)
                    }
                }
            }
        }
        let format = valueFormat()
        let rules = recipe.rules.enumerated().sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }
        for (_, rule) in rules {
            var seen = Set<String>()
            // What a problem calls each field: the column it came from.
            let labels = Dictionary(
                rule.fields.map { field, template in
                    (field, template.columns.first.map { "\($0) → \(field)" } ?? field)
                }, uniquingKeysWith: { a, _ in a })
            for table in tables[rule.from] ?? [] {
                var rows = table.rows
                if let order = rule.order {
                    let keys = rows.map { r -> String in
                        if case .success(let v) = evaluate(order, table, r, joined: [:]) { return v }
                        return ""
                    }
                    rows = zip(keys, rows).enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                        .map(\.element.1)
                }
                for row in rows {
                    var joined: [String: (InputTable, InputTable.Row)] = [:]
                    for (input, key) in rule.joins {
                        if case .success(let k) = evaluate(key, table, row, joined: [:]), let other = indexes[input]?[k]
                        {
                            joined[input] = other
                        }
                    }
                    switch applies(rule, table, row, joined) {
                    case .success(false): continue
                    case .success(true): break
                    case .failure(let miss):
                        if let issue = unknown(miss, table, row, rule) {
                            try emit((table.file, row.line, .failure(ImportFailure(issues: [issue]))))
                        }
                        continue
                    }
                    var values: [String] = []
                    var columns: [String: Int] = [:]
                    var issues: [ImportIssue] = []
                    for (field, template) in rule.fields {
                        switch evaluate(template, table, row, joined: joined) {
                        case .success(let v):
                            columns[field] = values.count
                            values.append(v)
                        case .failure(let miss):
                            if let issue = unknown(miss, table, row, rule) { issues.append(issue) }
                        }
                    }
                    if columns.count < rule.fields.count {
                        if !issues.isEmpty { try emit((table.file, row.line, .failure(ImportFailure(issues: issues)))) }
                        continue
                    }
                    if rule.distinct {
                        guard let id = columns["external_id"].map({ values[$0] }), !id.isEmpty, seen.insert(id).inserted
                        else { continue }
                    }
                    var reader = RowReader(
                        file: table.file, line: row.line, fields: values, columns: columns, translations: [:],
                        defaults: [:], format: format)
                    reader.labels = labels
                    reader.conversion = conversion
                    if let event = CanonicalSchema.build(rule.kind, &reader) {
                        try emit((table.file, row.line, .success(event)))
                    } else {
                        try emit((table.file, row.line, .failure(ImportFailure(issues: reader.issues))))
                    }
                }
            }
        }
        if !unknownStages.isEmpty { try emit(unknownStagesIssue(unknownStages)) }
    }

    private var unknownStages: [String: (line: Int, file: String, rows: Int)] = [:]
    private var unknownRows = Set<String>()

    /// A value a map lacks: a stage name is gathered for the one stage-map problem (counted once per row,
    /// whichever rules ask); any other is the row's problem.
    private func unknown(_ miss: Template.Miss, _ table: InputTable, _ row: InputTable.Row, _ rule: Recipe.Rule)
        -> ImportIssue?
    {
        guard miss.map == Recipe.stageMap else {
            let column = rule.fields.first { $0.1.maps.contains(miss.map) }?.1.columns.first
            return ImportIssue(
                file: table.file, line: row.line, field: column,
                LocalizedText("recipe.value_not_in_map", ["value": .text(miss.value), "map": .text(miss.map)]))
        }
        let first = unknownStages[miss.value]
        let newRow = unknownRows.insert("\(table.file)\u{1}\(row.line)\u{1}\(miss.value)").inserted
        unknownStages[miss.value] = (
            first?.line ?? row.line, first?.file ?? table.file, (first?.rows ?? 0) + (newRow ? 1 : 0)
        )
        return nil
    }

    private func valueFormat() -> ValueFormat {
        var format = ValueFormat(decimalSeparator: recipe.decimalSeparator, calendar: calendar)
        format.datePatterns = recipe.datePatterns
        format.eitherDecimalSeparator = recipe.eitherDecimalSeparator
        format.roundsToCents = true
        return format
    }

    /// Whether the row yields the rule's record, or the value a condition's map lacks.
    private func applies(
        _ rule: Recipe.Rule, _ table: InputTable, _ row: InputTable.Row,
        _ joined: [String: (InputTable, InputTable.Row)]
    ) -> Result<Bool, Template.Miss> {
        for (t, allowed) in rule.when {
            switch evaluate(t, table, row, joined: joined) {
            case .failure(let miss): return .failure(miss)
            case .success(let v):
                if !allowed.contains(Recipe.mapKey(v)) { return .success(false) }
            }
        }
        for (t, refused) in rule.unless {
            switch evaluate(t, table, row, joined: joined) {
            case .failure(let miss): return .failure(miss)
            case .success(let v):
                if refused.contains(Recipe.mapKey(v)) { return .success(false) }
            }
        }
        return .success(true)
    }

    /// Where each of the recipe's column names (by slot) is in a table: its own column, one of a joined input
    /// (`input.Column`), or none. Worked out once per table, so that reading a cell is an array index.
    private enum Cell {
        case own(Int)
        case joined(input: String, column: String)
        case none
    }
    private var cellsByFile: [String: [Cell]] = [:]
    private var tableNumbers: [String: Int] = [:]

    private func cells(_ table: InputTable) -> [Cell] {
        if let known = cellsByFile[table.file] { return known }
        let inputs = Set(recipe.inputs.map(\.name))
        let header = InputTable.Row(line: 0, fields: table.header)
        let cells = recipe.columnNames.map { name -> Cell in
            if let dot = name.firstIndex(of: "."), inputs.contains(String(name[..<dot])) {
                return .joined(input: String(name[..<dot]), column: String(name[name.index(after: dot)...]))
            }
            return Self.column(table, header, name).map(Cell.own) ?? .none
        }
        cellsByFile[table.file] = cells
        tableNumbers[table.file] = tableNumbers[table.file] ?? tableNumbers.count
        return cells
    }

    private func evaluate(
        _ template: Template, _ table: InputTable, _ row: InputTable.Row,
        joined: [String: (InputTable, InputTable.Row)]
    ) -> Result<String, Template.Miss> {
        let cells = cells(table)
        return template.evaluate(
            column: { _, slot in
                let value: String?
                switch cells[slot] {
                case .own(let i): value = i < row.fields.count ? row.fields[i] : nil
                case .joined(let input, let column): value = joined[input].flatMap { Self.cell($0.0, $0.1, column) }
                case .none: value = nil
                }
                guard let value, !recipe.emptyValues.isEmpty else { return value }
                return recipe.emptyValues.contains(value.trimmedSpaces) ? nil : value
            },
            map: { map, value in
                let mapped = recipe.maps[map]?[Recipe.mapKey(value)] ?? recipe.maps[map]?["*"]
                // Counted once per row, however many rules of the row ask.
                if map == Recipe.stageMap, let mapped,
                    stageRows.insert(tableNumbers[table.file, default: 0] << 40 | row.line).inserted
                {
                    stagesMet[value] = (mapped, (stagesMet[value]?.rows ?? 0) + 1)
                }
                return mapped
            })
    }

    /// A cell by header name; `Name*` is the first column whose header starts with `Name` (amoCRM writes
    /// its budget column with or without a trailing space or currency).
    static func cell(_ table: InputTable, _ row: InputTable.Row, _ name: String) -> String? {
        guard let column = column(table, row, name), column < row.fields.count else { return nil }
        return row.fields[column]
    }

    static func column(_ table: InputTable, _ row: InputTable.Row, _ name: String) -> Int? {
        guard name.hasSuffix("*") else { return table.column(name) }
        let prefix = InputTable.key(String(name.dropLast()))
        return table.header.firstIndex { InputTable.key($0).hasPrefix(prefix) }
    }

    /// Whether the table has a column `need` names: a header, or one of `A|B`'s.
    static func has(_ table: InputTable, _ need: String) -> Bool {
        let header = InputTable.Row(line: 0, fields: table.header)
        return need.split(separator: "|").contains { cell(table, header, String($0).trimmedSpaces) != nil }
    }

    /// The given files, read and assigned to the recipe's inputs.
    private func read() throws -> [String: [InputTable]] {
        var issues: [ImportIssue] = []
        var tables: [String: [InputTable]] = [:]
        var unclaimed = files
        for input in recipe.inputs {
            let mine = unclaimed.filter { Self.matches(($0 as NSString).lastPathComponent, input.file) }
            if mine.isEmpty && !input.optional {
                issues.append(
                    ImportIssue(
                        file: input.file, line: 0,
                        LocalizedText("recipe.no_file_for_input", ["input": .text(input.name)])))
            }
            unclaimed.removeAll { mine.contains($0) }
            for path in mine {
                do {
                    var table = try InputTable.read(path: path, encoding: encoding ?? recipe.encoding)
                    // Two months' `deals.csv` from two folders are told apart by their paths, in messages and
                    // in the columns worked out per table.
                    if files.filter({ ($0 as NSString).lastPathComponent == table.file }).count > 1 {
                        table.file = path
                    }
                    let missing = input.needs.filter { !Self.has(table, $0) }
                    if !missing.isEmpty {
                        issues.append(
                            ImportIssue(
                                file: table.file, line: 1,
                                LocalizedText(
                                    "recipe.missing_columns",
                                    [
                                        "columns": .text(missing.joined(separator: ", ")),
                                        "recipe": .text(recipe.name),
                                        "header": .text(table.header.prefix(12).joined(separator: ", ")),
                                    ])))
                        continue
                    }
                    notes += table.notes.map { (table.file, $0) }
                    tables[input.name, default: []].append(table)
                } catch {
                    issues += error.issues
                }
            }
        }
        if !issues.isEmpty { throw ImportFailure(issues: issues) }
        return tables
    }

    /// A file name against a pattern with `*`, ignoring case.
    static func matches(_ name: String, _ pattern: String) -> Bool {
        let parts = pattern.lowercased().split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(name.lowercased())
        for (i, part) in parts.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if i == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else {
                guard let r = rest.range(of: part) else { return false }
                rest = rest[r.upperBound...]
            }
        }
        return rest.isEmpty
    }

    private func unknownStagesIssue(_ unknown: [String: (line: Int, file: String, rows: Int)]) -> Importer.Item {
        let sorted = unknown.sorted {
            $0.value.rows > $1.value.rows || ($0.value.rows == $1.value.rows && $0.key < $1.key)
        }
        let list = sorted.map { "\($0.key) (\($0.value.rows))" }.joined(separator: ", ")
        let stub = sorted.map { "  \"\($0.key.replacingOccurrences(of: "\"", with: "\\\""))\": \"\"" }
            .joined(separator: "\n")
        let first = sorted[0].value
        let issue = ImportIssue(
            file: first.file, line: first.line,
            LocalizedText(
                "recipe.unknown_stages",
                [
                    "count": .count(sorted.count), "stages": .text(list), "stub": .text("stages:\n" + stub),
                    "values": .text(DealStage.allCases.map(\.rawValue).joined(separator: ", ")),
                ]))
        return (first.file, first.line, .failure(ImportFailure(issues: [issue])))
    }
}

extension Recipe {
    /// Which preset reads these files: the first each of whose inputs (but the optional ones) some file matches
    /// by its name and required headers.
    public static func detect(_ paths: [String]) throws -> Recipe? {
        let tables = RecipeReader.expand(paths).compactMap { path in
            InputTable.header(path: path).map {
                InputTable(file: (path as NSString).lastPathComponent, header: $0, rows: [])
            }
        }
        for name in presetNames {
            guard let recipe = try preset(name) else { continue }
            let fits = recipe.inputs.filter { !$0.optional }.allSatisfy { input in
                tables.contains { t in
                    RecipeReader.matches(t.file, input.file) && input.needs.allSatisfy { RecipeReader.has(t, $0) }
                }
            }
            if fits && !recipe.inputs.allSatisfy(\.needs.isEmpty) { return recipe }
        }
        return nil
    }
}
