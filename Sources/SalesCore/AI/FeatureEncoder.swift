import Foundation

/// One example before encoding: named numbers and named categories.
public struct FeatureRow: Sendable {
    public var numbers: [Double]
    public var categories: [String]
    public init(numbers: [Double], categories: [String]) {
        self.numbers = numbers
        self.categories = categories
    }
}

/// Turns rows into the columns a linear model uses: numbers standardised (mean 0, sd 1) and each
/// category one-hot over the levels seen often enough in training (rarer ones share "other"), so a
/// coefficient reads as "one standard deviation more" or "this level instead of the average".
public struct FeatureEncoder: Sendable {
    public let numberNames: [String]
    public let categoryNames: [String]
    public private(set) var means: [Double] = []
    public private(set) var scales: [Double] = []
    /// Per category: its levels in column order (the last is "other").
    public private(set) var levels: [[String]] = []
    private var levelIndex: [[String: Int]] = []
    /// Column offset of each category's first level.
    private var offsets: [Int] = []
    /// Per category column: the share of the training rows at that level (0 for numbers).
    public private(set) var columnShares: [Double] = []
    public private(set) var width = 0

    public static let otherLevel = "(other)"

    public init(numberNames: [String], categoryNames: [String], fit rows: [FeatureRow], minLevelCount: Int = 10) {
        self =
            Self.fit(numberNames: numberNames, categoryNames: categoryNames, rows: rows, minLevelCount: minLevelCount)
            .encoder
    }

    private init(numberNames: [String], categoryNames: [String]) {
        self.numberNames = numberNames
        self.categoryNames = categoryNames
    }

    /// Fits the encoder and encodes the training rows in the same pass over their categories: each
    /// value is hashed once (Cyrillic strings hash slowly: Swift normalises them first).
    public static func fit(numberNames: [String], categoryNames: [String], rows: [FeatureRow], minLevelCount: Int = 10)
        -> (encoder: FeatureEncoder, x: DesignMatrix)
    {
        var e = FeatureEncoder(numberNames: numberNames, categoryNames: categoryNames)
        let n = Double(max(1, rows.count))
        var sums = [Double](repeating: 0, count: numberNames.count)
        var squares = sums
        for r in rows {
            for j in numberNames.indices {
                sums[j] += r.numbers[j]
                squares[j] += r.numbers[j] * r.numbers[j]
            }
        }
        for j in numberNames.indices {
            let mean = sums[j] / n
            let variance = max(0, squares[j] / n - mean * mean)
            e.means.append(mean)
            e.scales.append(variance > 1e-12 ? variance.squareRoot() : 1)
        }
        e.width = numberNames.count
        e.columnShares = Array(repeating: 0, count: numberNames.count)
        // Per category: each row's value as a code, then the kept levels' columns by code.
        var columnOfCode: [[Int]] = []
        var rowCodes: [[Int]] = []
        for j in categoryNames.indices {
            var codeOf: [String: Int] = [:]
            var values: [String] = []
            var counts: [Int] = []
            var codes = [Int](repeating: 0, count: rows.count)
            for (i, r) in rows.enumerated() {
                let v = r.categories[j]
                let code: Int
                if let c = codeOf[v] {
                    code = c
                } else {
                    code = values.count
                    codeOf[v] = code
                    values.append(v)
                    counts.append(0)
                }
                counts[code] += 1
                codes[i] = code
            }
            let kept = values.indices.filter { counts[$0] >= minLevelCount }.sorted { values[$0] < values[$1] }
            let levels = kept.map { values[$0] } + [Self.otherLevel]
            var column = [Int](repeating: levels.count - 1, count: values.count)
            for (k, code) in kept.enumerated() { column[code] = k }
            var shares = [Double](repeating: 0, count: levels.count)
            for (code, count) in counts.enumerated() { shares[column[code]] += Double(count) / n }
            e.columnShares += shares
            e.levels.append(levels)
            e.levelIndex.append(Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) }))
            e.offsets.append(e.width)
            e.width += levels.count
            columnOfCode.append(column)
            rowCodes.append(codes)
        }
        let k = e.entriesPerRow
        var columns = [Int32](repeating: 0, count: rows.count * k)
        var values = [Double](repeating: 1, count: rows.count * k)
        for (i, r) in rows.enumerated() {
            let base = i * k
            for j in numberNames.indices {
                columns[base + j] = Int32(j)
                values[base + j] = (r.numbers[j] - e.means[j]) / e.scales[j]
            }
            for j in categoryNames.indices {
                columns[base + numberNames.count + j] = Int32(e.offsets[j] + columnOfCode[j][rowCodes[j][i]])
            }
        }
        return (e, DesignMatrix(width: e.width, entriesPerRow: k, columns: columns, values: values))
    }

    /// Stored entries per encoded row: one per number and one per category.
    var entriesPerRow: Int { numberNames.count + categoryNames.count }

    /// One row's entries: the standardised numbers, then a 1 at each category's level column.
    public func encode(_ row: FeatureRow) -> (columns: [Int32], values: [Double]) {
        var columns = numberNames.indices.map(Int32.init)
        var values = numberNames.indices.map { (row.numbers[$0] - means[$0]) / scales[$0] }
        for j in categoryNames.indices {
            columns.append(Int32(offsets[j] + (levelIndex[j][row.categories[j]] ?? levels[j].count - 1)))
            values.append(1)
        }
        return (columns, values)
    }

    /// Which feature (number or category) each column belongs to.
    public var columnFeature: [Int] {
        var out = Array(numberNames.indices)
        for j in categoryNames.indices { out += Array(repeating: numberNames.count + j, count: levels[j].count) }
        return out
    }
}
