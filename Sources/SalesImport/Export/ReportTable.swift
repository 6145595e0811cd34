import Foundation
import SalesCore
import ZIPFoundation

/// A table of results that every output format renders: the terminal, CSV, JSON and XLSX.
///
/// A column has a stable snake_case id, the key in JSON and the header in CSV whatever the language (a
/// script must not break when the locale changes), and a title for people, in the terminal and in XLSX.
public struct ReportTable: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number and how many decimals to show; nil is "no value" (an empty cell).
        case number(Double?, decimals: Int)
    }

    public struct Column: Sendable, Equatable, ExpressibleByStringLiteral {
        public var id: String
        public var title: String
        public init(_ id: String, title: String? = nil) {
            self.id = id
            self.title = title ?? id
        }
        public init(stringLiteral id: String) { self.init(id) }
    }

    public var columns: [Column]
    public var rows: [[Cell]]
    public init(columns: [Column], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Columns titled from the message catalog: `column.<table>.<id>` in `lang`.
    public init(_ lang: Language, titles table: String, columns: [String], rows: [[Cell]] = []) {
        self.init(columns: columns.map { Column($0, title: lang.message("column.\(table).\($0)")) }, rows: rows)
    }

    public var columnIDs: [String] { columns.map(\.id) }

    public enum Format: String, Sendable, CaseIterable { case table, csv, json, xlsx }

    /// Machine form: a dot decimal, no grouping, rounded to the cell's decimals.
    public static func plain(_ v: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", v)
        return s == "-0" || s.hasPrefix("-0.") && Double(s) == 0 ? String(s.dropFirst()) : s
    }

    /// Human form: thin groups of thousands.
    public static func human(_ v: Double, _ decimals: Int) -> String {
        let s = plain(v, decimals)
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var int = String(parts[0])
        var sign = ""
        if int.hasPrefix("-") {
            sign = "-"
            int.removeFirst()
        }
        var grouped = ""
        for (i, ch) in int.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(" ") }
            grouped.append(ch)
        }
        return sign + String(grouped.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// RFC 4180 CSV that a spreadsheet opens as data: a text cell that a spreadsheet would run as a
    /// formula (it starts with `=`, `+`, `-`, `@`, a tab or a CR: a name or an outcome sent through the
    /// API can) gets a leading `'`, as OWASP advises; a cell with a separator, quote or line break is quoted.
    public func csv(separator: Character = ",") -> String {
        func quote(_ s: String) -> String {
            let special = s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r")
            return special ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = columnIDs.map(quote).joined(separator: String(separator)) + "\n"
        for row in rows {
            out +=
                row.map { cell -> String in
                    switch cell {
                    case .text(let t): quote(Self.inert(t))
                    case .number(let v, let d): v.map { Self.plain($0, d) } ?? ""
                    }
                }.joined(separator: String(separator)) + "\n"
        }
        return out
    }

    /// The text with a leading `'` if a spreadsheet would take it for a formula.
    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    public func json() -> String {
        let objects: [[String: Any]] = rows.map { row in
            var o: [String: Any] = [:]
            for (c, cell) in zip(columnIDs, row) {
                switch cell {
                case .text(let t): o[c] = t
                case .number(let v, let d): o[c] = v.map { Double(Self.plain($0, d))! } ?? NSNull()
                }
            }
            return o
        }
        let data = try! JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public func text() -> String {
        let cells = rows.map { row in
            row.map { cell -> (String, Bool) in
                switch cell {
                case .text(let t): (t, false)
                case .number(let v, let d): (v.map { Self.human($0, d) } ?? "—", true)
                }
            }
        }
        var widths = columns.map(\.title.count)
        for row in cells {
            for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.0.count) }
        }
        func pad(_ s: String, _ w: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return right ? fill + s : s + fill
        }
        var out = zip(columns, widths).map { pad($0.title, $1, right: false) }.joined(separator: "  ") + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells {
            out += row.enumerated().map { pad($1.0, widths[$0], right: $1.1) }.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// An Excel workbook with one sheet: opens in Excel and LibreOffice.
    public func xlsx(sheet: String = "SalesKPI") throws -> Data {
        func esc(_ s: String) -> String { Self.xmlText(s) }
        func col(_ i: Int) -> String {
            var n = i + 1
            var s = ""
            while n > 0 {
                let r = (n - 1) % 26
                s = String(UnicodeScalar(UInt8(65 + r))) + s
                n = (n - 1) / 26
            }
            return s
        }
        var sheetXML =
            #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#
            <sheetData>
            """#
        for (r, row) in ([columns.map { Cell.text($0.title) }] + rows).enumerated() {
            sheetXML += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(col(c))\(r + 1)"
                switch cell {
                case .text(let t):
                    sheetXML +=
                        "<c r=\"\(ref)\" t=\"inlineStr\"\(r == 0 ? " s=\"1\"" : "")><is><t>\(esc(t))</t></is></c>"
                case .number(let v?, let d): sheetXML += "<c r=\"\(ref)\"><v>\(Self.plain(v, d))</v></c>"
                case .number(nil, _): continue
                }
            }
            sheetXML += "</row>"
        }
        sheetXML += "</sheetData></worksheet>"
        let files: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\#
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\#
                <Default Extension="xml" ContentType="application/xml"/>\#
                <Override PartName="/xl/workbook.xml" \#
                ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\#
                <Override PartName="/xl/worksheets/sheet1.xml" \#
                ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\#
                <Override PartName="/xl/styles.xml" \#
                ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\#
                </Types>
                """#
            ),
            (
                "_rels/.rels",
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
                <Relationship Id="rId1" \#
                Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \#
                Target="xl/workbook.xml"/>\#
                </Relationships>
                """#
            ),
            (
                "xl/workbook.xml",
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \#
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\#
                <sheets>\#
                <sheet name="\#(esc(String(sheet.prefix(31))))" sheetId="1" r:id="rId1"/>\#
                </sheets>\#
                </workbook>
                """#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
                <Relationship Id="rId1" \#
                Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \#
                Target="worksheets/sheet1.xml"/>\#
                <Relationship Id="rId2" \#
                Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \#
                Target="styles.xml"/>\#
                </Relationships>
                """#
            ),
            (
                "xl/styles.xml",
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font>\#
                <sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\#
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill>\#
                <patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>\#
                <cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fontId="1" applyFont="1"/>\#
                </cellXfs></styleSheet>
                """#
            ),
            ("xl/worksheets/sheet1.xml", sheetXML),
        ]
        let archive = try Archive(accessMode: .create)
        for (path, text) in files {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        return archive.data!
    }

    /// Text for an XML element or attribute: markup escaped, and the control characters XML 1.0 cannot
    /// hold at all (a NUL or a bell in a CRM name) replaced by U+FFFD, or Excel refuses the whole file.
    static func xmlText(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "\t", "\n", "\r": out.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }
}
