import ArgumentParser
import Foundation
import SalesCore
import SalesImport

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "How accurate the win probabilities and revenue forecasts would have been on your own history.",
        discussion: """
            saleskpi backtest --db sales.sqlite --split 2017-07-01
            saleskpi backtest --db demo/saleskpi.sqlite --split 2026-07-01 --demo-truth --format json
            Trains on the deals closed before --split and scores the deals closed on or after it, each \
            seen at a point of its life before its close (as an open deal is scored). Prints, for the \
            model and two baselines (the stage-and-rep historical win rate, the overall win rate): AUC \
            (0.5 = a coin, 1 = perfect ranking), Brier score and log loss (lower is better) and the \
            expected calibration error (how far predicted probabilities are from observed win rates). \
            Then each whole month after the split is forecast from its first day by every method \
            (model, stage_rates, run_rate) and by the baselines (seasonal_naive: what the \
            same month of the last quarter won; seasonal_naive_year: of the last year, where the history \
            reaches back; crm_commit: the deals the CRM's forecast category called Closed or Commit on the \
            month's first day, where it keeps one) against the revenue actually won, with the mean absolute \
            percentage error (MAPE) of each, the model's P10–P90 and how often the actual fell inside it, and \
            the calendar's weight in the model. Leads that arrived after the split are scored against the SDR's \
            and the source's rate (AUC, Brier, ECE), and where the history reaches two quarters past the split, \
            churn risk against what happened next (AUC, against recency alone). --demo-truth adds the demo \
            generator's true probabilities (an upper bound no model can beat) when the store was made by \
            `saleskpi demo` or `generate`.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var language: LanguageOption
    @Option(help: "The split day, YYYY-MM-DD: train before, test from it.")
    var split: String
    @Option(help: "Output: table or json.")
    var format: ReportTable.Format = .table
    @Flag(
        help: """
            Add the demo generator's true win probabilities (needs --demo-seed and --demo-reps of the generated \
            store).
            """
    )
    var demoTruth = false
    @Option(help: "Seed the demo store was generated with.") var demoSeed: UInt64 = 1
    @Option(help: "Head count the demo store was generated with.") var demoReps = 40
    @Option(
        help: """
            Also write the model's inputs and outputs for the training and test deals to DIR/train.csv and \
            DIR/test.csv (for comparing with other tools, see benchmarks/winprob_sklearn.py).
            """
    )
    var features: String?

    func run() throws {
        let lang = language.language
        guard let day = CivilDate(iso: split) else {
            throw CLIError(
                lang.message("cli.backtest.bad_split", ["split": "\(split)"]))
        }
        let db = try store.open()
        let system = try reportFailures(lang) { try configOption.load(store: db).system }
        let (engine, history) = try db.makeEngineAndHistory(calendar: system.calendar)
        var truth: ((DealSnapshot) -> Double)?
        if demoTruth {
            let skills = DemoGenerator(reps: demoReps, days: 0, seed: demoSeed, end: day).skills()
            let external = Dictionary(uniqueKeysWithValues: engine.reps.values.map { ($0.id, $0.externalID) })
            truth = { s in
                DemoGenerator.trueWinProbability(
                    stage: s.stage, skill: skills[external[s.owner] ?? ""] ?? 1, kind: s.kind)
            }
        }
        let result = Backtest.run(history: history, calendar: system.calendar, split: day.dayNumber, truth: truth)
        if let features {
            try Self.writeFeatures(history: history, cut: system.calendar.start(of: day.dayNumber), to: features)
        }
        guard format != .json else {
            let encoder = MachineJSON.encoder(pretty: true)
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print(Self.text(result, lang: lang))
    }

    /// One row per deal: its features (training rows with rates learnt out of fold, as in training),
    /// its weight in the fit (1 for test rows), the outcome and this model's probability.
    static func writeFeatures(history: DealHistory, cut: Timestamp, to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let (learnt, weights) = WinProbabilityModel.trainingSet(history: history, closedBefore: cut)
        let model = WinProbabilityModel.train(learnt, sampleWeights: weights)
        let (fold, foldRates) = StageRepWinRates.outOfFold(learnt)
        let tested = history.deals.filter { ($0.closedAt ?? .min) >= cut }
            .map { (DealSnapshot($0, at: DealSnapshot.learningInstant($0), history: history), won: $0.won) }
        for (name, examples, training) in [("train", learnt, true), ("test", tested, false)] {
            let ids = ["deal"] + WinProbabilityModel.featureColumns + ["weight", "won", "swift_p"]
            var table = ReportTable(columns: ids.map { .init($0) })
            for (i, (s, won)) in examples.enumerated() {
                let row = model.featureRow(s, rates: training ? foldRates[fold(s)] : nil)
                table.rows.append(
                    [.text(history.deal(id: s.deal)?.externalID ?? "")] + row.numbers.map { .number($0, decimals: 6) }
                        + row.categories.map { .text($0) }
                        + [
                            .number(training ? weights?[i] ?? 1 : 1, decimals: 6), .number(won ? 1 : 0, decimals: 0),
                            .number(model.probability(s), decimals: 6),
                        ])
            }
            try table.csv().write(
                toFile: (dir as NSString).appendingPathComponent(name + ".csv"), atomically: true, encoding: .utf8)
        }
    }

    static func text(_ r: Backtest, lang: Language) -> String {
        func f(_ v: Double, _ digits: Int = 3) -> String { v.isNaN ? "—" : String(format: "%.\(digits)f", v) }
        var out =
            lang.message(
                "cli.backtest.title",
                [
                    "split": "\(r.split)", "count": .count(r.trainDeals), "tested": "\(r.testDeals)",
                    "seconds": .text(f(r.trainingSeconds, 2)),
                ])
        if let note = r.note { out += note(lang) + "\n" }
        func number(_ v: Double?, _ digits: Int = 3) -> ReportTable.Cell {
            .number(v.flatMap { $0.isNaN ? nil : $0 }, decimals: digits)
        }
        func money(_ m: Money) -> ReportTable.Cell { .number(Double(m) / 100, decimals: 0) }
        var scores = ReportTable(
            lang, titles: "backtest",
            columns: ["method", "auc", "brier", "log_loss", "ece"])
        for s in r.scores {
            scores.rows.append([
                .text(s.name), number(s.metrics.auc), number(s.metrics.brier), number(s.metrics.logLoss),
                number(s.metrics.ece),
            ])
        }
        out += "\n" + scores.text()
        // The reliability curve: in each band of predicted probability, how often those deals were won.
        if let model = r.scores.first {
            out +=
                lang.message("cli.backtest.reliability_title")
            var curve = ReportTable(
                lang, titles: "reliability",
                columns: ["band", "deals", "predicted_pct", "won_pct"])
            for b in model.reliability {
                curve.rows.append([
                    .text("\(Int(b.lower * 100))–\(Int(b.lower * 100) + 10) %"), .number(Double(b.count), decimals: 0),
                    number(b.predicted * 100, 1), number(b.observed * 100, 1),
                ])
            }
            out += curve.text()
        }
        if let leads = r.leads {
            out += lang.message(
                "cli.backtest.leads_title", ["count": .count(leads.trainLeads), "tested": "\(leads.testLeads)"])
            var table = ReportTable(lang, titles: "backtest", columns: ["method", "auc", "brier", "log_loss", "ece"])
            for s in leads.metrics {
                table.rows.append([
                    .text(s.name), number(s.metrics.auc), number(s.metrics.brier), number(s.metrics.logLoss),
                    number(s.metrics.ece),
                ])
            }
            out += table.text()
        }
        if let churn = r.churn {
            out += lang.message(
                "cli.backtest.churn",
                [
                    "count": .count(churn.accounts), "churned": "\(churn.churned)",
                    "model": .text(f(churn.auc["churn_risk"] ?? .nan)),
                    "recency": .text(f(churn.auc["recency"] ?? .nan)),
                ])
        }
        guard !r.months.isEmpty else { return out }
        let methods = Backtest.methods.filter { r.mape[$0] != nil }
        var months = ReportTable(lang, titles: "backtest_months", columns: ["month", "actual"])
        months.columns +=
            methods.map { ReportTable.Column($0) }
            + ["p10", "p90"].map { ReportTable.Column($0, title: $0.uppercased()) }
            + [ReportTable.Column("calendar_pct", title: lang.message("column.backtest_months.calendar_pct"))]
        for m in r.months {
            months.rows.append(
                [.text(m.month), money(m.actual)] + methods.map { m.forecasts[$0].map(money) ?? .text("—") } + [
                    money(m.p10), money(m.p90), number(m.calendarWeight * 100, 0),
                ])
        }
        months.rows.append(
            [.text("MAPE, %"), .text("")] + methods.map { number(r.mape[$0], 1) } + [.text(""), .text(""), .text("")])
        out += "\n" + months.text()
        if let c = r.rangeCoverage {
            out +=
                lang.message("cli.backtest.coverage", ["share": "\(Int((c * 100).rounded()))"])
        }
        return out
    }
}
