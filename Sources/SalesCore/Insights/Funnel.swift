/// A person's (or team's) funnel for a period: how many reached each stage and the conversion
/// from each stage to the next. SDRs work leads (received → answered → SQL); everyone else works
/// deals: of the deals opened in the period, how many have reached a meeting, a proposal, a
/// contract and a win (a cohort, so a stage never exceeds the one before it).
public struct Funnel: Sendable {
    public struct Stage: Sendable {
        public var measure: BaseMeasure
        public var name: LocalizedText
        public var count: Int64
        /// count ÷ the previous stage's count, %; nil for the first stage or when the previous is 0.
        public var conversion: Double?
    }
    public var stages: [Stage]

    public static func measures(for role: RepRole) -> [(BaseMeasure, LocalizedText)] {
        switch role {
        case .sdr:
            [
                (.leadsCreated, LocalizedText("funnel.step.leads")),
                (.leadsResponded, LocalizedText("funnel.step.answered")),
                (.sqls, LocalizedText(verbatim: "SQL")),
            ]
        case .ae, .am, .head:
            [
                (.dealsCreated, LocalizedText("funnel.step.deals_opened")),
                (.cohortMeetings, LocalizedText("funnel.step.meeting")),
                (.cohortProposals, LocalizedText("funnel.step.proposal")),
                (.cohortContracts, LocalizedText("funnel.step.contract")),
                (.cohortWon, LocalizedText("funnel.step.won")),
            ]
        }
    }

    public init(role: RepRole, measures: MeasureVector) {
        var previous: Int64?
        stages = Self.measures(for: role).map { m, name in
            let count = measures[m]
            defer { previous = count }
            return Stage(
                measure: m, name: name, count: count,
                conversion: previous.flatMap { $0 > 0 ? Double(count) / Double($0) * 100 : nil })
        }
    }

    /// Median conversion of each stage over `funnels` (nil where none has a value).
    public static func medianConversions(_ funnels: [Funnel]) -> [Double?] {
        guard let n = funnels.first?.stages.count else { return [] }
        return (0..<n).map { i in
            let values = funnels.compactMap { i < $0.stages.count ? $0.stages[i].conversion : nil }.sorted()
            guard !values.isEmpty else { return nil }
            let mid = values.count / 2
            return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
        }
    }

    /// The stage whose conversion lags the team median the most (by ratio), if any lags at all.
    public func weakestStage(against medians: [Double?]) -> Int? {
        var worst: (Int, Double)?
        for (i, stage) in stages.enumerated() {
            guard let c = stage.conversion, i < medians.count, let m = medians[i], m > 0 else { continue }
            let ratio = c / m
            if ratio < 1, ratio < (worst?.1 ?? 1) { worst = (i, ratio) }
        }
        return worst?.0
    }
}
