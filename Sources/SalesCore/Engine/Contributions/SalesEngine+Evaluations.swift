extension SalesEngine {
    /// An evaluation of a call, by hand or from its transcript; only the latter carries the call's
    /// speech measures (talk time, questions, script stages, next step).
    func apply(_ e: Evaluation) { add(e, times: 1) }

    /// A stored evaluation given other numbers (a reviewer corrected the call's analysis): what the old one
    /// added is taken back and the new one's added, so the KPIs move at once, without a rebuild.
    public func replace(_ old: Evaluation, with new: Evaluation) {
        add(old, times: -1)
        add(new, times: 1)
    }

    private func add(_ e: Evaluation, times k: Int64) {
        add(.evaluations, k, rep: e.rep.id, at: e.at)
        add(.argumentationSum, k * Int64(e.score), rep: e.rep.id, at: e.at)
        add(.objectionsRaised, k * Int64(e.objectionsRaised), rep: e.rep.id, at: e.at)
        add(.objectionsHandled, k * Int64(e.objectionsHandled), rep: e.rep.id, at: e.at)
        guard let c = e.call else { return }
        add(.callsAnalyzed, k, rep: e.rep.id, at: e.at)
        add(.repTalkSeconds, k * Int64(c.repTalkSeconds), rep: e.rep.id, at: e.at)
        add(.clientTalkSeconds, k * Int64(c.clientTalkSeconds), rep: e.rep.id, at: e.at)
        add(.repQuestions, k * Int64(c.questions), rep: e.rep.id, at: e.at)
        add(.openQuestions, k * Int64(c.openQuestions), rep: e.rep.id, at: e.at)
        add(.scriptStagesCovered, k * Int64(c.stagesCovered), rep: e.rep.id, at: e.at)
        add(.scriptStagesTotal, k * Int64(c.stagesTotal), rep: e.rep.id, at: e.at)
        if c.nextStepAgreed { add(.nextStepsAgreed, k, rep: e.rep.id, at: e.at) }
    }
}
