import Foundation

/// Finds, for each person, the funnel step where they lag the rest of their team — a lower
/// conversion, or a longer time in a stage — and only where a one-sided test says the gap is
/// unlikely to be chance (p < `significance`), so three unlucky deals are not called a problem, and
/// where it matters: at least 5 percentage points, or 20 % more days.
///
/// Conversions: two-proportion z-test of the person against the pooled rest of the team.
/// Durations: Welch's t-test on days in the stage (normal approximation, at least 5 of each).
public struct FunnelBottleneckFinder {
    public let engine: SalesEngine
    public let history: DealHistory
    public var significance = 0.05

    public init(engine: SalesEngine, history: DealHistory) {
        self.engine = engine
        self.history = history
    }

    public struct Finding: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable { case conversion, duration }
        public var rep: Int64
        public var kind: Kind
        /// The step's index in `Funnel.measures(for:)` (a conversion into it), or the stage (a duration in it).
        public var step: Int
        public var stepName: LocalizedText
        /// The person's value and the rest of the team's: conversion % or mean days.
        public var value: Double
        public var team: Double
        /// Deals (or leads) entering the step, for the person.
        public var count: Int
        public var teamCount: Int
        public var pValue: Double
        /// Deals a conversion gap cost in the period: (team rate − person's rate) × those entering.
        public var shortfall: Double
    }

    /// Every significant lag of the person in the period, the worst (lowest p-value) first.
    public func findings(rep: Int64, period: Period) -> [Finding] {
        guard let info = engine.reps[rep], let team = info.teamID else { return [] }
        let others = engine.members(of: .team(team)).filter { $0 != rep && engine.reps[$0]?.role == info.role }
        guard !others.isEmpty else { return [] }
        var out: [Finding] = []
        let steps = Funnel.measures(for: info.role)
        let mine = engine.measures(.rep(rep), in: period)
        var rest = MeasureVector()
        for o in others { rest += engine.measures(.rep(o), in: period) }
        for i in 1..<steps.count {
            let n1 = Double(mine[steps[i - 1].0])
            let x1 = Double(mine[steps[i].0])
            let n2 = Double(rest[steps[i - 1].0])
            let x2 = Double(rest[steps[i].0])
            guard n1 > 0, n2 > 0 else { continue }
            let p1 = x1 / n1
            let p2 = x2 / n2
            let pooled = (x1 + x2) / (n1 + n2)
            let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
            guard p2 - p1 >= 0.05, se > 0 else { continue }
            let p = Self.normalUpperTail((p2 - p1) / se)
            if p < significance {
                out.append(
                    Finding(
                        rep: rep, kind: .conversion, step: i, stepName: steps[i].1, value: p1 * 100, team: p2 * 100,
                        count: Int(n1), teamCount: Int(n2), pValue: p, shortfall: (p2 - p1) * n1))
            }
        }
        if info.role != .sdr { out += durationFindings(rep: rep, others: Set(others), period: period) }
        return out.sorted { $0.pValue < $1.pValue }
    }

    /// The most significant lag, if any: the person's bottleneck.
    public func bottleneck(rep: Int64, period: Period) -> Finding? { findings(rep: rep, period: period).first }

    static let timedStages: [DealStage] = [.contacted, .meeting, .proposal, .contract]

    /// Days spent in each stage by the deals that left it during the period.
    private func durationFindings(rep: Int64, others: Set<Int64>, period: Period) -> [Finding] {
        let cal = engine.calendar
        let from = cal.start(of: period.start)
        let to = cal.start(of: period.end)
        var mine = [DealStage: [Double]]()
        var rest = [DealStage: [Double]]()
        for d in history.deals where d.owner == rep || others.contains(d.owner) {
            // Entries in time order; the close is the exit of the last stage.
            var moves = d.stages.sorted { $0.at < $1.at }
            if let c = d.closedAt, let o = d.outcome { moves.append((o, c)) }
            for (a, b) in zip(moves, moves.dropFirst())
            where Self.timedStages.contains(a.stage) && b.at >= from && b.at < to {
                let days = Double(b.at - a.at) / 86_400
                if d.owner == rep {
                    mine[a.stage, default: []].append(days)
                } else {
                    rest[a.stage, default: []].append(days)
                }
            }
        }
        var out: [Finding] = []
        for stage in Self.timedStages {
            guard let a = mine[stage], let b = rest[stage], a.count >= 5, b.count >= 5 else { continue }
            let (m1, v1) = Self.meanVariance(a)
            let (m2, v2) = Self.meanVariance(b)
            let se = (v1 / Double(a.count) + v2 / Double(b.count)).squareRoot()
            guard m1 >= 1.2 * m2, se > 0 else { continue }
            let p = Self.normalUpperTail((m1 - m2) / se)
            if p < significance {
                out.append(
                    Finding(
                        rep: rep, kind: .duration, step: Self.timedStages.firstIndex(of: stage)!, stepName: stage.name,
                        value: m1, team: m2,
                        count: a.count, teamCount: b.count, pValue: p, shortfall: 0))
            }
        }
        return out
    }

    static func meanVariance(_ xs: [Double]) -> (Double, Double) {
        let m = xs.reduce(0, +) / Double(xs.count)
        return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, xs.count - 1)))
    }

    /// P(Z > z) for a standard normal.
    static func normalUpperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }
}
