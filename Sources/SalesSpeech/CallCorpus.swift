import Foundation
import SalesCore

/// One call's labels, as a line of a labels file (corpus/calls/README.md): per utterance, the objections the
/// client raised and whether each was handled, the rep's stages, the next step proposed, agreed or declined.
public struct CallLabels: Sendable, Codable, Equatable {
    public struct Utterance: Sendable, Codable, Equatable {
        public var u: Int
        public var objections: [String: Bool]?
        public var stages: [String]?
        /// `proposed`, `agreed` or `declined`.
        public var nextStep: String?
        enum CodingKeys: String, CodingKey {
            case u, objections, stages
            case nextStep = "next_step"
        }
    }
    public var file: String
    public var lang: String?
    public var industry: String?
    public var repQuality: String?
    public var nextStepAgreed: Bool
    public var labels: [Utterance]
    enum CodingKeys: String, CodingKey {
        case file, lang, industry, labels
        case repQuality = "rep_quality"
        case nextStepAgreed = "next_step_agreed"
    }

    /// The kinds raised anywhere in the call, each with whether its last raising was handled.
    public var objectionsRaised: [String: Bool] {
        var out: [String: Bool] = [:]
        for l in labels.sorted(by: { $0.u < $1.u }) {
            for (kind, handled) in l.objections ?? [:] { out[kind] = handled }
        }
        return out
    }

    public var stagesCovered: Set<String> { Set(labels.flatMap { $0.stages ?? [] }) }
}

extension CallLabels {
    /// The labels a reviewed call teaches: what its analysis, corrected by the reviewer, heard on each utterance
    /// (a reviewer who corrected some marks and left the others let those stand). An objection raised again is
    /// unhandled where it was raised before; its last raising is as the analysis judged it.
    public init(file: String, reviewed a: CallAnalysis) {
        var byU: [Int: Utterance] = [:]
        func at(_ i: Int) -> Utterance { byU[i] ?? Utterance(u: i) }
        let lastRaised = Dictionary(
            a.marks.filter { $0.kind == .objection }.map { ($0.id, $0.utterance) }, uniquingKeysWith: max)
        let handled = Dictionary(a.objections.map { ($0.category, $0.handled) }, uniquingKeysWith: { $1 })
        for m in a.marks {
            var l = at(m.utterance)
            switch m.kind {
            case .objection:
                l.objections = (l.objections ?? [:]).merging([
                    m.id: lastRaised[m.id] == m.utterance && handled[m.id] == true
                ]) { $1 }
            case .stage:
                l.stages = (l.stages ?? []) + (l.stages?.contains(m.id) == true ? [] : [m.id])
                if m.id == SpeechLexicon.nextStepStage { l.nextStep = "proposed" }
            case .nextStep: l.nextStep = m.id
            }
            byU[m.utterance] = l
        }
        self.init(
            file: file, nextStepAgreed: a.nextStepAgreed, labels: byU.keys.sorted().map { byU[$0]! })
    }
}

/// A transcript with its labels.
public struct LabelledCall: Sendable {
    public var labels: CallLabels
    public var transcript: Transcript
    public init(labels: CallLabels, transcript: Transcript) {
        self.labels = labels
        self.transcript = transcript
    }
}

public enum CallCorpus {
    /// The calls of a labels file (JSON Lines), their transcripts read from `dir` (default: the file's folder).
    /// A bad line or a transcript that cannot be read is an error naming the file and line.
    public static func read(labels path: String, transcripts dir: String? = nil) throws -> [LabelledCall] {
        let folder = dir ?? (path as NSString).deletingLastPathComponent
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let reader = TranscriptReader()
        var calls: [LabelledCall] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let labels: CallLabels
            do {
                labels = try JSONDecoder().decode(CallLabels.self, from: Data(line.utf8))
            } catch {
                throw TranscriptError(
                    file: path, line: n + 1, field: nil,
                    message: LocalizedText("calls.labels.bad_line", ["error": "\(error)"]))
            }
            let transcript = try reader.read(contentsOf: (folder as NSString).appendingPathComponent(labels.file))
            for l in labels.labels where !transcript.utterances.indices.contains(l.u) {
                throw TranscriptError(
                    file: path, line: n + 1, field: "labels.u",
                    message: LocalizedText(
                        "calls.labels.no_utterance", ["u": "\(l.u)", "count": "\(transcript.utterances.count)"]))
            }
            calls.append(LabelledCall(labels: labels, transcript: transcript))
        }
        return calls
    }

    /// Every labels file (`labels*.jsonl`) under `dir`, its calls in file order.
    public static func read(folder dir: String) throws -> [LabelledCall] {
        guard let names = FileManager.default.enumerator(atPath: dir)?.compactMap({ $0 as? String }) else { return [] }
        return try names.filter { ($0 as NSString).lastPathComponent.hasPrefix("labels") && $0.hasSuffix(".jsonl") }
            .sorted().flatMap { try read(labels: (dir as NSString).appendingPathComponent($0)) }
    }
}

