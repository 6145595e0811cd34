import Foundation
import SalesCore

/// A batch of CRM events as JSON, the body of `POST /api/v1/events`: `{"events": [item, …]}` where
/// each item is `{"event": "activity", "external_id": "…", …}`: what it records, then the canonical
/// bundle's columns as keys (docs/data-format.md). Every item is checked by the same rules as a CSV row; problems name
/// the item as `events[3]`.
public enum JSONEventBatch {
    /// The batch's items in order, each a record or why it is not one.
    public static func read(_ data: Data, calendar: CompanyCalendar) -> Result<[Importer.Item], ImportFailure> {
        let items: [[String: Value]]
        var reader = FlatJSONReader(Array(data))
        do {
            items = try reader.batch()
        } catch {
            return .failure(
                ImportFailure(issues: [
                    ImportIssue(
                        file: "request", line: 0,
                        LocalizedText("import.json.not_an_object", ["error": .localized(error.message)]))
                ]))
        }
        let format = ValueFormat(calendar: calendar)
        let kinds = EventKind.allCases.map(\.rawValue).joined(separator: ", ")
        return .success(
            items.enumerated().map { index, item in
                let place = "events[\(index)]"
                guard case .text(let name)? = item["event"], let kind = EventKind(rawValue: name) else {
                    return (
                        place, 0,
                        .failure(
                            ImportFailure(issues: [
                                ImportIssue(
                                    file: place, line: 0, field: "event",
                                    LocalizedText("import.event_not_one_of", ["kinds": "\(kinds)"]))
                            ]))
                    )
                }
                let keys = item.keys.filter { $0 != "event" }
                var row = RowReader(
                    file: place, line: 0, fields: keys.map { item[$0]!.text },
                    columns: Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }),
                    translations: [:], defaults: [:], format: format)
                if let event = CanonicalSchema.build(kind, &row) { return (place, 0, .success(event)) }
                return (place, 0, .failure(ImportFailure(issues: row.issues)))
            })
    }

    /// The item's position from an issue's place (`events[3]` → 3).
    public static func index(of issue: ImportIssue) -> Int? {
        guard issue.file.hasPrefix("events["), issue.file.hasSuffix("]") else { return nil }
        return Int(issue.file.dropFirst(7).dropLast())
    }

    /// A JSON scalar read as the text a CSV cell would hold (a number as written).
    enum Value {
        case text(String)
        case null
        var text: String { if case .text(let t) = self { t } else { "" } }
    }
}

/// Reads `{"events": [{key: scalar, …}, …]}` and nothing more general: a batch of a thousand events
/// decoded through `JSONDecoder` into dictionaries spent more time there than in storing them.
struct FlatJSONReader {
    struct Failure: Error { var message: LocalizedText }
    private let b: [UInt8]
    private var i = 0
    init(_ bytes: [UInt8]) { b = bytes }

    mutating func batch() throws(Failure) -> [[String: JSONEventBatch.Value]] {
        var events: [[String: JSONEventBatch.Value]]?
        try expect(UInt8(ascii: "{"))
        if try !close(UInt8(ascii: "}")) {
            repeat {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                if key == "events" { events = try array() } else { _ = try scalar() }
            } while try more(UInt8(ascii: "}"))
        }
        skipSpace()
        guard i == b.count else { throw fail(LocalizedText("import.json.text_after_end")) }
        guard let events else { throw fail(LocalizedText("import.json.no_events")) }
        return events
    }

    private mutating func array() throws(Failure) -> [[String: JSONEventBatch.Value]] {
        var out: [[String: JSONEventBatch.Value]] = []
        try expect(UInt8(ascii: "["))
        if try close(UInt8(ascii: "]")) { return out }
        repeat {
            var item: [String: JSONEventBatch.Value] = [:]
            try expect(UInt8(ascii: "{"))
            if try !close(UInt8(ascii: "}")) {
                repeat {
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    item[key] = try scalar()
                } while try more(UInt8(ascii: "}"))
            }
            out.append(item)
        } while try more(UInt8(ascii: "]"))
        return out
    }

    private mutating func scalar() throws(Failure) -> JSONEventBatch.Value {
        skipSpace()
        guard i < b.count else { throw fail(LocalizedText("import.json.ends_early")) }
        switch b[i] {
        case UInt8(ascii: "\""): return .text(try string())
        case UInt8(ascii: "n"):
            try word("null")
            return .null
        case UInt8(ascii: "t"):
            try word("true")
            return .text("true")
        case UInt8(ascii: "f"):
            try word("false")
            return .text("false")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            while i < b.count,
                b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: ".")
                    || b[i] | 0x20 == UInt8(ascii: "e") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i])
            { i += 1 }
            return .text(String(decoding: b[start..<i], as: UTF8.self))
        default:
            throw fail(
                LocalizedText("import.json.bad_value", ["byte": "\(i)"]))
        }
    }

    private mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: b[start..<i], as: UTF8.self)
        }
        var out = Array(b[start..<i])  // an escape: the slow path
        while i < b.count, b[i] != UInt8(ascii: "\"") {
            if b[i] != UInt8(ascii: "\\") {
                out.append(b[i])
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), b[i...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) {
                    let next = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                    } else {
                        i = next  // a high surrogate alone is U+FFFD; the escape after it is read by itself
                    }
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        try expect(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail(LocalizedText("import.json.bad_unicode_escape"))
        }
        i += 4
        return v
    }

    private mutating func word(_ w: String) throws(Failure) {
        guard b[i...].starts(with: w.utf8) else {
            throw fail(LocalizedText("import.json.unexpected_text", ["byte": "\(i)"]))
        }
        i += w.utf8.count
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws(Failure) {
        skipSpace()
        guard i < b.count, b[i] == c else {
            throw fail(
                LocalizedText(
                    "import.json.expected_character", ["character": "\(Character(Unicode.Scalar(c)))", "byte": "\(i)"]))
        }
        i += 1
    }

    /// Consumes `c` if it comes next (an empty object or array).
    private mutating func close(_ c: UInt8) throws(Failure) -> Bool {
        skipSpace()
        if i < b.count, b[i] == c {
            i += 1
            return true
        }
        return false
    }

    /// After an element: true at a comma, false at the closing `c`.
    private mutating func more(_ c: UInt8) throws(Failure) -> Bool {
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: ",") {
            i += 1
            return true
        }
        try expect(c)
        return false
    }

    private func fail(_ message: LocalizedText) -> Failure { Failure(message: message) }
}
