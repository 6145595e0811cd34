import SalesCore

/// A field of a canonical CSV file (`docs/data-format.md`): its name and whether a row must fill it.
package struct CSVField: Sendable, Equatable {
    package let name: String
    package let required: Bool
}

/// A column of a record kind's table after `id, source, external_id`, and the CSV field it is imported from.
package struct RecordColumn: Sendable {
    package let name: String
    /// Nil for a column the canonical CSV does not carry (measured, or filled from another field).
    package let csv: CSVField?

    /// A column a CSV row must fill, under `csv` (by default the column's own name).
    package static func required(_ name: String, csv: String? = nil) -> Self {
        Self(name: name, csv: CSVField(name: csv ?? name, required: true))
    }
    /// A column a CSV row may leave empty, under `csv` (by default the column's own name).
    package static func optional(_ name: String, csv: String? = nil) -> Self {
        Self(name: name, csv: CSVField(name: csv ?? name, required: false))
    }
    /// A column the canonical CSV does not carry.
    package static func storeOnly(_ name: String) -> Self { Self(name: name, csv: nil) }
}

/// One record kind's schema, declared once: its table, its columns in bind and decode order with the CSV
/// fields they are imported from, and how a record is bound and decoded. The DDL stays in the numbered
/// migrations (`EventSchema.migrations`): they are history, and a new column is a new migration.
package protocol RecordSchema {
    associatedtype Record
    static var tableName: String { get }
    /// The columns after `id, source, external_id`, in the order `values(of:)` and `decode` use.
    static var columns: [RecordColumn] { get }
    /// The CSV fields after `external_id`, in file order: by default the required ones, then the optional
    /// ones, each in column order.
    static var csvFields: [CSVField] { get }
    /// The values of `columns`, in order.
    static func values(of record: Record) -> [SQLValue]
    /// Rebuilds a record from `id, external_id, <columns>`: its own columns start at index 2.
    /// References carry store ids only: the engine needs nothing else, and skipping the look-ups keeps
    /// replay fast.
    static func decode<Row: ColumnReader>(_ row: Row, externalID: String) -> Record
    static func event(_ record: Record) -> SalesEvent
    /// The record `event` carries, if it is of this kind.
    static func record(in event: SalesEvent) -> Record?
}

extension RecordSchema {
    package static var csvFields: [CSVField] { csvFieldsInColumnOrder }
    package static var csvFieldsInColumnOrder: [CSVField] {
        let fields = columns.compactMap(\.csv)
        return fields.filter(\.required) + fields.filter { !$0.required }
    }
    package static var columnNames: [String] { columns.map(\.name) }

    static func values(ofEvent event: SalesEvent) -> [SQLValue] { record(in: event).map(values(of:)) ?? [] }
    static func decodeEvent<Row: ColumnReader>(_ row: Row) -> SalesEvent {
        var event = event(decode(row, externalID: row.text(1)))
        event.setID(row.int(0))
        return event
    }
}

/// Work done with the schema of a kind chosen at run time, called with its concrete type so that the
/// per-row paths (bind, decode) are specialised as a `switch` over the kinds would be.
package protocol RecordSchemaVisitor {
    associatedtype Result
    func visit<Schema: RecordSchema>(_ schema: Schema.Type) -> Result
}

extension OriginalAmount {
    /// The `currency` column at `i` and `original_amount` after it; nil for an amount in the company currency.
    package static func decode<Row: ColumnReader>(_ row: Row, currency i: Int32) -> OriginalAmount? {
        guard let currency = row.optText(i), let amount = row.optInt(i + 1) else { return nil }
        return OriginalAmount(currency: currency, amount: amount)
    }
}