extension CallModel {
    /// Trains every head on `calls`: objections and the next step's answer on the client's utterances, stages on
    /// the rep's, `handled` on each labelled raising. Features seen in fewer than `minCount` examples are left out.
    public static func train(
        _ calls: [LabelledCall], lexicon: SpeechLexicon = .standard, lambda: Double = CallModel.defaultLambda,
        minCount: Int = 2,
        folds: Int = 4, trainedOn: String, progress: ((Double) -> Void)? = nil
    ) -> CallModel {
        var stems = Set<[UInt32]>()
        for c in calls {
            for x in c.transcript.utterances { for w in Words.split(x.text) { stems.insert(Words.stem(w)) } }
        }
        let analyzer = CallAnalyzer(
            lexicon: lexicon, model: nil, extraStems: stems.sorted { $0.lexicographicallyPrecedes($1) })
        var vocabulary = analyzer.makeVocabulary()
        let kinds = analyzer.objectionCategories
        let stageIDs = lexicon.stages.map(\.id)

        // The examples of each head: feature keys and the label.
        var examples: [String: [Example]] = [:]
        // In how many utterances and raisings each feature occurs.
        var seen: [UInt64: Int] = [:]
        for (n, c) in calls.enumerated() {
            let u = c.transcript.utterances
            let r = analyzer.read(c.transcript, sharing: &vocabulary)
            let keys = analyzer.featureKeys(u, r)
            var byU: [Int: CallLabels.Utterance] = [:]
            for l in c.labels.labels { byU[l.u] = l }
            for i in u.indices {
                let l = byU[i]
                for k in keys[i] { seen[k, default: 0] += 1 }
                switch u[i].speaker {
                case .client:
                    for kind in kinds {
                        examples[objectionPrefix + kind, default: []].append(
                            Example(keys[i], l?.objections?[kind] != nil, n))
                    }
                    examples[agreed, default: []].append(Example(keys[i], l?.nextStep == "agreed", n))
                    examples[declined, default: []].append(Example(keys[i], l?.nextStep == "declined", n))
                case .rep:
                    for s in stageIDs {
                        examples[stagePrefix + s, default: []].append(
                            Example(keys[i], l?.stages?.contains(s) == true, n))
                    }
                case .unknown: break
                }
                // In kind order: the examples' order is the fit's order of sums, and so its last digits.
                for (kind, wasHandled) in (l?.objections ?? [:]).sorted(by: { $0.key < $1.key })
                where kinds.contains(kind) {
                    let again = c.labels.labels.contains { $0.u > i && $0.objections?[kind] != nil }
                    let reply = analyzer.replyKeys(raise: i, again: again, u, r)
                    for k in reply { seen[k, default: 0] += 1 }
                    examples[handled, default: []].append(Example(reply, wasHandled, n))
                }
            }
        }

        // The lexicon's phrases are examples too, each an utterance of its own, so the textbook words ("too
        // expensive", "not my decision") weigh as much as the corpus's colloquial ones; a company's additions teach at
        // retraining. They are always fitted on and never held out (a negative "call").
        let positional = Set(
            [CallFeatures.Flag.firstOfSpeaker, .opening, .closing].map { CallFeatures.key(.flag, $0.rawValue) })
        func phraseKeys(_ text: String, _ speaker: Transcript.Speaker) -> [UInt64] {
            let t = Transcript(utterances: [.init(speaker: speaker, start: 0, end: 1, text: text)])
            let keys = analyzer.featureKeys(t.utterances, analyzer.read(t, sharing: &vocabulary))[0]
            return keys.filter { !positional.contains($0) }
        }
        /// Each group's phrases: a yes for its own head, a no for the other groups' heads.
        func addPhrases(_ groups: [(id: String, phrases: [String])], _ speaker: Transcript.Speaker, _ prefix: String) {
            for group in groups {
                for phrase in group.phrases {
                    let keys = phraseKeys(phrase, speaker)
                    for k in keys { seen[k, default: 0] += 1 }
                    for other in groups {
                        examples[prefix + other.id, default: []].append(Example(keys, other.id == group.id, -1))
                    }
                }
            }
        }
        addPhrases(kinds.map { ($0, lexicon.objections[$0] ?? []) }, .client, objectionPrefix)
        addPhrases(lexicon.stages.map { ($0.id, $0.phrases) }, .rep, stagePrefix)

        // The features: those in enough examples, named, in name order (the same corpus, the same file).
        var named: [(name: String, key: UInt64)] = []
        for (key, n) in seen where n >= minCount {
            if let name = CallFeatures.name(key, stems: analyzer.words.stemList, objections: kinds, stages: stageIDs) {
                named.append((name, key))
            }
        }
        named.sort { ($0.name, $0.key) < ($1.name, $1.key) }
        var index: [UInt64: Int32] = [:]
        for (i, f) in named.enumerated() { index[f.key] = Int32(i) }

        func fit(_ list: [Example]) -> LogisticRegression {
            var rows = BinaryRows(normalised: true)
            for e in list { rows.append(e.keys.compactMap { index[$0] }) }
            return LogisticRegression(rows: rows, width: named.count, labels: list.map(\.yes), lambda: lambda)
        }
        func probability(_ m: LogisticRegression, _ keys: [UInt64]) -> Double {
            let columns = keys.compactMap { index[$0] }
            let v = BinaryRows.value(count: columns.count, normalised: true)
            return m.probability(columns: columns[...], values: Array(repeating: v, count: columns.count)[...])
        }
        var heads: [String: Head] = [:]
        let trained = examples.sorted(by: { $0.key < $1.key }).filter { $0.value.contains(where: \.yes) }
        for (n, (id, list)) in trained.enumerated() {
            defer { progress?(Double(n + 1) / Double(trained.count)) }
            // The threshold: the best F1 on each fold's calls, by a model fitted on the other folds' calls.
            var held: [(p: Double, yes: Bool, call: Int)] = []
            for fold in 0..<folds {
                let model = fit(list.filter { $0.call % folds != fold })
                held += list.filter { $0.call % folds == fold }.map { (probability(model, $0.keys), $0.yes, $0.call) }
            }
            // Objections and stages count per call (raised, covered): judge the threshold on each call's
            // likeliest utterance, as `calls evaluate` does.
            if id.hasPrefix(objectionPrefix) || id.hasPrefix(stagePrefix) {
                var byCall: [Int: (p: Double, yes: Bool, call: Int)] = [:]
                for h in held {
                    let was = byCall[h.call] ?? (0, false, h.call)
                    byCall[h.call] = (max(was.p, h.p), was.yes || h.yes, h.call)
                }
                held = byCall.keys.sorted().map { byCall[$0]! }
            }
            let threshold =
                stride(from: 0.02, through: 0.951, by: 0.01).max { a, b in f1(held, a) < f1(held, b) } ?? 0.5
            let fitted = fit(list)
            let weights = fitted.weights.enumerated().filter { abs($0.element) >= 0.001 }.map {
                [Double($0.offset), ($0.element * 10_000).rounded() / 10_000]
            }
            heads[id] = Head(
                intercept: (fitted.intercept * 10_000).rounded() / 10_000, weights: weights,
                threshold: (threshold * 100).rounded() / 100)
        }
        return CallModel(trainedOn: trainedOn, lambda: lambda, features: named.map(\.name), heads: heads)
    }
}

