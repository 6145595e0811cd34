import Foundation
import SalesCore

/// One export file as a table: its header and rows, whatever the CRM wrote — CSV with `,` `;` or tab, a
/// trailing delimiter on every line (Bitrix24), footer lines after the data (Salesforce's "Grand Totals",
/// "Confidential Information"), repeated header names (renamed `Name.2`, `Name.3`), or an HTML table saved
/// as `.xls` (Bitrix24's "Excel" export), or the first sheet of an XLSX workbook.
public struct InputTable: Sendable {
    public struct Row: Sendable {
        /// 1-based line of the file where the row starts.
        public var line: Int
        public var fields: [String]
    }

    public var file: String
    public var header: [String]
    public var rows: [Row]
    /// What was set aside while reading, for the import's report.
    public var notes: [LocalizedText] = []
    /// CSV rows with more or fewer fields than the header (a line cut off, a quote missing): left out of
    /// `rows`, each a problem of the import.
    public var badRows: [ImportIssue] = []

    /// Header name → column, names compared without case and surrounding spaces.
    public func column(_ name: String) -> Int? { columns[Self.key(name)] }
    private var columns: [String: Int] = [:]

    static func key(_ name: String) -> String { name.trimmedSpaces.lowercased() }

    public init(file: String, header: [String], rows: [Row]) {
        self.file = file
        self.rows = rows
        var seen: [String: Int] = [:]
        self.header = header.map { raw in
            let name = raw.trimmedSpaces
            seen[Self.key(name), default: 0] += 1
            let n = seen[Self.key(name)]!
            return n == 1 ? name : "\(name).\(n)"
        }
        for (i, name) in self.header.enumerated() where columns[Self.key(name)] == nil { columns[Self.key(name)] = i }
    }

    /// The lines a report ends with, which are no records.
    static let footerStarts = ["grand totals", "total", "confidential information", "copyright"]

    /// Reads a file: CSV in any of the encodings `TextDecoding` knows, or an HTML table.
    public static func read(
        path: String, encoding: TextDecoding.Encoding? = nil, delimiter: UInt8? = nil
    ) throws(ImportFailure) -> InputTable {
        let name = (path as NSString).lastPathComponent
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw ImportFailure(issues: [ImportIssue(file: name, line: 0, LocalizedText("import.cannot_read_file"))])
        }
        return try read(data, file: name, encoding: encoding, delimiter: delimiter)
    }

    /// Just the header, for telling exports apart: the first lines of a large CSV file, not all of it.
    public static func header(path: String) -> [String]? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
        let limit = 1 << 20
        guard !XLSXTable.isXLSX(data), data.count > limit, let end = data.prefix(limit).lastIndex(of: 0x0A) else {
            return (try? read(data, file: path))?.header
        }
        // Whole lines only: a cut could split a character and make UTF-8 look like another encoding.
        return (try? read(data.prefix(upTo: end), file: path))?.header
    }

    public static func read(
        _ data: Data, file: String, encoding: TextDecoding.Encoding? = nil, delimiter: UInt8? = nil
    ) throws(ImportFailure) -> InputTable {
        let isXLSX = XLSXTable.isXLSX(data)
        let decoded =
            isXLSX ? TextDecoding.Decoded(utf8: Data(), encoding: .utf8) : TextDecoding.decode(data, as: encoding)
        // An XLSX or HTML row leaves out its empty trailing cells; a CSV row has every field.
        let isCSV = !isXLSX && !HTMLTable.looksLikeHTML(decoded.utf8)
        var rows: [Row]
        if isXLSX {
            rows = try XLSXTable.rows(data, file: file)
        } else if !isCSV {
            rows = HTMLTable.rows(String(decoding: decoded.utf8, as: UTF8.self))
        } else {
            rows = []
            do {
                try CSVReader(data: decoded.utf8, delimiter: delimiter).forEachRow {
                    rows.append(Row(line: $0.line, fields: $0.fields))
                    return true
                }
            } catch CSVReader.Failure.unterminatedQuote(let line) {
                throw ImportFailure(issues: [
                    ImportIssue(file: file, line: line, LocalizedText("import.unclosed_quote"))
                ])
            } catch {
                throw ImportFailure(issues: [ImportIssue(file: file, line: 0, LocalizedText("import.cannot_read_file"))]
                )
            }
        }
        guard !rows.isEmpty else {
            throw ImportFailure(issues: [ImportIssue(file: file, line: 1, LocalizedText("import.empty_file"))])
        }
        var notes: [LocalizedText] = []
        // A delimiter after every value leaves an empty last column on every line, the header's too.
        if rows.allSatisfy({ $0.fields.count > 1 && $0.fields.last!.isEmpty }) {
            for i in rows.indices { rows[i].fields.removeLast() }
        }
        let width = rows[0].fields.count
        var footer = 0
        while let last = rows.last, rows.count > 1, last.fields.count < width || isFooter(last) {
            guard last.fields.dropFirst().allSatisfy(\.trimmedSpaces.isEmpty) else { break }
            rows.removeLast()
            footer += 1
        }
        if footer > 0 { notes.append(LocalizedText("import.footer_lines", ["count": .count(footer)])) }
        if isCSV && decoded.encoding != .utf8 && decoded.otherLines.isEmpty {
            // What the detection decided, so that a wrong guess is seen (and `--encoding` can overrule it).
            notes.append(LocalizedText("import.read_as", ["encoding": .text(decoded.encoding.rawValue)]))
        }
        if !decoded.otherLines.isEmpty {
            let lines = decoded.otherLines.prefix(10).map(String.init).joined(separator: ", ")
            notes.append(
                LocalizedText(
                    "import.mixed_encoding",
                    [
                        "count": .count(decoded.otherLines.count), "lines": .text(lines),
                        "encoding": .text(decoded.encoding.rawValue),
                    ]))
        }
        if decoded.nulBytes > 0 { notes.append(LocalizedText("import.nul_bytes", ["count": .count(decoded.nulBytes)])) }
        var records = Array(rows.dropFirst())
        var badRows: [ImportIssue] = []
        if isCSV {
            for row in records where row.fields.count != width {
                badRows.append(
                    ImportIssue(
                        file: file, line: row.line,
                        LocalizedText("import.row_width", ["count": .count(row.fields.count), "width": "\(width)"])))
            }
            if !badRows.isEmpty { records.removeAll { $0.fields.count != width } }
        }
        var table = InputTable(file: file, header: rows[0].fields, rows: records)
        table.notes = notes
        table.badRows = badRows
        return table
    }

    private static func isFooter(_ row: Row) -> Bool {
        let first = row.fields.first.map(key) ?? ""
        return footerStarts.contains { first.hasPrefix($0) }
    }
}

