import Foundation

/// Rows of features that are on or off, each row the columns that are on, all of one value: a bag of words and
/// flags. `normalised`: a row's value is 1/√(its columns), so that a one-word answer ("Sure.") weighs as
/// much as a long one, not less for having fewer words.
public struct BinaryRows: Sendable {
    public private(set) var columns: [Int32] = []
    /// Row r's columns are `columns[offsets[r]..<offsets[r + 1]]`.
    public private(set) var offsets: [Int] = [0]
    public let normalised: Bool
    public var count: Int { offsets.count - 1 }

    public init(normalised: Bool = false) { self.normalised = normalised }

    public mutating func append<S: Sequence>(_ row: S) where S.Element == Int32 {
        columns.append(contentsOf: row)
        offsets.append(columns.count)
    }

    public func row(_ r: Int) -> ArraySlice<Int32> { columns[offsets[r]..<offsets[r + 1]] }
    /// The value of row r's columns.
    public func value(_ r: Int) -> Double { Self.value(count: offsets[r + 1] - offsets[r], normalised: normalised) }

    public static func value(count: Int, normalised: Bool) -> Double {
        normalised ? 1 / Double(max(1, count)).squareRoot() : 1
    }
}

extension LogisticRegression {
    /// Fits thousands of 0/1 columns — too many for Newton's d × d Hessian — by limited-memory BFGS on the
    /// same penalised log-loss (the intercept not penalised). Deterministic: the same rows give the same weights.
    public init(rows: BinaryRows, width: Int, labels: [Bool], lambda: Double = 1, maxIterations: Int = 300) {
        precondition(rows.count == labels.count)
        let d = width + 1
        let positives = Double(labels.filter { $0 }.count)
        let base = min(max(positives / Double(max(1, labels.count)), 1e-6), 1 - 1e-6)
        var beta = [Double](repeating: 0, count: d)
        beta[0] = log(base / (1 - base))

        /// The loss and its gradient at `b`.
        func evaluate(_ b: [Double]) -> (Double, [Double]) {
            var g = [Double](repeating: 0, count: d)
            var loss = 0.0
            for r in 0..<rows.count {
                let v = rows.value(r)
                var z = 0.0
                for c in rows.row(r) { z += b[Int(c) + 1] }
                z = b[0] + v * z
                // log(1 + e^z) without overflow.
                let softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
                loss += softplus - (labels[r] ? z : 0)
                let residual = 1 / (1 + exp(-z)) - (labels[r] ? 1 : 0)
                g[0] += residual
                for c in rows.row(r) { g[Int(c) + 1] += residual * v }
            }
            for j in 1..<d {
                loss += 0.5 * lambda * b[j] * b[j]
                g[j] += lambda * b[j]
            }
            return (loss, g)
        }

        let memory = 8
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var rhos: [Double] = []
        var (loss, gradient) = evaluate(beta)
        for _ in 0..<maxIterations {
            // The two-loop recursion: the direction −H·g from the last `memory` steps.
            var q = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for i in steps.indices.reversed() {
                alphas[i] = rhos[i] * dot(steps[i], q)
                for j in 0..<d { q[j] -= alphas[i] * changes[i][j] }
            }
            if let s = steps.last, let y = changes.last {
                let scale = dot(s, y) / max(dot(y, y), 1e-300)
                for j in 0..<d { q[j] *= scale }
            } else {
                let norm = max(dot(q, q).squareRoot(), 1e-300)
                for j in 0..<d { q[j] /= norm }
            }
            for i in steps.indices {
                let b = rhos[i] * dot(changes[i], q)
                for j in 0..<d { q[j] += steps[i][j] * (alphas[i] - b) }
            }
            let slope = -dot(gradient, q)
            guard slope < 0 else { break }
            // Backtracking until the loss falls enough (Armijo).
            var t = 1.0
            var next = beta
            var nextLoss = loss
            var nextGradient = gradient
            var accepted = false
            for _ in 0..<40 {
                for j in 0..<d { next[j] = beta[j] - t * q[j] }
                (nextLoss, nextGradient) = evaluate(next)
                if nextLoss <= loss + 1e-4 * t * slope {
                    accepted = true
                    break
                }
                t /= 2
            }
            guard accepted else { break }
            let s = zip(next, beta).map { $0 - $1 }
            let y = zip(nextGradient, gradient).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 {
                steps.append(s)
                changes.append(y)
                rhos.append(1 / sy)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    rhos.removeFirst()
                }
            }
            let done = abs(loss - nextLoss) < 1e-10 * max(1, abs(loss))
            beta = next
            loss = nextLoss
            gradient = nextGradient
            if done || dot(gradient, gradient).squareRoot() < 1e-6 { break }
        }
        self.init(intercept: beta[0], weights: Array(beta[1...]), lambda: lambda)
    }

    /// A fitted model as a file holds it.
    public init(intercept: Double, weights: [Double], lambda: Double) {
        self.intercept = intercept
        self.weights = weights
        self.lambda = lambda
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}
