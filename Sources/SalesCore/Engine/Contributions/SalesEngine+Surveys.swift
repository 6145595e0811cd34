extension SalesEngine {
    /// NPS: 9–10 promote, 0–6 detract; CSAT: points 1–5 summed with the count of answers.
    func apply(_ s: Survey) {
        if let nps = s.nps {
            add(.npsResponses, 1, rep: s.rep.id, at: s.at)
            if nps >= 9 { add(.npsPromoters, 1, rep: s.rep.id, at: s.at) }
            if nps <= 6 { add(.npsDetractors, 1, rep: s.rep.id, at: s.at) }
        }
        if let csat = s.csat {
            add(.csatResponses, 1, rep: s.rep.id, at: s.at)
            add(.csatSum, Int64(csat), rep: s.rep.id, at: s.at)
        }
    }
}