/// The table of an HTML page, as Bitrix24 writes its `.xls` "Excel" export: `<tr>` rows of `<th>`/`<td>` cells.
enum HTMLTable {
    static func looksLikeHTML(_ data: Data) -> Bool {
        let start = String(decoding: data.prefix(512), as: UTF8.self).lowercased()
        return start.contains("<table") || start.contains("<meta") || start.contains("<html")
    }

    static func rows(_ html: String) -> [InputTable.Row] {
        var rows: [InputTable.Row] = []
        let lower = html.lowercased()
        var search = lower.startIndex
        while let tr = lower.range(of: "<tr", range: search..<lower.endIndex) {
            let end = lower.range(of: "</tr>", range: tr.upperBound..<lower.endIndex)?.lowerBound ?? lower.endIndex
            let line = lower[..<tr.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            var cells: [String] = []
            var at = tr.upperBound
            while let open = nextCell(lower, from: at, before: end) {
                guard let contentStart = lower.range(of: ">", range: open..<end)?.upperBound else { break }
                let close = lower.range(of: "</t", range: contentStart..<end)?.lowerBound ?? end
                cells.append(text(String(html[contentStart..<close])))
                at = close
            }
            rows.append(InputTable.Row(line: line, fields: cells))
            search = end
        }
        return rows
    }

    private static func nextCell(_ s: String, from: String.Index, before end: String.Index) -> String.Index? {
        let td = s.range(of: "<td", range: from..<end)?.lowerBound
        let th = s.range(of: "<th", range: from..<end)?.lowerBound
        switch (td, th) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        default: return nil
        }
    }

    /// A cell's text: tags dropped, `<br>` as a line break, entities decoded.
    static func text(_ cell: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        for ch in cell {
            if ch == "<" {
                inTag = true
                tag = ""
            } else if ch == ">" && inTag {
                inTag = false
                if tag.lowercased().hasPrefix("br") { out.append("\n") }
            } else if inTag {
                tag.append(ch)
            } else {
                out.append(ch)
            }
        }
        // `&amp;` last: `&amp;lt;` is the text `&lt;`.
        let entities = [
            ("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"),
            ("&amp;", "&"),
        ]
        for (entity, value) in entities where out.contains(entity) {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