extension CallEvaluation {
    /// How a model trained this way does on calls it did not see: each fold of `calls` analysed by a model trained
    /// on the others, the figures over all of them. What to tune on, so that the test part stays unseen.
    public static func crossValidated(
        _ calls: [LabelledCall], lexicon: SpeechLexicon = .standard, lambda: Double = CallModel.defaultLambda,
        minCount: Int = 2,
        folds: Int = 4
    ) -> CallEvaluation {
        var results: [(CallLabels, CallAnalysis)] = []
        for fold in 0..<folds {
            let train = calls.indices.filter { $0 % folds != fold }.map { calls[$0] }
            let model = CallModel.train(train, lexicon: lexicon, lambda: lambda, minCount: minCount, trainedOn: "")
            let analyzer = CallAnalyzer(lexicon: lexicon, model: model)
            for i in calls.indices where i % folds == fold {
                results.append((calls[i].labels, analyzer.analyze(calls[i].transcript)))
            }
        }
        return CallEvaluation(kinds: lexicon.objections.keys.sorted(), stages: lexicon.stages.map(\.id), results)
    }
}

/// One example of a head: an utterance's (or a raising's) features, its label, and its call (for the folds).
struct Example {
    var keys: [UInt64]
    var yes: Bool
    var call: Int
    init(_ keys: [UInt64], _ yes: Bool, _ call: Int) {
        self.keys = keys
        self.yes = yes
        self.call = call
    }
}

