import Foundation

/// How good predicted probabilities are against what happened.
public struct ClassifierMetrics: Sendable, Codable, Equatable {
    /// Area under the ROC curve: the chance a random won deal scores above a random lost one (ties ½).
    public var auc: Double
    /// Mean squared error of the probability.
    public var brier: Double
    /// Mean negative log-likelihood (probabilities clipped to [1e-15, 1 − 1e-15]).
    public var logLoss: Double
    /// Expected calibration error over ten equal-width bins: Σ (bin share) × |mean predicted − observed rate|.
    public var ece: Double
    public var count: Int

    enum CodingKeys: String, CodingKey { case auc, brier, logLoss, ece, count }

    /// An AUC with one outcome missing (or no deals at all) is not a number: JSON gets null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(auc.isNaN ? nil : auc, forKey: .auc)
        try c.encode(brier.isNaN ? nil : brier, forKey: .brier)
        try c.encode(logLoss.isNaN ? nil : logLoss, forKey: .logLoss)
        try c.encode(ece.isNaN ? nil : ece, forKey: .ece)
        try c.encode(count, forKey: .count)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        auc = try c.decodeIfPresent(Double.self, forKey: .auc) ?? .nan
        brier = try c.decodeIfPresent(Double.self, forKey: .brier) ?? .nan
        logLoss = try c.decodeIfPresent(Double.self, forKey: .logLoss) ?? .nan
        ece = try c.decodeIfPresent(Double.self, forKey: .ece) ?? .nan
        count = try c.decode(Int.self, forKey: .count)
    }

    public init(probabilities p: [Double], outcomes y: [Bool]) {
        precondition(p.count == y.count)
        count = p.count
        let n = Double(max(p.count, 1))
        brier = zip(p, y).reduce(0) { $0 + ($1.0 - ($1.1 ? 1 : 0)) * ($1.0 - ($1.1 ? 1 : 0)) } / n
        logLoss =
            zip(p, y).reduce(0) { s, e in
                let q = min(max(e.0, 1e-15), 1 - 1e-15)
                return s - (e.1 ? log(q) : log(1 - q))
            } / n
        ece = Self.reliability(probabilities: p, outcomes: y).reduce(0) {
            $0 + Double($1.count) / n * abs($1.predicted - $1.observed)
        }
        auc = Self.auc(p, y)
    }

    /// Mann–Whitney U over ranks, ties given their average rank.
    static func auc(_ p: [Double], _ y: [Bool]) -> Double {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var rankSumPositive = 0.0
        var positives = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && p[order[j + 1]] == p[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where y[order[k]] {
                rankSumPositive += averageRank
                positives += 1
            }
            i = j + 1
        }
        let negatives = Double(p.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (rankSumPositive - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// One bin of a reliability curve.
    public struct Bin: Sendable, Codable, Equatable {
        public var lower: Double
        public var count: Int
        public var predicted: Double
        public var observed: Double
    }

    /// Predicted against observed win rate in ten equal-width bins (empty bins left out).
    public static func reliability(probabilities p: [Double], outcomes y: [Bool], bins: Int = 10) -> [Bin] {
        var sums = [(count: Int, predicted: Double, won: Double)](repeating: (0, 0, 0), count: bins)
        for (q, outcome) in zip(p, y) {
            let b = min(bins - 1, max(0, Int(q * Double(bins))))
            sums[b].count += 1
            sums[b].predicted += q
            sums[b].won += outcome ? 1 : 0
        }
        return sums.enumerated().compactMap { i, s in
            s.count == 0
                ? nil
                : Bin(
                    lower: Double(i) / Double(bins), count: s.count, predicted: s.predicted / Double(s.count),
                    observed: s.won / Double(s.count))
        }
    }
}
