import Foundation
import SalesCore

/// A batch of CRM events as JSON, the body of `POST /api/v1/events`: `{"events": [item, …]}` where
/// each item is `{"event": "activity", "external_id": "…", …}`: what it records, then the canonical
/// bundle's columns as keys (docs/data-format.md). Every item is checked by the same rules as a CSV row; problems name
/// the item as `events[3]`.
public enum JSONEventBatch {
    /// The batch's items in order, each a record or why it is not one.
    public static func read(_ data: Data, calendar: CompanyCalendar) -> Result<[Importer.Item], ImportFailure> {
        struct Body: Decodable { var events: [[String: Value]] }
        let items: [[String: Value]]
        do {
            items = try JSONDecoder().decode(Body.self, from: data).events
        } catch {
            return .failure(ImportFailure(issues: [ImportIssue(file: "request", line: 0, .init(
                en: "the body is not a JSON object {\"events\": [{\"event\": …, \"external_id\": …, …}]}",
                ru: "тело запроса — не JSON-объект {\"events\": [{\"event\": …, \"external_id\": …, …}]}"))]))
        }
        let format = ValueFormat(calendar: calendar)
        let kinds = EventKind.allCases.map(\.rawValue).joined(separator: ", ")
        return .success(items.enumerated().map { index, item in
            let place = "events[\(index)]"
            guard case .text(let name)? = item["event"], let kind = EventKind(rawValue: name) else {
                return (place, 0, .failure(ImportFailure(issues: [ImportIssue(file: place, line: 0, field: "event", .init(
                    en: "'event' must be one of: \(kinds)", ru: "«event» должно быть одним из: \(kinds)"))])))
            }
            let keys = item.keys.filter { $0 != "event" }
            var row = RowReader(file: place, line: 0, fields: keys.map { item[$0]!.text },
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

    /// A JSON scalar read as the text a CSV cell would hold.
    enum Value: Decodable {
        case text(String), null
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .text(b ? "true" : "false") }
            else if let i = try? c.decode(Int64.self) { self = .text(String(i)) }
            else if let d = try? c.decode(Double.self) { self = .text(String(d)) }
            else { self = .text(try c.decode(String.self)) }
        }
        var text: String { if case .text(let t) = self { t } else { "" } }
    }
}
