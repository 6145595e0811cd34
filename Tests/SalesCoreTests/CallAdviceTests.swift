import SalesCore
import Testing

/// Advice from analysed calls, from measures set by hand.
@Suite struct CallAdviceTests {
    static func measures(
        calls: Int64, nextSteps: Int64, raised: Int64, handled: Int64, rep: Int64, client: Int64, covered: Int64
    ) -> MeasureVector {
        var m = MeasureVector()
        m[.callsAnalyzed] = calls
        m[.nextStepsAgreed] = nextSteps
        m[.objectionsRaised] = raised
        m[.objectionsHandled] = handled
        m[.repTalkSeconds] = rep
        m[.clientTalkSeconds] = client
        m[.openQuestions] = 7
        m[.scriptStagesCovered] = covered
        m[.scriptStagesTotal] = calls * 5
        return m
    }

    @Test func eachShortfallIsNamedWithItsCounts() {
        // 20 calls: next step in 8 (40 % < 80 %), objections 9 of 20 (45 % < 70 %),
        // rep talk 700 of 1000 s (70 % > 60 %), script 70 of 100 stages (70 % < 80 %).
        let advice = Advisor.callAdvice(
            rep: 1, name: "Anna",
            mine: Self.measures(calls: 20, nextSteps: 8, raised: 20, handled: 9, rep: 700, client: 300, covered: 70))
        #expect(advice.map(\.subject) == ["next_step", "objections", "talk_ratio", "script"])
        #expect(advice[0].text.en.hasPrefix("In 12 of 20 analysed calls no next step was agreed"))
        #expect(advice[0].text.ru.hasPrefix("В 12 из 20 проанализированных звонков не согласован следующий шаг"))
        #expect(advice[1].text.en.hasPrefix("Objections handled: 9 of 20 (45 %"))
        #expect(
            advice[2].text.en.hasPrefix("You talk 70 % of the time")
                && advice[2].text.en.contains("7 open questions in 20 calls"))
        #expect(advice[3].text.en.hasPrefix("The call script is covered at 70 %"))
        #expect(advice.allSatisfy { $0.kind == .calls && $0.impact == 0 })
    }

    @Test func atTargetOrTooFewCallsNothingIsSaid() {
        // Exactly at the targets: next step 16 of 20 (80 %), objections 14 of 20 (70 %), talk 60 %, script 80 %.
        #expect(
            Advisor.callAdvice(
                rep: 1, name: "Anna",
                mine: Self.measures(
                    calls: 20, nextSteps: 16, raised: 20, handled: 14, rep: 600, client: 400, covered: 80)
            ).isEmpty)
        // Four calls, all bad: too few to judge.
        #expect(
            Advisor.callAdvice(
                rep: 1, name: "Anna",
                mine: Self.measures(calls: 4, nextSteps: 0, raised: 8, handled: 0, rep: 900, client: 100, covered: 4)
            ).isEmpty)
    }
}
