import Foundation
import SalesCore

/// A column mapping: how to read one CRM export file as canonical records, without code.
///
///     kind: deal                  # which records the file holds (see docs/data-format.md)
///     delimiter: ";"
///     encoding: windows-1251      # or utf-8
///     decimal: ","
///     date_format: dd.MM.yyyy
///     columns:                    # canonical field: the file's column header
///       external_id: ID
///       owner_id: Responsible     # headers and values in the export's own language
///     values:                     # canonical field: { the file's value: canonical value }
///       kind: { New one: new, Repeat sale: repeat }
///     defaults:                   # canonical field: value when the file has none
///       kind: new
public enum ColumnMapping {
    public static func load(_ path: String, file: String) throws -> CSVFileSpec {
        try read(YAMLNode.load(path), file: file)
    }

    static func read(_ root: YAMLNode, file: String) throws -> CSVFileSpec {
        let kindNode = try root.require("kind")
        let kindName = (kindNode.string ?? "").lowercased()
        guard
            let kind = EventKind.allCases.first(where: {
                $0.rawValue == kindName || $0.fileName == kindName + "s.csv" || $0.fileName == kindName + ".csv"
            })
        else {
            throw kindNode.fail(
                LocalizedText(
                    "config.bad_kind", ["values": "\(EventKind.allCases.map(\.rawValue).joined(separator: ", "))"]))
        }
        var spec = CSVFileSpec(path: file, kind: kind)
        if let d = root["delimiter"]?.string {
            let c = d == "\\t" || d == "tab" ? "\t" : d
            guard c.utf8.count == 1 else {
                throw root["delimiter"]!.fail(LocalizedText("config.bad_delimiter"))
            }
            spec.delimiter = c.utf8.first
        }
        if let e = root["encoding"] {
            let name = (e.string ?? "").lowercased().replacingOccurrences(of: "cp", with: "windows-")
            guard let enc = CSVReader.Encoding(rawValue: name == "utf8" ? "utf-8" : name) else {
                throw e.fail(LocalizedText("config.bad_encoding"))
            }
            spec.encoding = enc
        }
        if let d = root["decimal"]?.string {
            guard d.count == 1 else { throw root["decimal"]!.fail(LocalizedText("config.bad_decimal")) }
            spec.decimalSeparator = d.first!
        }
        spec.datePattern = root["date_format"]?.string
        let known = Set(CanonicalSchema.fields(kind).map(\.name))
        for (field, node) in root["columns"]?.entries ?? [] {
            guard known.contains(field) else {
                throw node.fail(
                    LocalizedText(
                        "config.unknown_field",
                        [
                            "field": "\(field)", "kind": "\(kind.rawValue)",
                            "fields": "\(known.sorted().joined(separator: ", "))",
                        ]))
            }
            spec.columns[field] = node.string ?? ""
        }
        for (field, node) in root["values"]?.entries ?? [] {
            var map: [String: String] = [:]
            for (from, to) in node.entries {
                map[from] = to.string ?? ""
                map[from.lowercased()] = to.string ?? ""
            }
            spec.translations[field] = map
        }
        for (field, node) in root["defaults"]?.entries ?? [] { spec.defaults[field] = node.string ?? "" }
        return spec
    }
}
