import Foundation
import SalesCore
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first sheet of an XLSX workbook (amoCRM, HubSpot and Pipedrive offer their exports so) as rows of text:
/// shared and inline strings, numbers as Excel stores them, and cells formatted as dates or times as ISO text
/// (`2026-10-01`, `2026-10-01 10:00:00`), whatever the workbook's display format.
enum XLSXTable {
    static func isXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    static func rows(_ data: Data, file: String) throws(ImportFailure) -> [InputTable.Row] {
        let fail = { ImportFailure(issues: [ImportIssue(file: file, line: 0, LocalizedText("import.not_xlsx"))]) }
        guard let archive = try? Archive(data: data, accessMode: .read) else { throw fail() }
        func part(_ path: String) -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            _ = try? archive.extract(entry, skipCRC32: true) { out.append($0) }
            return out
        }
        guard let workbook = part("xl/workbook.xml") else { throw fail() }
        // The first sheet in the workbook's order, found through the relationships.
        let sheetID = xmlElements(workbook, "sheet").first?["r:id"] ?? "rId1"
        let target =
            part("xl/_rels/workbook.xml.rels").flatMap { rels in
                xmlElements(rels, "Relationship").first { $0["Id"] == sheetID }?["Target"]
            } ?? "worksheets/sheet1.xml"
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheet = part(sheetPath) else { throw fail() }
        let strings = part("xl/sharedStrings.xml").map(SharedStrings.read) ?? []
        let dateStyles = part("xl/styles.xml").map(DateStyles.read) ?? []
        return SheetReader.read(sheet, strings: strings, dateStyles: dateStyles)
    }

    /// Excel's day 0 is 1899-12-30 (counting the 1900 leap day Lotus believed in).
    static func isoText(serial: Double) -> String {
        let days = serial.rounded(.down)
        let seconds = Int(((serial - days) * 86_400).rounded())
        let day = CivilDate(CivilDate(year: 1899, month: 12, day: 30).dayNumber + Day(days))
        if seconds == 0 { return "\(day)" }
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return "\(day) " + String(format: "%02d:%02d:%02d", h, m, s)
    }
}

/// Runs `delegate` over the XML in `data` and hands it back.
private func parsed<D: NSObject & XMLParserDelegate>(_ data: Data, by delegate: D) -> D {
    let parser = XMLParser(data: data)
    parser.delegate = delegate
    parser.parse()
    return delegate
}

/// The attributes of every element named `name`, in document order.
private func xmlElements(_ data: Data, _ name: String) -> [[String: String]] {
    final class Collector: NSObject, XMLParserDelegate {
        let name: String
        var found: [[String: String]] = []
        init(_ name: String) { self.name = name }
        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if element == name || element.hasSuffix(":" + name) { found.append(attributes) }
        }
    }
    return parsed(data, by: Collector(name)).found
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined.
private final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current: String?
    private var inText = false

    static func read(_ data: Data) -> [String] { parsed(data, by: SharedStrings()).strings }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if element == "si" { current = "" }
        // Phonetic runs (`rPh`) repeat a reading, not the text.
        if element == "t" { inText = true }
        if element == "rPh" { inText = false }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current? += string } }
    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "t" { inText = false }
        if element == "si" {
            strings.append(current ?? "")
            current = nil
        }
    }
}

/// Which cell styles (`s="N"`, an index into `cellXfs`) show a date or a time.
private enum DateStyles {
    static let builtIn: Set<Int> = Set(14...22).union(45...47)

    static func read(_ data: Data) -> [Bool] {
        final class Reader: NSObject, XMLParserDelegate {
            var custom: [Int: String] = [:]
            var styles: [Int] = []
            var inCellXfs = false
            func parser(
                _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                switch element {
                case "numFmt":
                    if let id = attributes["numFmtId"].flatMap(Int.init) { custom[id] = attributes["formatCode"] ?? "" }
                case "cellXfs": inCellXfs = true
                case "xf" where inCellXfs: styles.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
                default: break
                }
            }
            func parser(
                _ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?
            ) {
                if element == "cellXfs" { inCellXfs = false }
            }
        }
        let reader = parsed(data, by: Reader())
        return reader.styles.map { id in builtIn.contains(id) || reader.custom[id].map(isDateFormat) == true }
    }

    /// A format shows a date or time when, outside quotes and brackets, it has d, m, y, h or s.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for ch in code.lowercased() {
            switch ch {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "d", "m", "y", "h",
                "s" where !quoted && !bracket:
                return true
            default: break
            }
        }
        return false
    }
}

/// A worksheet's `<row>`s of `<c r="B2" t="s" s="3"><v>…</v></c>` as rows of text, gaps filled.
private final class SheetReader: NSObject, XMLParserDelegate {
    let strings: [String]
    let dateStyles: [Bool]
    var rows: [InputTable.Row] = []
    private var fields: [String] = []
    private var rowNumber = 0
    private var column = 0
    private var type = ""
    private var style = 0
    private var value = ""
    private var inValue = false

    init(strings: [String], dateStyles: [Bool]) {
        self.strings = strings
        self.dateStyles = dateStyles
    }

    static func read(_ data: Data, strings: [String], dateStyles: [Bool]) -> [InputTable.Row] {
        parsed(data, by: SheetReader(strings: strings, dateStyles: dateStyles)).rows
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch element {
        case "row":
            fields = []
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
        case "c":
            column = attributes["r"].map(Self.columnIndex) ?? fields.count
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "v", "t": inValue = false
        case "c":
            while fields.count < column { fields.append("") }
            fields.append(text())
        case "row":
            while fields.last == "" { fields.removeLast() }
            if !fields.isEmpty { rows.append(InputTable.Row(line: rowNumber, fields: fields)) }
        default: break
        }
    }

    private func text() -> String {
        switch type {
        case "s": return Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
        case "b": return value == "1" ? "true" : "false"
        case "n":
            if style < dateStyles.count, dateStyles[style], let serial = Double(value) {
                return XLSXTable.isoText(serial: serial)
            }
            return value
        default: return value  // inlineStr, str (a formula's text), e (an error's text)
        }
    }

    /// `B2` → 1.
    static func columnIndex(_ reference: String) -> Int {
        var n = 0
        for ch in reference.uppercased() {
            guard let a = ch.asciiValue, (65...90).contains(a) else { break }
            n = n * 26 + Int(a - 64)
        }
        return max(0, n - 1)
    }
}
