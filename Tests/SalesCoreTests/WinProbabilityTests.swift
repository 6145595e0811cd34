import Foundation
import SalesCore
import SalesStorage
import Testing

/// The pieces of the win-probability model, each against numbers worked out by hand.
@Suite struct WinProbabilityTests {
    /// p = .9 .8 .3 .6 .2 for outcomes won, lost, won, won, lost.
    @Test func metricsOfFivePredictions() {
        let m = ClassifierMetrics(
            probabilities: [0.9, 0.8, 0.3, 0.6, 0.2], outcomes: [true, false, true, true, false])
        // Won-above-lost pairs: .9>.8, .9>.2, .3>.2, .6>.2 — 4 of 3 × 2.
        #expect(abs(m.auc - 4.0 / 6) < 1e-12)
        // (.1² + .8² + .7² + .4² + .2²) / 5 = 1.34 / 5.
        #expect(abs(m.brier - 0.268) < 1e-12)
        // −(ln .9 + ln .2 + ln .3 + ln .6 + ln .8) / 5.
        #expect(abs(m.logLoss - 0.730_547_9) < 1e-6)
        // Every prediction alone in its bin: (.1 + .8 + .7 + .4 + .2) / 5.
        #expect(abs(m.ece - 0.44) < 1e-12)
        #expect(ClassifierMetrics(probabilities: [0.5, 0.5], outcomes: [true, false]).auc == 0.5)
    }

    /// One binary feature: 1 win in 4 without it, 3 in 4 with it. Unpenalised, the fit is exact:
    /// intercept logit(¼) = −ln 3, weight logit(¾) − logit(¼) = 2 ln 3.
    @Test func logisticRegressionFindsTheClosedFormOptimum() {
        let x: [Double] = [0, 0, 0, 0, 1, 1, 1, 1]
        let y = [true, false, false, false, true, true, true, false]
        let fit = LogisticRegression(x: x, width: 1, labels: y, lambda: 1e-9)
        #expect(abs(fit.intercept + log(3)) < 1e-6)
        #expect(abs(fit.weights[0] - 2 * log(3)) < 1e-6)
        // A penalty pulls the weight towards 0.
        #expect(LogisticRegression(x: x, width: 1, labels: y, lambda: 4).weights[0] < 2 * log(3) - 0.3)
        // The same counts as weights: a won and a lost row on each side, weighted 1 : 3 and 3 : 1.
        let weighted = LogisticRegression(
            x: DesignMatrix(dense: [0, 0, 1, 1], width: 1), labels: [true, false, true, false],
            sampleWeights: [1, 3, 3, 1], lambda: 1e-9)
        #expect(abs(weighted.intercept + log(3)) < 1e-6)
        #expect(abs(weighted.weights[0] - 2 * log(3)) < 1e-6)
    }

    static func day(_ d: Int) -> Timestamp { Timestamp(d) * 86_400 }

    /// Closes in April (first month of Q2) ×2, May ×3, June ×5: each month of the quarter should carry
    /// a third of the 10 deals' weight, so 10/3 ÷ 2, 10/3 ÷ 3, 10/3 ÷ 5.
    @Test func eachMonthOfTheQuarterCountsTheSame() {
        func at(_ month: Int, _ day: Int) -> Timestamp {
            Timestamp(CivilDate(year: 2026, month: month, day: day).dayNumber) * 86_400 + 3_600
        }
        let closes = [
            at(4, 1), at(4, 30), at(5, 2), at(5, 15), at(5, 31), at(6, 1), at(6, 2), at(6, 3), at(6, 29), at(6, 30),
        ]
        let w = WinProbabilityModel.quarterBalancedWeights(closedAt: closes)!
        let april: Double = 5.0 / 3
        let may: Double = 10.0 / 9
        let june: Double = 2.0 / 3
        let expected: [Double] = [april, april, may, may, may, june, june, june, june, june]
        for (a, b) in zip(w, expected) { #expect(abs(a - b) < 1e-12) }
        // Two months only: no whole quarter to balance.
        #expect(WinProbabilityModel.quarterBalancedWeights(closedAt: Array(closes[0..<5])) == nil)
    }

    /// Rep A has 8 deals (6 won), rep B 2 (none won), each at a proposal since its first hour and closed 10 days later.
    static func tenDeals() throws -> (SalesEngine, DealHistory) {
        var events: [SalesEvent] = [
            .team(Team(externalID: "T", name: "T")), .account(Account(externalID: "C", name: "C")),
            .rep(Rep(externalID: "A", name: "A", role: .ae, team: EntityRef("T"))),
            .rep(Rep(externalID: "B", name: "B", role: .ae, team: EntityRef("T"))),
        ]
        let outcomes: [(String, Bool)] = [
            ("A", true), ("A", true), ("A", true), ("A", true), ("A", true), ("A", true), ("A", false), ("A", false),
            ("B", false), ("B", false),
        ]
        for (i, (owner, won)) in outcomes.enumerated() {
            let id = "D\(i)"
            let start = day(100 + i)
            events.append(
                .deal(
                    Deal(
                        externalID: id, account: EntityRef("C"), owner: EntityRef(owner), createdAt: start,
                        amount: 1_000_00)))
            events.append(
                .stageChange(StageChange(externalID: id + "p", deal: EntityRef(id), stage: .proposal, at: start + 1)))
            events.append(
                .stageChange(
                    StageChange(
                        externalID: id + "c", deal: EntityRef(id), stage: won ? .won : .lost, at: start + day(10))))
        }
        let store = InMemoryEventStore()
        try store.append(events, source: "t")
        return try store.makeEngineAndHistory()
    }

    @Test func tooFewDealsFallBackToStageAndRepRatesAndSaySo() throws {
        let (engine, history) = try Self.tenDeals()
        let model = WinProbabilityModel.train(history: history, closedBefore: Self.day(1000))
        #expect(model.method == .historicalRates)
        #expect(model.note?.en.contains("Only 10 closed deals (6 won, 4 lost)") == true)
        // Overall 6/10. Proposal stage: (6 + 10 × .6) / (10 + 10) = .6. Shrunk by 10 pseudo-deals towards it:
        // A (6 + 6) / (8 + 10) = 2/3, B (0 + 6) / (2 + 10) = 1/2.
        let a = engine.rep(externalID: "A")!.id
        let b = engine.rep(externalID: "B")!.id
        let open = history.deals[0]
        var snapshot = DealSnapshot(open, at: open.createdAt + Self.day(1), history: history)
        #expect(snapshot.stage == .proposal)
        snapshot.owner = a
        #expect(abs(model.probability(snapshot) - 2.0 / 3) < 1e-12)
        snapshot.owner = b
        #expect(abs(model.probability(snapshot) - 0.5) < 1e-12)
    }

    @Test func aSnapshotSeesOnlyWhatWasKnownThen() throws {
        let (_, history) = try Self.tenDeals()
        let d = history.deals[0]
        #expect(DealSnapshot(d, at: d.createdAt, history: history).stage == .new)  // the proposal came a second later
        let later = DealSnapshot(d, at: d.createdAt + Self.day(4), history: history)
        #expect(later.stage == .proposal && abs(later.daysInStage - (4 - 1.0 / 86_400)) < 1e-9 && later.ageDays == 4)
        // Every closed deal is learnt from strictly before its close.
        for deal in history.deals { #expect(DealSnapshot.learningInstant(deal) < deal.closedAt!) }
    }
}
