import Foundation

/// Encoded examples for a linear model, kept sparse: every row has the same number of stored
/// entries — its standardised numbers, then one 1 per category at its level's column — so a row of
/// 12 numbers and 7 categories over 148 columns stores 19 entries, not 148.
public struct DesignMatrix: Sendable {
    /// Columns of the full matrix.
    public let width: Int
    /// Stored entries per row.
    public let entriesPerRow: Int
    /// Row after row: each entry's column and value.
    public internal(set) var columns: [Int32]
    public internal(set) var values: [Double]

    public var rows: Int { entriesPerRow == 0 ? 0 : columns.count / entriesPerRow }

    public init(width: Int, entriesPerRow: Int, columns: [Int32], values: [Double]) {
        precondition(columns.count == values.count && (entriesPerRow == 0 || columns.count % entriesPerRow == 0))
        self.width = width
        self.entriesPerRow = entriesPerRow
        self.columns = columns
        self.values = values
    }

    /// A dense row-major matrix, every column stored.
    public init(dense x: [Double], width: Int) {
        let rows = width == 0 ? 0 : x.count / width
        self.init(
            width: width, entriesPerRow: width,
            columns: (0..<rows).flatMap { _ in (0..<width).map(Int32.init) }, values: x)
    }

    /// The rows in `range`, as a matrix of their own.
    public func rows(_ range: Range<Int>) -> DesignMatrix {
        let k = entriesPerRow
        return DesignMatrix(
            width: width, entriesPerRow: k, columns: Array(columns[(range.lowerBound * k)..<(range.upperBound * k)]),
            values: Array(values[(range.lowerBound * k)..<(range.upperBound * k)]))
    }

    /// Row `r`'s entries.
    public func row(_ r: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Double>) {
        let range = (r * entriesPerRow)..<((r + 1) * entriesPerRow)
        return (columns[range], values[range])
    }
}
