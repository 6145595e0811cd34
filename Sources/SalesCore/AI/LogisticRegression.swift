import Foundation

/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
/// squares): a handful of iterations, each one pass over the data building the Hessian, then a
/// Cholesky solve. With a few dozen columns this is exact and fast, and its coefficients explain
/// each prediction. The intercept is not penalised.
public struct LogisticRegression: Sendable {
    public private(set) var intercept: Double = 0
    public private(set) var weights: [Double]
    public let lambda: Double

    /// `x` is row-major, `labels.count` rows of `width` columns.
    /// `start` (intercept first) warm-starts the fit, e.g. from a neighbouring `lambda`.
    public init(x: [Double], width: Int, labels: [Bool], lambda: Double = 1, start: [Double]? = nil, maxIterations: Int = 25) {
        self.lambda = lambda
        let n = labels.count, d = width + 1  // column 0 is the intercept
        var beta = [Double](repeating: 0, count: d)
        if let start, start.count == d {
            beta = start
        } else {
            let positives = Double(labels.filter { $0 }.count)
            let base = min(max(positives / Double(max(n, 1)), 1e-6), 1 - 1e-6)
            beta[0] = log(base / (1 - base))
        }
        var hessian = [Double](repeating: 0, count: d * d)
        var gradient = [Double](repeating: 0, count: d)
        var previousLoss = Double.infinity
        let nonZero = UnsafeMutablePointer<Int>.allocate(capacity: max(1, width))
        defer { nonZero.deallocate() }
        for _ in 0..<maxIterations {
            var loss = 0.0
            // The hot loop: pointers, no bounds checks; one-hot columns are mostly zero, so each
            // row works on its non-zero columns only (Hessian upper triangle, mirrored below).
            x.withUnsafeBufferPointer { xs in
                hessian.withUnsafeMutableBufferPointer { hb in
                    gradient.withUnsafeMutableBufferPointer { gb in
                        beta.withUnsafeBufferPointer { bb in
                            labels.withUnsafeBufferPointer { yb in
                                let h = hb.baseAddress!, g = gb.baseAddress!, beta = bb.baseAddress!
                                h.update(repeating: 0, count: d * d)
                                g.update(repeating: 0, count: d)
                                for r in 0..<n {
                                    let row = xs.baseAddress! + r * width
                                    var nz = 0
                                    var z = beta[0]
                                    for j in 0..<width where row[j] != 0 { nonZero[nz] = j; nz += 1; z += beta[j + 1] * row[j] }
                                    let p = 1 / (1 + exp(-z))
                                    let won = yb[r]
                                    loss -= won ? log(max(p, 1e-15)) : log(max(1 - p, 1e-15))
                                    let residual = p - (won ? 1 : 0), w = max(p * (1 - p), 1e-10)
                                    g[0] += residual
                                    h[0] += w
                                    for a in 0..<nz {
                                        let j = nonZero[a], xj = row[j]
                                        g[j + 1] += residual * xj
                                        let wx = w * xj
                                        h[j + 1] += wx
                                        let hr = h + (j + 1) * d + 1
                                        for b in a..<nz { let k = nonZero[b]; hr[k] += wx * row[k] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for j in 1..<d {
                gradient[j] += lambda * beta[j]
                hessian[j * d + j] += lambda
                loss += 0.5 * lambda * beta[j] * beta[j]
                hessian[j * d] = hessian[j]
                for k in (j + 1)..<d { hessian[k * d + j] = hessian[j * d + k] }
            }
            guard let step = Self.solve(hessian, gradient, d) else { break }
            for j in 0..<d { beta[j] -= step[j] }
            if abs(previousLoss - loss) < 1e-9 * max(1, abs(loss)) { break }
            previousLoss = loss
        }
        intercept = beta[0]
        weights = Array(beta[1...])
    }

    public func logit(_ row: UnsafeBufferPointer<Double>) -> Double {
        var z = intercept
        for j in 0..<weights.count { z += weights[j] * row[j] }
        return z
    }

    public func probability(_ row: [Double]) -> Double { row.withUnsafeBufferPointer { 1 / (1 + exp(-logit($0))) } }

    public func probabilities(_ x: [Double], width: Int) -> [Double] {
        x.withUnsafeBufferPointer { xs in
            (0..<(width == 0 ? 0 : xs.count / width)).map { r in
                1 / (1 + exp(-logit(UnsafeBufferPointer(rebasing: xs[(r * width)..<((r + 1) * width)]))))
            }
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
