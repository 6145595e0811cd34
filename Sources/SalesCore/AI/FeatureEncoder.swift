import Foundation

/// One example before encoding: named numbers and named categories.
public struct FeatureRow: Sendable {
    public var numbers: [Double]
    public var categories: [String]
    public init(numbers: [Double], categories: [String]) { self.numbers = numbers; self.categories = categories }
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
    public private(set) var width = 0

    public static let otherLevel = "(other)"

    public init(numberNames: [String], categoryNames: [String], fit rows: [FeatureRow], minLevelCount: Int = 10) {
        self.numberNames = numberNames; self.categoryNames = categoryNames
        let n = Double(max(1, rows.count))
        for j in numberNames.indices {
            let mean = rows.reduce(0) { $0 + $1.numbers[j] } / n
            let variance = rows.reduce(0) { $0 + ($1.numbers[j] - mean) * ($1.numbers[j] - mean) } / n
            means.append(mean); scales.append(variance > 1e-12 ? variance.squareRoot() : 1)
        }
        width = numberNames.count
        for j in categoryNames.indices {
            var counts: [String: Int] = [:]
            for r in rows { counts[r.categories[j], default: 0] += 1 }
            let kept = counts.filter { $0.value >= minLevelCount }.keys.sorted() + [Self.otherLevel]
            levels.append(kept)
            levelIndex.append(Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) }))
            offsets.append(width)
            width += kept.count
        }
    }

    /// Appends the row's columns to `out`.
    public func encode(_ row: FeatureRow, into out: inout [Double]) {
        for j in numberNames.indices { out.append((row.numbers[j] - means[j]) / scales[j]) }
        for j in categoryNames.indices {
            let hot = levelIndex[j][row.categories[j]] ?? levels[j].count - 1
            for k in 0..<levels[j].count { out.append(k == hot ? 1 : 0) }
        }
    }

    public func encode(_ rows: [FeatureRow]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(rows.count * width)
        for r in rows { encode(r, into: &out) }
        return out
    }

    /// Which feature (number or category) each column belongs to.
    public var columnFeature: [Int] {
        var out = Array(numberNames.indices)
        for j in categoryNames.indices { out += Array(repeating: numberNames.count + j, count: levels[j].count) }
        return out
    }
}
