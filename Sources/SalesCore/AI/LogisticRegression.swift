import Foundation

/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
/// squares): a handful of iterations, each one pass over the data building the Hessian, then a
/// Cholesky solve. With a few dozen columns this is exact and fast, and its coefficients explain
/// each prediction. The intercept is not penalised.
public struct LogisticRegression: Sendable {
    public internal(set) var intercept: Double = 0
    public internal(set) var weights: [Double]
    public let lambda: Double

    /// `x` holds one row per label. `sampleWeights` (default 1 each) make some rows count more.
    /// `start` (intercept first) warm-starts the fit, e.g. from a neighbouring `lambda`.
    public init(
        x: DesignMatrix, labels: [Bool], sampleWeights: [Double]? = nil, lambda: Double = 1, start: [Double]? = nil,
        maxIterations: Int = 25
    ) {
        precondition(x.rows == labels.count && (sampleWeights?.count ?? labels.count) == labels.count)
        self.lambda = lambda
        let n = labels.count
        let d = x.width + 1  // column 0 is the intercept
        var beta = [Double](repeating: 0, count: d)
        if let start, start.count == d {
            beta = start
        } else {
            let weights = sampleWeights ?? Array(repeating: 1, count: n)
            let positives = zip(labels, weights).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
            let base = min(max(positives / max(weights.reduce(0, +), 1e-12), 1e-6), 1 - 1e-6)
            beta[0] = log(base / (1 - base))
        }
        // Rows are split into chunks that build their own Hessian and gradient on their own core.
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, n / 4_096))
        var sums = [Double](repeating: 0, count: chunks * (d * d + d + 1))
        var previousLoss = Double.infinity
        for _ in 0..<maxIterations {
            Self.accumulate(x, labels, sampleWeights, beta, into: &sums, chunks: chunks)
            // Chunk 0's slots now hold the totals: the Hessian, the gradient, the loss.
            var hessian = Array(sums[0..<(d * d)])
            var gradient = Array(sums[(d * d)..<(d * d + d)])
            var loss = sums[d * d + d]
            for j in 1..<d {
                gradient[j] += lambda * beta[j]
                hessian[j * d + j] += lambda
                loss += 0.5 * lambda * beta[j] * beta[j]
            }
            // A row adds each pair of its entries once, above or below the diagonal: fold them together.
            for j in 0..<d {
                for k in (j + 1)..<d {
                    let both = hessian[j * d + k] + hessian[k * d + j]
                    hessian[j * d + k] = both
                    hessian[k * d + j] = both
                }
            }
            guard let step = Self.solve(hessian, gradient, d) else { break }
            for j in 0..<d { beta[j] -= step[j] }
            if abs(previousLoss - loss) < 1e-9 * max(1, abs(loss)) { break }
            previousLoss = loss
        }
        intercept = beta[0]
        weights = Array(beta[1...])
    }

    /// A dense row-major `x` of `width` columns.
    public init(x: [Double], width: Int, labels: [Bool], lambda: Double = 1) {
        self.init(x: DesignMatrix(dense: x, width: width), labels: labels, lambda: lambda)
    }

    /// One Newton step's sums over the rows — Hessian (d × d, each entry pair once), gradient, loss —
    /// per chunk of rows in parallel, added up into chunk 0's slots. The hot loop: pointers, no bounds checks.
    private static func accumulate(
        _ x: DesignMatrix, _ labels: [Bool], _ sampleWeights: [Double]?, _ beta: [Double],
        into sums: inout [Double], chunks: Int
    ) {
        let n = labels.count
        let d = x.width + 1
        let k = x.entriesPerRow
        let slot = d * d + d + 1
        let weights = sampleWeights ?? []
        sums.withUnsafeMutableBufferPointer { sb in
            x.columns.withUnsafeBufferPointer { cb in
                x.values.withUnsafeBufferPointer { vb in
                    labels.withUnsafeBufferPointer { yb in
                        weights.withUnsafeBufferPointer { wb in
                            beta.withUnsafeBufferPointer { bb in
                                let all = sb.baseAddress!
                                let beta = bb.baseAddress!
                                all.update(repeating: 0, count: sb.count)
                                concurrently(chunks) { chunk in
                                    let h = all + chunk * slot
                                    let g = h + d * d
                                    var loss = 0.0
                                    for r in (n * chunk / chunks)..<(n * (chunk + 1) / chunks) {
                                        let c = cb.baseAddress! + r * k
                                        let v = vb.baseAddress! + r * k
                                        var z = beta[0]
                                        for a in 0..<k { z += beta[Int(c[a]) + 1] * v[a] }
                                        let p = 1 / (1 + exp(-z))
                                        let won = yb[r]
                                        let s = wb.isEmpty ? 1 : wb[r]
                                        loss -= s * (won ? log(max(p, 1e-15)) : log(max(1 - p, 1e-15)))
                                        let residual = s * (p - (won ? 1 : 0))
                                        let w = s * max(p * (1 - p), 1e-10)
                                        g[0] += residual
                                        h[0] += w
                                        for a in 0..<k {
                                            let j = Int(c[a]) + 1
                                            let xj = v[a]
                                            guard xj != 0 else { continue }
                                            g[j] += residual * xj
                                            let wx = w * xj
                                            h[j] += wx
                                            let hr = h + j * d + 1
                                            for b in a..<k { hr[Int(c[b])] += wx * v[b] }
                                        }
                                    }
                                    h[d * d + d] = loss
                                }
                                for chunk in 1..<chunks {
                                    let from = all + chunk * slot
                                    for i in 0..<slot { all[i] += from[i] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The log-odds of one encoded row.
    public func logit(columns: ArraySlice<Int32>, values: ArraySlice<Double>) -> Double {
        var z = intercept
        for (c, v) in zip(columns, values) { z += weights[Int(c)] * v }
        return z
    }

    /// The probability of one encoded row.
    public func probability(columns: ArraySlice<Int32>, values: ArraySlice<Double>) -> Double {
        1 / (1 + exp(-logit(columns: columns, values: values)))
    }

    public func probabilities(_ x: DesignMatrix) -> [Double] {
        (0..<x.rows).map { r in
            let (c, v) = x.row(r)
            return probability(columns: c, values: v)
        }
    }

    /// Solves `a · s = b` for a symmetric positive definite `a` (Cholesky); nil if it is not.
    static func solve(_ a: [Double], _ b: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j]
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
        var y = b
        for i in 0..<d {
            for k in 0..<i { y[i] -= l[i * d + k] * y[k] }
            y[i] /= l[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<d { y[i] -= l[k * d + i] * y[k] }
            y[i] /= l[i * d + i]
        }
        return y
    }
}
