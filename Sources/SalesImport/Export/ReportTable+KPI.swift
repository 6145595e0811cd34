import SalesCore

extension ReportTable {
    /// A KPI report: the slice's name, then one column per KPI id (what `saleskpi report` prints).
    public init(_ report: KPIReport, by kind: Slice.Kind) {
        self.init(columns: [Column(kind.rawValue)] + report.kpis.map { Column($0.id.rawValue) })
        rows = report.rows.map { row in
            [.text(row.name)] + zip(report.kpis, row.values).map { .number($1, decimals: $0.unit.decimals) }
        }
    }

    /// Scorecards, one line per KPI. `grouped` shows each person's name, index and bonus once
    /// (for reading); otherwise every row is complete and carries the KPI id (for files and scripts).
    public init(scorecards cards: [Scorecard], lang: Language, grouped: Bool) {
        self.init(
            lang, titles: "scorecard",
            columns: [
                "person", "role", "team", "kpi", "actual", "plan", "fulfillment_pct", "weight_pct", "score_pct",
                "kpi_index_pct", "bonus_coefficient",
            ])
        if !grouped { columns.insert(Column("kpi_id", title: "kpi_id"), at: 4) }
        for card in cards {
            for (i, line) in card.lines.enumerated() {
                let d = line.kpi.unit.decimals
                let show = i == 0 || !grouped
                rows.append(
                    [
                        .text(show ? card.name : ""), .text(show ? card.role.rawValue : ""),
                        .text(show ? card.team ?? "" : ""),
                        .text(line.kpi.name(lang)),
                    ] + (grouped ? [] : [.text(line.kpi.id.rawValue)]) + [
                        .number(line.actual, decimals: d), .number(line.plan, decimals: d),
                        .number(line.fulfillment, decimals: 1), .number(line.weight, decimals: 0),
                        .number(line.score, decimals: 1),
                        .number(show ? card.index : nil, decimals: 1),
                        .number(show ? card.bonusCoefficient : nil, decimals: 2),
                    ])
            }
        }
    }
}