/// How the analysis does against labels, per call: each objection kind and stage as found or not, the next step
/// as agreed or not, and of the objections found and labelled, whether handled.
public struct CallEvaluation: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var label: String
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0
        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        enum CodingKeys: String, CodingKey {
            case label
            case truePositives = "true_positives"
            case falsePositives = "false_positives"
            case falseNegatives = "false_negatives"
            case precision, recall, f1
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(label, forKey: .label)
            try c.encode(truePositives, forKey: .truePositives)
            try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(precision, forKey: .precision)
            try c.encode(recall, forKey: .recall)
            try c.encode(f1, forKey: .f1)
        }
        mutating func count(expected: Bool, found: Bool) {
            if expected && found { truePositives += 1 }
            if !expected && found { falsePositives += 1 }
            if expected && !found { falseNegatives += 1 }
        }
    }

    public var calls = 0
    public var objections: [Row]
    public var stages: [Row]
    /// All stages together.
    public var allStages: Row
    public var nextStepRight = 0
    public var handledRight = 0, handledJudged = 0

    /// The mean F1 over the kinds that were expected or found (a kind absent from the calls and never reported
    /// says nothing either way).
    public var objectionMacroF1: Double {
        let seen = objections.filter { $0.truePositives + $0.falsePositives + $0.falseNegatives > 0 }
        return seen.isEmpty ? 0 : seen.map(\.f1).reduce(0, +) / Double(seen.count)
    }
    public var nextStepAccuracy: Double { ratio(nextStepRight, calls) }
    public var handledAccuracy: Double { ratio(handledRight, handledJudged) }

    public init(kinds: [String], stages stageIDs: [String], _ results: [(CallLabels, CallAnalysis)]) {
        objections = kinds.map { Row(label: $0) }
        stages = stageIDs.map { Row(label: $0) }
        allStages = Row(label: "all")
        for (labels, analysis) in results {
            calls += 1
            let raised = labels.objectionsRaised
            let found = Dictionary(analysis.objections.map { ($0.category, $0.handled) }, uniquingKeysWith: { $1 })
            for i in kinds.indices {
                objections[i].count(expected: raised[kinds[i]] != nil, found: found[kinds[i]] != nil)
                if let expected = raised[kinds[i]], let got = found[kinds[i]] {
                    handledJudged += 1
                    if expected == got { handledRight += 1 }
                }
            }
            let covered = labels.stagesCovered
            for i in stageIDs.indices {
                let expected = covered.contains(stageIDs[i])
                let got = analysis.stagesCovered.contains(stageIDs[i])
                stages[i].count(expected: expected, found: got)
                allStages.count(expected: expected, found: got)
            }
            if labels.nextStepAgreed == analysis.nextStepAgreed { nextStepRight += 1 }
        }
    }

    enum CodingKeys: String, CodingKey {
        case calls, objections, stages
        case allStages = "all_stages"
        case objectionMacroF1 = "objection_macro_f1"
        case nextStepAccuracy = "next_step_accuracy"
        case handledAccuracy = "handled_accuracy"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(calls, forKey: .calls)
        try c.encode(objections, forKey: .objections)
        try c.encode(stages, forKey: .stages)
        try c.encode(allStages, forKey: .allStages)
        try c.encode(objectionMacroF1, forKey: .objectionMacroF1)
        try c.encode(nextStepAccuracy, forKey: .nextStepAccuracy)
        try c.encode(handledAccuracy, forKey: .handledAccuracy)
    }
}

private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

/// F1 of saying yes from `threshold` on.
private func f1(_ scored: [(p: Double, yes: Bool, call: Int)], _ threshold: Double) -> Double {
    var row = CallEvaluation.Row(label: "")
    for s in scored { row.count(expected: s.yes, found: s.p >= threshold) }
    return row.f1
}
