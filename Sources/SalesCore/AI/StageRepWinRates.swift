/// Historical win rates of closed deals by the stage they had reached when seen, overall and per
/// rep, each shrunk towards the level above it (rep-and-stage → stage → overall) by `prior`
/// pseudo-deals, so a rep with three deals gets a rate near the team's, not 0 % or 100 %.
///
/// It is both a feature of the model and the fallback (and baseline) when there are too few deals.
public struct StageRepWinRates: Sendable {
    public struct Tally: Sendable { public var won = 0.0, total = 0.0 }
    public private(set) var overall = Tally()
    private var byStage: [DealStage: Tally] = [:]
    /// Keyed flat by (rep, stage): nested dictionaries copy on every update.
    private var byRepStage: [RepStage: Tally] = [:]
    private var byRep: [Int64: Tally] = [:]
    public var prior = 10.0
    struct RepStage: Hashable {
        var rep: Int64
        var stage: DealStage
    }

    public init(_ snapshots: [(DealSnapshot, won: Bool)]) {
        for (s, won) in snapshots { add(s, won) }
    }

    private mutating func add(_ s: DealSnapshot, _ won: Bool) {
        let w = won ? 1.0 : 0
        overall.won += w
        overall.total += 1
        byStage[s.stage, default: Tally()].won += w
        byStage[s.stage, default: Tally()].total += 1
        byRep[s.owner, default: Tally()].won += w
        byRep[s.owner, default: Tally()].total += 1
        byRepStage[RepStage(rep: s.owner, stage: s.stage), default: Tally()].won += w
        byRepStage[RepStage(rep: s.owner, stage: s.stage), default: Tally()].total += 1
    }

    private func shrink(_ t: Tally?, towards p: Double) -> Double {
        ((t?.won ?? 0) + prior * p) / ((t?.total ?? 0) + prior)
    }

    /// The rep's win rate overall and from this stage, each shrunk towards the level above.
    public func rates(stage: DealStage, rep: Int64) -> (rep: Double, stageAndRep: Double) {
        (
            shrink(byRep[rep], towards: overallRate),
            shrink(byRepStage[RepStage(rep: rep, stage: stage)], towards: stageRate(stage))
        )
    }

    /// Rates for training rows, out of fold: the deals are split into `folds` groups by id and each
    /// group's rows read rates learnt from the other groups. Leaving out only the row's own deal
    /// would shift its rate down when it was won and up when lost — a tell that a flexible model
    /// learns and that is gone at prediction time.
    public static func outOfFold(_ examples: [(DealSnapshot, won: Bool)], folds: Int = 5) -> (
        fold: (DealSnapshot) -> Int, rates: [StageRepWinRates]
    ) {
        let fold = { (s: DealSnapshot) in Self.fold(of: s.deal, folds) }
        var rates = [StageRepWinRates](repeating: StageRepWinRates([]), count: folds)
        for (s, won) in examples {
            let own = fold(s)
            for k in 0..<folds where k != own { rates[k].add(s, won) }
        }
        return (fold, rates)
    }

    /// The fold of a record id: a multiplicative hash, so that folds do not follow id order.
    public static func fold(of id: Int64, _ folds: Int) -> Int {
        Int((UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15) >> 33) % folds
    }

    public var overallRate: Double { overall.total > 0 ? overall.won / overall.total : 0.5 }
    public func stageRate(_ stage: DealStage) -> Double { shrink(byStage[stage], towards: overallRate) }
    /// Closed deals seen at this stage for this rep.
    public func count(stage: DealStage, rep: Int64) -> Int {
        Int(byRepStage[RepStage(rep: rep, stage: stage)]?.total ?? 0)
    }
}
