import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage

struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Speech analytics: score calls from their transcripts (RU and EN).",
        subcommands: [Import.self, Analyze.self, Evaluate.self, Train.self, Retrain.self, Bench.self])

    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Analyse transcripts (JSON, WebVTT, SRT): talk ratio, monologues, questions, script stages, "
                + "objections, score.",
            discussion: """
                saleskpi calls analyze call-0412.vtt
                saleskpi calls analyze transcripts/ --format xlsx -o calls.xlsx      every .json, .vtt and .srt in \
                the folder
                saleskpi calls analyze transcripts/ --lexicon our-words.yaml --format json
                Per call: the rep's share of the talk, the longest rep monologue and client story, \
                speaker switches per minute, the average pause before the rep answers, the rep's questions \
                (open ones: starting with what/how/why and their Russian counterparts…), filler words, \
                words per minute, the script's stages covered, the objections raised (price, timing, competitor, \
                no need, no authority, trust) and whether each was handled, and the argumentation score 1–5. \
                Phrases match on word stems, so "price" and "prices" (in Russian, every case of a noun) are one \
                word. Definitions and the file formats: docs/speech.md. A file that cannot be read is reported \
                with its line and field; the others are still analysed (exit code 1 if any failed).
                """)

        @Argument(help: "Transcript files or folders.") var paths: [String]
        @OptionGroup var speech: SpeechOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var language: LanguageOption

        typealias Result = (file: String, transcript: Transcript, analysis: CallAnalysis)

        func run() throws {
            let lang = language.language
            let lexicon = try speech.lexicon(lang)
            let analyzer = CallAnalyzer(lexicon: lexicon, model: try speech.callModel())
            let (results, failed) = analyse(try Self.transcriptFiles(paths, lang: lang), with: analyzer, lang)
            if output.format == .json {
                try emitJSON(results)
            } else {
                let table = Self.table(results.map { ($0.file, $0.analysis) }, lexicon: lexicon, lang: lang)
                try output.emit(table, sheet: lang.message("cli.sheet.calls"), lang: lang)
                if output.output == nil, output.format == .table, !results.isEmpty {
                    print(Self.summary(results.map(\.analysis), lang: lang))
                }
            }
            if failed > 0 { throw ExitCode(1) }
        }

        /// Each file's analysis; a file that cannot be read is reported and counted, and the rest go on.
        private func analyse(_ files: [String], with analyzer: CallAnalyzer, _ lang: Language) -> (
            [Result], failed: Int
        ) {
            let reader = TranscriptReader(repSpeaker: speech.repSpeaker)
            var results: [Result] = []
            var failed = 0
            let bar = ProgressBar(lang.message("cli.progress.analysing"), lang: lang)
            for (i, file) in files.enumerated() {
                do {
                    let t = try reader.read(contentsOf: file)
                    results.append((file, t, analyzer.analyze(t)))
                    for n in t.notes { printError("\((file as NSString).lastPathComponent): \(n(lang))") }
                } catch {
                    failed += 1
                    printError(error.text(lang))
                }
                bar.update(Double(i + 1) / Double(files.count))
            }
            bar.finish()
            return (results, failed)
        }

        private func emitJSON(_ results: [Result]) throws {
            struct Call: Encodable {
                var file: String
                var call: String?
                var rep: String?
                var analysis: CallAnalysis
            }
            let data = try MachineJSON.encoder(pretty: true).encode(
                results.map {
                    Call(file: $0.file, call: $0.transcript.call, rep: $0.transcript.rep, analysis: $0.analysis)
                })
            if let o = output.output {
                try data.write(to: URL(fileURLWithPath: o))
            } else {
                print(String(decoding: data, as: UTF8.self))
            }
        }

        /// The files named, and the transcripts (.json, .vtt, .webvtt, .srt) inside the folders named, sorted.
        static func transcriptFiles(_ paths: [String], lang: Language) throws -> [String] {
            var files: [String] = []
            for p in paths {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                    throw CLIError(lang.message("cli.calls.no_such_path", ["path": "\(p)"]))
                }
                if isDir.boolValue {
                    let inside = try FileManager.default.contentsOfDirectory(atPath: p).sorted()
                    files += inside.filter {
                        ["json", "vtt", "webvtt", "srt"].contains(($0 as NSString).pathExtension.lowercased())
                    }
                    .map { (p as NSString).appendingPathComponent($0) }
                } else {
                    files.append(p)
                }
            }
            return files
        }

        static func table(_ calls: [(file: String, analysis: CallAnalysis)], lexicon: SpeechLexicon, lang: Language)
            -> ReportTable
        {
            var t = ReportTable(
                lang, titles: "calls",
                columns: [
                    "file", "minutes", "rep_talk_pct", "longest_monologue_s", "longest_client_story_s",
                    "switches_per_minute", "pause_before_answer_s", "questions", "open_questions", "fillers",
                    "words_per_minute", "script_pct", "stages_missed", "objections", "score",
                ])
            for (file, a) in calls {
                let missed = lexicon.stages.filter { !a.stagesCovered.contains($0.id) }.map { $0.name(lang) }.joined(
                    separator: ", ")
                let objections = a.objections.map { o in
                    "\(SpeechLexicon.objectionNames[o.category].map { $0(lang) } ?? o.category) "
                        + "\(o.handled ? "✓" : "✗")"
                }.joined(separator: ", ")
                t.rows.append([
                    .text((file as NSString).lastPathComponent), .number(a.seconds / 60, decimals: 1),
                    .number(a.talkRatio * 100, decimals: 0),
                    .number(a.longestMonologue, decimals: 0), .number(a.longestClientStory, decimals: 0),
                    .number(a.interactivity, decimals: 1),
                    .number(a.patience, decimals: 1), .number(Double(a.questions), decimals: 0),
                    .number(Double(a.openQuestions), decimals: 0),
                    .number(Double(a.fillers), decimals: 0), .number(a.pace, decimals: 0),
                    .number(a.scriptCompliance * 100, decimals: 0),
                    .text(missed), .text(objections), .number(Double(a.argumentationScore), decimals: 0),
                ])
            }
            return t
        }

        /// The quality KPIs over these calls.
        static func summary(_ calls: [CallAnalysis], lang: Language) -> String {
            let n = Double(calls.count)
            let raised = calls.reduce(0) { $0 + $1.objections.count }
            let handled = calls.reduce(0) { $0 + $1.objectionsHandled }
            let score = Double(calls.reduce(0) { $0 + $1.argumentationScore }) / n
            let talk = calls.reduce(0) { $0 + $1.talkRatio } / n * 100
            let script = calls.reduce(0) { $0 + $1.scriptCompliance } / n * 100
            let noNextStep = calls.filter { !$0.nextStepAgreed }.count
            func f(_ v: Double) -> String { String(format: "%.1f", v) }
            let share = raised == 0 ? "—" : f(Double(handled) / Double(raised) * 100) + " %"
            return lang.message(
                "cli.calls.summary",
                [
                    "count": .count(calls.count), "score": "\(f(score))", "handled": "\(handled)",
                    "raised": "\(raised)", "share": "\(share)", "talk": "\(f(talk))", "script": "\(f(script))",
                    "no_next_step": "\(noNextStep)",
                ])
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Analyse transcripts and store them with their calls: they feed the quality KPIs and the call pages.",
            discussion: """
                saleskpi calls import --db sales.sqlite transcripts/              every .json, .vtt and .srt in the \
                folder
                saleskpi calls import --db sales.sqlite recording.vtt --call CALL-0412
                Each transcript belongs to a call activity already imported from the same source: --call (one \
                file), else the one its JSON names ("call"), else the file's name without its extension \
                (CALL-0412.vtt → CALL-0412). The call's rep and day come from the activity. Each call is \
                analysed (see `saleskpi calls analyze --help`) and stored as a speech evaluation with the \
                transcript: the argumentation score, objections handled, script compliance, talk ratio and \
                question rate of its rep and day. All or nothing: one bad file and nothing is stored, every \
                problem listed with its file, line and field (--skip-invalid stores the good ones). A call \
                already analysed is skipped, so importing a folder again adds only the new files.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "Transcript files or folders.") var paths: [String]
        @Option(help: "The call activity's external id, for a single file that does not name it.") var call: String?
        @Option(help: "The source the calls were imported from (ids are unique within a source).") var source = "crm"
        @OptionGroup var speech: SpeechOptions
        @Flag(help: "Store the transcripts that can be read and linked, and list the others.") var skipInvalid = false
        @Flag(help: "Print JSON: the calls stored, skipped and the problems.") var json = false
        @OptionGroup var language: LanguageOption

        func validate() throws {
            if call != nil, paths.count != 1 {
                throw ValidationError(language.language.message("cli.calls.call_needs_one_file"))
            }
        }

        func run() throws {
            let lang = language.language
            let lexicon = try speech.lexicon(lang)
            let db = try store.open()
            let importer = CallImporter(
                store: db, source: source, lexicon: lexicon, model: try speech.callModel(of: db),
                repSpeaker: speech.repSpeaker)
            importer.skipInvalid = skipInvalid
            let bar = ProgressBar(lang.message("cli.progress.analysing"), lang: lang)
            importer.progress = bar.update
            let inputs = try self.inputs(lang)
            let report = try reportFailures(lang) { try importer.run(inputs) }
            bar.finish()
            for (file, note) in report.notes { printError("\((file as NSString).lastPathComponent): \(note(lang))") }
            if json { return try printJSON(report, lang) }
            let stored = report.results.filter { $0.evaluationID != nil }
            print(
                lang.message("cli.calls.stored", ["count": .count(stored.count), "duplicates": "\(report.duplicates)"]))
            if !report.skipped.isEmpty {
                print(lang.message("cli.skipped_invalid", ["count": "\(report.skipped.count)"]))
                for i in report.skipped.prefix(20) { print("  " + i.message(lang)) }
            }
            if !stored.isEmpty { print(Analyze.summary(stored.map(\.analysis), lang: lang)) }
        }

        /// The transcript files named or in the folders named, with the call they belong to.
        private func inputs(_ lang: Language) throws -> [CallImporter.Input] {
            try Analyze.transcriptFiles(paths, lang: lang).map { f in
                guard let data = FileManager.default.contents(atPath: f) else {
                    throw CLIError(lang.message("cli.calls.unreadable", ["file": "\(f)"]))
                }
                return CallImporter.Input(file: f, data: data, call: call)
            }
        }

        private func printJSON(_ report: CallImporter.Report, _ lang: Language) throws {
            struct Out: Encodable {
                var stored: [String]
                var alreadyStored: Int
                var skipped: [String]
            }
            let out = Out(
                stored: report.results.filter { $0.evaluationID != nil }.map(\.call), alreadyStored: report.duplicates,
                skipped: report.skipped.map { $0.message(lang) })
            print(String(decoding: try MachineJSON.encoder(pretty: true).encode(out), as: UTF8.self))
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the analysis against hand labels: objections, script stages, next steps.",
            discussion: """
                saleskpi calls evaluate corpus/calls/test                   every labels*.jsonl under the folder
                saleskpi calls evaluate --labels ours.jsonl transcripts/     a labels file, its transcripts elsewhere
                saleskpi calls evaluate corpus/calls/test --lexicon-only     the phrase lists alone, for comparison
                Per call, as a head of sales would check it: each objection kind raised or not, each script \
                stage covered or not, the next step agreed or not, and of the objections both found and labelled, \
                handled or not. Prints precision, recall and F1 per kind and stage, the macro F1 over the kinds, \
                and the accuracies. The labels file format: corpus/calls/README.md.
                """)
        @Argument(
            help: "A folder of labels*.jsonl files and their transcripts; with --labels, the transcripts' folder.")
        var dir: String
        @Option(help: "A labels file (JSON Lines); repeat for several.") var labels: [String] = []
        @Flag(help: "The lexicon alone, no model.") var lexiconOnly = false
        @OptionGroup var speech: SpeechOptions
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption

        func run() throws {
            let lang = language.language
            let lexicon = try speech.lexicon(lang)
            let calls = try reportFailures(lang) {
                labels.isEmpty
                    ? try CallCorpus.read(folder: dir)
                    : try labels.flatMap { try CallCorpus.read(labels: $0, transcripts: dir) }
            }
            let model = lexiconOnly ? nil : try speech.callModel()
            let analyzer = CallAnalyzer(lexicon: lexicon, model: model)
            let evaluation = CallEvaluation(
                kinds: lexicon.objections.keys.sorted(), stages: lexicon.stages.map(\.id),
                calls.map { ($0.labels, analyzer.analyze($0.transcript)) })
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                return print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
            }
            print("\(evaluation.calls) calls, " + (model == nil ? "lexicon only" : "model: \(model!.trainedOn)"))
            print(evaluation.table)
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the call model on labelled calls.",
            discussion: """
                saleskpi calls train corpus/calls/train --out Sources/SalesSpeech/Resources/call-model.json
                One logistic regression per objection kind, script stage, next-step answer and for "handled", \
                over stemmed words and word pairs, negated words, the other side's previous turn and the \
                lexicon's matches. The same calls give the same file. Check it with saleskpi calls evaluate \
                on calls it was not trained on.
                """)
        @Argument(help: "Folders of labels*.jsonl files and their transcripts.") var dirs: [String]
        @Option(help: "The model file to write.") var out: String
        @Option(help: "The L2 penalty.") var lambda = CallModel.defaultLambda
        @Option(help: "Leave out features seen in fewer examples.") var minCount = 2
        @Flag(help: "Also print the figures of 4-fold cross-validation on the training calls.") var crossValidate =
            false
        @OptionGroup var speech: SpeechOptions
        @OptionGroup var language: LanguageOption

        func run() throws {
            let lang = language.language
            let calls = try reportFailures(lang) { try dirs.flatMap { try CallCorpus.read(folder: $0) } }
            let folders = dirs.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            let bar = ProgressBar(lang.message("cli.progress.training"), lang: lang)
            let model = CallModel.train(
                calls, lexicon: try speech.lexicon(lang), lambda: lambda, minCount: minCount,
                trainedOn: "\(calls.count) calls of \(folders)", progress: bar.update)
            bar.finish()
            try model.write(out)
            print(
                "\(out): \(model.features.count) features, \(model.heads.count) heads, trained on \(calls.count) calls")
            if crossValidate {
                let evaluation = CallEvaluation.crossValidated(
                    calls, lexicon: try speech.lexicon(lang), lambda: lambda, minCount: minCount)
                print("cross-validated, 4 folds of the training calls:")
                print(evaluation.table)
            }
        }
    }

    struct Retrain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retrain the company's call model on the corpus and the calls its reviewers corrected.",
            discussion: """
                saleskpi calls retrain --db sales.sqlite                   corpus/calls of a SalesKPI checkout
                saleskpi calls retrain --db sales.sqlite --corpus ~/saleskpi/corpus/calls --dry-run
                Heads and admins correct marks on the call pages (not an objection, this was price, the next \
                step was agreed). Each corrected call, read as its corrected analysis reads it, joins the \
                corpus's training part; the model trained on both is measured beside the one in use on the \
                corpus's test part (calls nobody tuned for) and on the corrected calls, and stored as the \
                company's model: `serve` and `calls import` analyse new calls with it from their next start. \
                Calls analysed before keep their numbers. --dry-run measures without storing.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "The labelled corpus: a folder with train/ and test/ (corpus/calls of a SalesKPI checkout).")
        var corpus = "corpus/calls"
        @Option(help: "The L2 penalty.") var lambda = CallModel.defaultLambda
        @Flag(help: "Measure the retrained model, but do not store it.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var speech: SpeechOptions
        @OptionGroup var language: LanguageOption

        struct Figures: Codable {
            var objectionMacroF1: Double, stageRecall: Double, stagePrecision: Double, nextStepAccuracy: Double
            var handledAccuracy: Double
            init(_ e: CallEvaluation) {
                objectionMacroF1 = e.objectionMacroF1
                stageRecall = e.allStages.recall
                stagePrecision = e.allStages.precision
                nextStepAccuracy = e.nextStepAccuracy
                handledAccuracy = e.handledAccuracy
            }
        }
        struct Report: Codable {
            var trainingCalls: Int, reviewedCalls: Int, testCalls: Int
            var testBefore: Figures, testAfter: Figures, reviewedBefore: Figures, reviewedAfter: Figures
            var stored: Bool
        }

        func run() throws {
            let lang = language.language
            let db = try store.open()
            let lexicon = try speech.lexicon(lang)
            let reviewed = try CallReview.reviewedCalls(in: db)
            guard !reviewed.isEmpty else { throw CLIError(lang.message("cli.calls.retrain.nothing_reviewed")) }
            let folder = { (part: String) in (corpus as NSString).appendingPathComponent(part) }
            guard FileManager.default.fileExists(atPath: folder("train")) else {
                throw CLIError(lang.message("cli.calls.retrain.no_corpus", ["path": "\(folder("train"))"]))
            }
            let (train, test) = try reportFailures(lang) {
                (try CallCorpus.read(folder: folder("train")), try CallCorpus.read(folder: folder("test")))
            }
            let current = try speech.callModel(of: db)
            printError(
                lang.message(
                    "cli.calls.retrain.training", ["train": .count(train.count), "reviewed": .count(reviewed.count)]))
            let bar = ProgressBar(lang.message("cli.progress.training"), lang: lang)
            let model = CallModel.train(
                train + reviewed, lexicon: lexicon, lambda: lambda,
                trainedOn: "\(train.count) corpus calls and \(reviewed.count) reviewed calls of \(db.location)",
                progress: bar.update)
            bar.finish()
            func figures(_ m: CallModel?, _ calls: [LabelledCall]) -> Figures {
                let analyzer = CallAnalyzer(lexicon: lexicon, model: m)
                return Figures(
                    CallEvaluation(
                        kinds: lexicon.objections.keys.sorted(), stages: lexicon.stages.map(\.id),
                        calls.map { ($0.labels, analyzer.analyze($0.transcript)) }))
            }
            let report = Report(
                trainingCalls: train.count, reviewedCalls: reviewed.count, testCalls: test.count,
                testBefore: figures(current, test), testAfter: figures(model, test),
                reviewedBefore: figures(current, reviewed), reviewedAfter: figures(model, reviewed), stored: !dryRun)
            let reportJSON = String(decoding: try MachineJSON.encoder().encode(report), as: UTF8.self)
            if !dryRun {
                try db.callModels.save(
                    StoredCallModel(
                        trainedAt: Int64(Date().timeIntervalSince1970),
                        model: String(decoding: model.json, as: UTF8.self), report: reportJSON))
                try db.audit.record(
                    at: Int64(Date().timeIntervalSince1970), userID: nil, action: "calls.retrain", detail: reportJSON)
            }
            if json {
                return print(String(decoding: try MachineJSON.encoder(pretty: true).encode(report), as: UTF8.self))
            }
            print(Self.table(report, lang))
            print(lang.message(dryRun ? "cli.calls.retrain.not_stored" : "cli.calls.retrain.stored"))
        }

        static func table(_ r: Report, _ lang: Language) -> String {
            let f = { (v: Double) in String(format: "%.2f", v) }
            func line(_ cells: [String]) -> String { aligned(cells, label: 24, column: 18) }
            let rows: [(MessageKey, (Figures) -> Double)] = [
                ("cli.calls.retrain.objection_f1", \.objectionMacroF1),
                ("cli.calls.retrain.stage_recall", \.stageRecall),
                ("cli.calls.retrain.stage_precision", \.stagePrecision),
                ("cli.calls.retrain.next_step", \.nextStepAccuracy), ("cli.calls.retrain.handled", \.handledAccuracy),
            ]
            let head = line([
                "", lang.message("cli.calls.retrain.test_before"), lang.message("cli.calls.retrain.test_after"),
                lang.message("cli.calls.retrain.reviewed_before"), lang.message("cli.calls.retrain.reviewed_after"),
            ])
            let counts = lang.message(
                "cli.calls.retrain.counts",
                ["train": .count(r.trainingCalls), "reviewed": .count(r.reviewedCalls), "test": .count(r.testCalls)])
            let columns = [r.testBefore, r.testAfter, r.reviewedBefore, r.reviewedAfter]
            let lines = rows.map { key, value in line([lang.message(key)] + columns.map { f(value($0)) }) }
            return ([counts, head] + lines).joined(separator: "\n")
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure how many calls a second one core analyses.",
            discussion: """
                saleskpi calls bench --calls 10000 --minutes 10
                Makes up the calls in memory (RU and EN, every stage, objection and filler occurring; not \
                timed), then times, on one core: splitting their text into words (the floor any analysis \
                pays), the full analysis (with the model) and the phrase lists alone. Prints calls per second \
                and the ratio to the split.
                """)
        @Option(help: "Number of calls.") var calls = 10_000
        @Option(help: "Minutes per call.") var minutes = 10.0
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let transcripts = made()
            let utterances = transcripts.reduce(0) { $0 + $1.utterances.count }
            let (words, splitSeconds) = Self.time {
                transcripts.reduce(0) { n, t in t.utterances.reduce(n) { $0 + Words.count($1.text) } }
            }
            let analyzer = CallAnalyzer()
            // A bulk import shares one vocabulary across its calls; a call analysed alone stems all its words.
            var vocabulary = analyzer.makeVocabulary()
            let (score, analysisSeconds) = Self.time {
                transcripts.reduce(0) { $0 + analyzer.analyze($1, sharing: &vocabulary).argumentationScore }
            }
            let (aloneScore, aloneSeconds) = Self.time {
                transcripts.reduce(0) { $0 + analyzer.analyze($1).argumentationScore }
            }
            // The phrase lists alone, without the model: what the model costs.
            let phrases = CallAnalyzer(model: nil)
            var phraseWords = phrases.makeVocabulary()
            let (_, phraseSeconds) = Self.time {
                transcripts.reduce(0) { $0 + phrases.analyze($1, sharing: &phraseWords).argumentationScore }
            }
            precondition(score == aloneScore, "a shared vocabulary must not change a call's analysis")
            let f = { (format: String, v: Double) in String(format: format, v) }
            let rows: [(String, String)] = [
                ("calls", "\(calls)"), ("minutes per call", f("%.0f", minutes)),
                ("utterances", "\(utterances)"), ("words", "\(words)"),
                ("split into words, s", f("%.2f", splitSeconds)), ("full analysis, s", f("%.2f", analysisSeconds)),
                ("calls per second (one core)", f("%.0f", Double(calls) / analysisSeconds)),
                ("each call alone, s", f("%.2f", aloneSeconds)),
                ("calls per second, each alone", f("%.0f", Double(calls) / aloneSeconds)),
                ("calls per second, lexicon only", f("%.0f", Double(calls) / phraseSeconds)),
                ("words per second", f("%.0f", Double(words) / analysisSeconds)),
                ("analysis ÷ word split", f("%.1f×", analysisSeconds / splitSeconds)),
                ("average score (checksum)", f("%.3f", Double(score) / Double(calls))),
            ]
            if json {
                let data = try JSONSerialization.data(
                    withJSONObject: Dictionary(uniqueKeysWithValues: rows), options: [.prettyPrinted, .sortedKeys])
                return print(String(decoding: data, as: UTF8.self))
            }
            for (k, v) in rows { print(k.padding(toLength: 34, withPad: " ", startingAt: 0) + v) }
        }

        /// The calls, made up in memory (not timed).
        private func made() -> [Transcript] {
            let made = SyntheticCalls(minutes: minutes)
            let bar = ProgressBar("generate")
            var transcripts: [Transcript] = []
            transcripts.reserveCapacity(calls)
            for i in 0..<calls {
                transcripts.append(made.call(i))
                if i % 100 == 0 { bar.update(Double(i) / Double(calls)) }
            }
            bar.finish()
            return transcripts
        }

        static func time(_ body: () -> Int) -> (Int, Double) {
            let t = DispatchTime.now().uptimeNanoseconds
            let r = body()
            return (r, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        }
    }
}

