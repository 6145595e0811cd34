extension SalesEngine {
    /// An evaluation of a call, by hand or from its transcript; only the latter carries the call's
    /// speech measures (talk time, questions, script stages, next step).
    func apply(_ e: Evaluation) {
        add(.evaluations, 1, rep: e.rep.id, at: e.at)
        add(.argumentationSum, Int64(e.score), rep: e.rep.id, at: e.at)
        add(.objectionsRaised, Int64(e.objectionsRaised), rep: e.rep.id, at: e.at)
        add(.objectionsHandled, Int64(e.objectionsHandled), rep: e.rep.id, at: e.at)
        guard let c = e.call else { return }
        add(.callsAnalyzed, 1, rep: e.rep.id, at: e.at)
        add(.repTalkSeconds, Int64(c.repTalkSeconds), rep: e.rep.id, at: e.at)
        add(.clientTalkSeconds, Int64(c.clientTalkSeconds), rep: e.rep.id, at: e.at)
        add(.repQuestions, Int64(c.questions), rep: e.rep.id, at: e.at)
        add(.openQuestions, Int64(c.openQuestions), rep: e.rep.id, at: e.at)
        add(.scriptStagesCovered, Int64(c.stagesCovered), rep: e.rep.id, at: e.at)
        add(.scriptStagesTotal, Int64(c.stagesTotal), rep: e.rep.id, at: e.at)
        if c.nextStepAgreed { add(.nextStepsAgreed, 1, rep: e.rep.id, at: e.at) }
    }
}
