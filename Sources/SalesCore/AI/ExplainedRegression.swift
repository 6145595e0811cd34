import Foundation

/// A logistic regression over named features that says why: each feature's effect on the log-odds
/// of one example against the average training example (a number: weight × its standardised value;
/// a category: its level's weight minus the category's mean weight over the training rows).
public struct ExplainedRegression: Sendable {
    public let encoder: FeatureEncoder
    public let regression: LogisticRegression
    /// Per category, Σ level share × weight over the training rows.
    let categoryBaselines: [Double]
    /// Which feature each column belongs to (see `FeatureEncoder.columnFeature`), kept for `explain`.
    private let columnFeature: [Int]

    /// Fits on `rows`; `lambda` nil picks the L2 strength on the latest fifth of the rows (see `chooseLambda`).
    /// `sampleWeights` make some rows count more in the fit.
    public init(
        numberNames: [String], categoryNames: [String], rows: [FeatureRow], labels: [Bool],
        sampleWeights: [Double]? = nil, lambda: Double? = nil
    ) {
        let (encoder, x) = FeatureEncoder.fit(numberNames: numberNames, categoryNames: categoryNames, rows: rows)
        self.encoder = encoder
        regression = LogisticRegression(
            x: x, labels: labels, sampleWeights: sampleWeights,
            lambda: lambda ?? Self.chooseLambda(x: x, labels: labels, sampleWeights: sampleWeights))
        let feature = encoder.columnFeature
        let numbers = numberNames.count
        columnFeature = feature
        var baselines = [Double](repeating: 0, count: categoryNames.count)
        for c in numbers..<encoder.width {
            baselines[feature[c] - numbers] += encoder.columnShares[c] * regression.weights[c]
        }
        categoryBaselines = baselines
    }

    public func probability(_ row: FeatureRow) -> Double {
        let x = encoder.encode(row)
        return regression.probability(columns: x.columns[...], values: x.values[...])
    }

    /// The probability and each feature's effect, in `numberNames + categoryNames` order.
    public func explain(_ row: FeatureRow) -> (probability: Double, effects: [Double]) {
        let x = encoder.encode(row)
        let feature = columnFeature
        let numbers = encoder.numberNames.count
        var effects = [Double](repeating: 0, count: numbers + encoder.categoryNames.count)
        for (c, v) in zip(x.columns, x.values) { effects[feature[Int(c)]] += regression.weights[Int(c)] * v }
        for j in encoder.categoryNames.indices { effects[numbers + j] -= categoryBaselines[j] }
        return (regression.probability(columns: x.columns[...], values: x.values[...]), effects)
    }

    /// The L2 strength with the lowest log loss on the latest fifth of the rows, fitted on the four
    /// fifths before (at most the latest 25 000 rows: the choice settles well before that, and it
    /// keeps training on 100 000 deals within two seconds).
    static func chooseLambda(x: DesignMatrix, labels: [Bool], sampleWeights: [Double]?) -> Double {
        let first = max(0, labels.count - 25_000)
        let n = labels.count - first
        let split = first + n * 4 / 5
        let trainX = x.rows(first..<split)
        let testX = x.rows(split..<labels.count)
        let trainY = Array(labels[first..<split])
        let testY = Array(labels[split...])
        let trainWeights = sampleWeights.map { Array($0[first..<split]) }
        var best = (lambda: 1.0, loss: Double.infinity)
        var start: [Double]?
        for lambda in [1000, 300, 100, 30, 10, 3, 1, 0.3, 0.1] {  // strongest first: each fit warm-starts the next
            let fit = LogisticRegression(
                x: trainX, labels: trainY, sampleWeights: trainWeights, lambda: lambda, start: start)
            start = [fit.intercept] + fit.weights
            let loss = ClassifierMetrics(probabilities: fit.probabilities(testX), outcomes: testY).logLoss
            if loss < best.loss { best = (lambda, loss) }
        }
        return best.lambda
    }

    /// The coefficient of each column, named `feature` or `feature=level`.
    public var coefficients: [(name: String, weight: Double)] {
        var names = encoder.numberNames
        for (j, levels) in encoder.levels.enumerated() { names += levels.map { "\(encoder.categoryNames[j])=\($0)" } }
        return [("intercept", regression.intercept)] + zip(names, regression.weights).map { ($0, $1) }
    }
}