/// Who the rep is and what to listen for, for the commands that read transcripts.
struct SpeechOptions: ParsableArguments {
    @Option(help: "The rep's voice name, for files that only name people.") var repSpeaker: String?
    @Option(help: "A YAML file that extends the phrase lists (objections, script stages, fillers).") var lexicon:
        String?

    @Option(help: "A call model file (saleskpi calls train) instead of the shipped one.") var model: String?

    func lexicon(_ lang: Language) throws -> SpeechLexicon { try lexicon.map { try Self.load($0, lang) } ?? .standard }

    /// The model to recognise objections, stages and next steps with: the file given, else the shipped one.
    func callModel() throws -> CallModel? { try model.map { try CallModel.read($0) } ?? CallModel.standard }

    /// The file given, else the company's model in the store (`calls retrain`), else the shipped one.
    func callModel(of store: any SalesDatabase) throws -> CallModel? {
        if model == nil, let company = try store.callModels.latest() {
            return try CallModel(json: Data(company.model.utf8))
        }
        return try callModel()
    }

    /// The standard lexicon extended by the file; a bad file is reported with its line and field.
    static func load(_ path: String, _ lang: Language) throws -> SpeechLexicon {
        try reportFailures(lang) { try SpeechLexiconFile.load(path) }
    }
}

/// A table's line: the label padded to `label` characters, then each cell right-aligned in `column`, a space at
/// least between cells.
private func aligned(_ cells: [String], label: Int, column: Int) -> String {
    cells.enumerated().map {
        $0.offset == 0
            ? $0.element.padding(toLength: label, withPad: " ", startingAt: 0)
            : String(repeating: " ", count: max(1, column - $0.element.count)) + $0.element
    }.joined()
}

extension CallEvaluation {
    /// Precision, recall and F1 per objection kind and stage, the macro F1, the next step's and handled's accuracy.
    var table: String {
        let f = { (v: Double) in String(format: "%.2f", v) }
        func line(_ cells: [String]) -> String { aligned(cells, label: 16, column: 10) }
        func row(_ r: Row) -> String {
            line([
                r.label, "\(r.truePositives + r.falseNegatives)", "\(r.truePositives + r.falsePositives)",
                "\(r.truePositives)", f(r.precision), f(r.recall), f(r.f1),
            ])
        }
        var out = [line(["objection", "expected", "found", "right", "precision", "recall", "F1"])]
        out += objections.map(row)
        out.append(line(["macro F1", "", "", "", "", "", f(objectionMacroF1)]))
        out.append(line(["stage", "expected", "found", "right", "precision", "recall", "F1"]))
        out += (stages + [allStages]).map(row)
        out.append("next step agreed: \(nextStepRight) of \(calls) right (\(f(nextStepAccuracy)))")
        out.append(
            "handled, of the objections found and labelled: \(handledRight) of \(handledJudged) (\(f(handledAccuracy)))"
        )
        return out.joined(separator: "\n")
    }
}
