import SalesCore

/// What one call's transcript shows about how the rep ran it (definitions: docs/speech.md).
public struct CallAnalysis: Sendable, Equatable, Codable {
    public struct Objection: Sendable, Equatable, Codable {
        /// `price`, `timing`, `competitor`, `no_need`, `authority`, `trust` or a company's own.
        public var category: String
        /// Seconds into the call: when the client first raised it, and last came back to it.
        public var raisedAt: Double
        public var lastRaisedAt: Double
        /// The rep answered its last mention (five words or more) or agreed a next step after it.
        public var handled: Bool
        /// The answer gave a reason or a number.
        public var argued: Bool
    }

    /// Where the analysis heard a script stage (in the rep's words) or an objection (in the client's):
    /// the utterance, and the phrase's first word and length in the utterance's words (`Words.ranges`).
    public struct Mark: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable {
            case stage, objection
            /// A client's answer to a next step proposed: `agreed` or `declined`.
            case nextStep = "next_step"
        }
        public var kind: Kind
        /// The stage's id or the objection's category.
        public var id: String
        public var utterance: Int
        public var word: Int
        public var length: Int
        /// Why the model heard it: its strongest features («бюджет», «уже бюджет», after «сколько»); nil when
        /// a lexicon phrase was heard (the phrase is the reason).
        public var because: [String]? = nil
        /// A reviewer put it there (`CallCorrection`): it has no phrase of its own.
        public var corrected: Bool? = nil

        static func corrected(_ kind: Kind, _ id: String, _ utterance: Int) -> Mark {
            Mark(kind: kind, id: id, utterance: utterance, word: 0, length: 0, corrected: true)
        }
    }

    public var seconds: Double
    public var repSeconds: Double
    public var clientSeconds: Double
    /// The rep's share of the talk, 0…1.
    public var talkRatio: Double
    public var longestMonologue: Double
    public var longestClientStory: Double
    /// Rep ↔ client switches per minute.
    public var interactivity: Double
    /// Average pause before the rep answers the client, seconds (nil: the rep never answered).
    public var patience: Double?
    public var questions: Int
    public var openQuestions: Int
    public var fillers: Int
    public var repWords: Int
    /// The rep's words per minute of the rep's talk.
    public var pace: Double
    /// The script's stages the rep covered, in the script's order.
    public var stagesCovered: [String]
    public var stagesTotal: Int
    public var scriptCompliance: Double { stagesTotal == 0 ? 0 : Double(stagesCovered.count) / Double(stagesTotal) }
    public var nextStepAgreed: Bool
    public var objections: [Objection]
    public var objectionsHandled: Int { objections.filter(\.handled).count }
    public var marks: [Mark]
    /// 1–5: see `CallAnalyzer.argumentationScore`.
    public var argumentationScore: Int
}

/// Scores a call from its transcript: talk and listen, monologues, questions, the script's stages,
/// the objections raised and whether each was handled, and an argumentation score.
public struct CallAnalyzer: Sendable {
    public let lexicon: SpeechLexicon
    /// The model that recognises objections, stages and next steps; nil: the lexicon alone.
    public let model: CallModel?
    let words: LexiconWords
    let stages: PhraseSet, objections: PhraseSet, arguments: PhraseSet, fillers: PhraseSet
    let objectionCategories: [String]
    /// Exact-word ids of the words that open a question; stem ids of "не", "not"…; of the words that open a
    /// negation's scope for the model («не», «без», "not", "n't"…).
    private let openWords: Set<Int32>, negations: Set<Int32>, scopeWords: Set<Int32>
    let loaded: LoadedCallModel?

    public init(lexicon: SpeechLexicon = .standard, model: CallModel? = CallModel.standard) {
        self.init(lexicon: lexicon, model: model, extraStems: [])
    }

    /// `extraStems`: more stems to know by id (training gives every stem of its corpus one).
    init(lexicon: SpeechLexicon, model: CallModel?, extraStems: [[UInt32]]) {
        self.lexicon = lexicon
        self.model = model
        var words = LexiconWords()
        stages = PhraseSet(
            lexicon.stages.enumerated().flatMap { i, s in s.phrases.map { ($0, i) } }, stemmed: true, words: &words)
        objectionCategories = lexicon.objections.keys.sorted()
        objections = PhraseSet(
            objectionCategories.enumerated().flatMap { i, c in lexicon.objections[c]!.map { ($0, i) } },
            stemmed: true, words: &words)
        arguments = PhraseSet(lexicon.argumentMarkers.map { ($0, 0) }, stemmed: true, words: &words)
        fillers = PhraseSet(lexicon.fillers.map { ($0, 0) }, stemmed: false, words: &words)
        openWords = Set(lexicon.openQuestionWords.flatMap(Words.split).map { words.exactID($0) })
        func stemIDs(_ list: [String]) -> Set<Int32> {
            Set(list.map { words.stemID(Words.stem(Words.split($0)[0])) })
        }
        negations = stemIDs(["не", "ни", "not", "no", "never"])
        scopeWords = stemIDs(["не", "ни", "нет", "без", "not", "no", "never", "t", "without"])
        for stem in extraStems { _ = words.stemID(stem) }
        if let model {
            let categories = objectionCategories
            loaded = LoadedCallModel(model, words: &words, objections: categories, stages: lexicon.stages.map(\.id))
        } else {
            loaded = nil
        }
        self.words = words
    }

    /// A vocabulary for `analyze(_:sharing:)`: the calls of one batch share it.
    public func makeVocabulary() -> CallVocabulary { CallVocabulary(lexicon: words) }

    public func analyze(_ t: Transcript) -> CallAnalysis {
        var vocabulary = makeVocabulary()
        return analyze(t, sharing: &vocabulary)
    }

    /// A call's words as ids and what the lexicon found in them.
    struct ReadCall {
        /// Every utterance's words as ids, end to end: utterance i holds tokens[spans[i]].
        var tokens: [Int32] = [], spans: [Range<Int>] = []
        var stemIDs: [Int32] = [], exactIDs: [Int32] = [], isNumber: [Bool] = []
        var questions = 0, open = 0
        var asks: [Bool] = []
        /// Per utterance: the stages the lexicon heard (rep) or its objections, not negated (client).
        var stageMatches: [[(label: Int, at: Int, length: Int)]] = []
        var objectionMatches: [[(label: Int, at: Int, length: Int)]] = []
        func stems(_ i: Int) -> ArraySlice<Int32> { stemIDs[spans[i]] }
    }

    func read(_ t: Transcript, sharing vocabulary: inout CallVocabulary) -> ReadCall {
        vocabulary.bound()
        let u = t.utterances
        var r = ReadCall()
        // The rep's questions are sentences ending in "?"; open when one of their first two words opens a question.
        r.tokens.reserveCapacity(u.reduce(0) { $0 + $1.text.utf8.count } / 4)
        r.spans.reserveCapacity(u.count)
        for x in u {
            let from = r.tokens.count
            let q = vocabulary.read(x.text, into: &r.tokens, opensQuestion: openWords.contains)
            if x.speaker == .rep {
                r.questions += q.questions
                r.open += q.open
            }
            r.asks.append(q.questions > 0)
            r.spans.append(from..<r.tokens.count)
        }
        r.stemIDs = r.tokens.map { vocabulary.stem[Int($0)] }
        r.exactIDs = r.tokens.map { vocabulary.exact[Int($0)] }
        r.isNumber = r.tokens.map { vocabulary.isNumber[Int($0)] }
        for (i, x) in u.enumerated() {
            r.stageMatches.append(x.speaker == .rep ? stages.matches(in: r.stems(i)) : [])
            r.objectionMatches.append(
                x.speaker == .client ? objections.matches(in: r.stems(i)).filter { !negated($0, in: r.stems(i)) } : [])
        }
        return r
    }

    /// `corrections`: what reviewers said the analysis should hear (`CallCorrection`), over what it hears.
    public func analyze(
        _ t: Transcript, corrections: CallCorrections = .none, sharing vocabulary: inout CallVocabulary
    ) -> CallAnalysis {
        let u = t.utterances
        let r = read(t, sharing: &vocabulary)
        func stems(_ i: Int) -> ArraySlice<Int32> { r.stems(i) }

        let start = u.map(\.start).min() ?? 0
        let end = u.map(\.end).max() ?? 0
        let seconds = end - start
        func talk(_ s: Transcript.Speaker) -> Double { u.filter { $0.speaker == s }.reduce(0) { $0 + $1.duration } }
        let repSeconds = talk(.rep)
        let clientSeconds = talk(.client)

        // Turns: runs of one side's utterances (an unknown voice neither breaks nor joins a run).
        var turns: [(speaker: Transcript.Speaker, start: Double, end: Double)] = []
        for x in u where x.speaker != .unknown {
            if let last = turns.last, last.speaker == x.speaker {
                turns[turns.count - 1].end = max(last.end, x.end)
            } else {
                turns.append((x.speaker, x.start, x.end))
            }
        }
        func longest(_ s: Transcript.Speaker) -> Double {
            turns.filter { $0.speaker == s }.map { $0.end - $0.start }.max() ?? 0
        }
        let pauses = zip(turns, turns.dropFirst()).filter { $0.speaker == .client && $1.speaker == .rep }.map {
            max(0, $1.start - $0.end)
        }

        var fillerCount = 0
        var repWords = 0
        for (i, x) in u.enumerated() where x.speaker == .rep {
            repWords += r.spans[i].count
            fillerCount += fillers.matches(in: r.exactIDs[r.spans[i]]).count
        }

        let heard = loaded.map { hear(u, r, $0) } ?? Heard()
        var marks = heard.marks

        // Script stages in the rep's words: where each is first said (after the stage before it, if ordered).
        // A phrase of the lexicon always counts — they are the company's own words; the model adds the stages
        // said in other words.
        var firstSaid = [Int?](repeating: nil, count: lexicon.stages.count)
        var stageMentions: [(stage: Int, utterance: Int)] = heard.stages
        func heardThere(_ kind: CallAnalysis.Mark.Kind, _ id: String, _ i: Int) -> Bool {
            heard.marks.contains { $0.kind == kind && $0.id == id && $0.utterance == i }
        }
        for (i, matches) in r.stageMatches.enumerated() {
            for m in matches where !heardThere(.stage, lexicon.stages[m.label].id, i) {
                stageMentions.append((m.label, i))
                marks.append(
                    .init(
                        kind: .stage, id: lexicon.stages[m.label].id, utterance: i, word: m.at - r.spans[i].lowerBound,
                        length: m.length))
            }
        }
        // A reviewer's reading of an utterance: what they confirmed keeps its mark, the rest goes, what they
        // added is marked as theirs.
        for (i, ids) in corrections.stages {
            marks.removeAll { $0.kind == .stage && $0.utterance == i && !ids.contains($0.id) }
            stageMentions.removeAll { $0.utterance == i && !ids.contains(lexicon.stages[$0.stage].id) }
            for (s, stage) in lexicon.stages.enumerated()
            where ids.contains(stage.id) && !stageMentions.contains(where: { $0.stage == s && $0.utterance == i }) {
                stageMentions.append((s, i))
                marks.append(.corrected(.stage, stage.id, i))
            }
        }
        stageMentions.sort { ($0.utterance, $0.stage) < ($1.utterance, $1.stage) }
        if lexicon.ordered {
            var after = -1
            for s in lexicon.stages.indices {
                if let at = stageMentions.first(where: { $0.stage == s && $0.utterance >= after })?.utterance {
                    firstSaid[s] = at
                    after = at
                }
            }
        } else {
            for m in stageMentions where firstSaid[m.stage] == nil { firstSaid[m.stage] = m.utterance }
        }
        let nextStep = lexicon.stages.firstIndex { $0.id == SpeechLexicon.nextStepStage }
        let nextStepUtterances = stageMentions.filter { $0.stage == nextStep }.map(\.utterance)

        // Objections: a category the client raised (not negated: "не дорого"), judged at its last mention. A phrase
        // of the lexicon counts unless the model, which hears the context ("budget isn't the issue"), rules it out.
        var mentions: [Int: [Int]] = heard.objections
        for (i, matches) in r.objectionMatches.enumerated() {
            for m in matches where !heardThere(.objection, objectionCategories[m.label], i) && !heard.vetoed(m.label, i)
            {
                marks.append(
                    .init(
                        kind: .objection, id: objectionCategories[m.label], utterance: i,
                        word: m.at - r.spans[i].lowerBound, length: m.length))
                if mentions[m.label]?.last != i { mentions[m.label, default: []].append(i) }
            }
        }
        for (i, kinds) in corrections.objections {
            marks.removeAll { $0.kind == .objection && $0.utterance == i && kinds[$0.id] == nil }
            for (label, kind) in objectionCategories.enumerated() {
                if kinds[kind] == nil {
                    mentions[label]?.removeAll { $0 == i }
                } else if mentions[label]?.contains(i) != true {
                    mentions[label, default: []].append(i)
                    marks.append(.corrected(.objection, kind, i))
                }
            }
        }
        mentions = mentions.filter { !$0.value.isEmpty }
        for label in mentions.keys { mentions[label]!.sort() }
        for (i, answer) in corrections.nextSteps {
            marks.removeAll { $0.kind == .nextStep && $0.utterance == i && $0.id != answer }
            if !answer.isEmpty && !marks.contains(where: { $0.kind == .nextStep && $0.utterance == i }) {
                marks.append(.corrected(.nextStep, answer, i))
            }
        }
        let found = mentions.sorted { $0.value[0] < $1.value[0] }.map { label, at -> CallAnalysis.Objection in
            let last = at.last!
            let reply = Self.reply(to: last, u)
            let argued = reply.contains {
                arguments.occurs(in: stems($0)) || r.spans[$0].contains { r.isNumber[$0] }
            }
            let handled: Bool
            if let said = corrections.objections[last]?[objectionCategories[label]] {
                handled = said
            } else if let model = loaded, let head = model.handled {
                handled = model.says(head, replyKeys(raise: last, again: false, u, r))
            } else {
                // The rep answered its last mention (five words or more) or agreed a next step after it.
                let answered = reply.reduce(0) { $0 + r.spans[$1].count } >= 5
                handled = answered || nextStepUtterances.contains { $0 > last }
            }
            return .init(
                category: objectionCategories[label], raisedAt: u[at[0]].start - start,
                lastRaisedAt: u[last].start - start,
                handled: handled, argued: argued)
        }

        marks.sort {
            ($0.utterance, $0.word, $0.kind.rawValue, $0.id) < ($1.utterance, $1.word, $1.kind.rawValue, $1.id)
        }
        // The next step: as heard, unless a reviewer corrected a proposal or an answer (then its course is
        // followed again through the marks, when there are answers to follow) or the call's outcome.
        var agreed = heard.nextStepAgreed ?? nextStep.map { firstSaid[$0] != nil } ?? false
        if corrections.touchNextStep && (loaded != nil || !corrections.nextSteps.isEmpty) {
            agreed = Self.lastStepAgreed(marks)
        }
        if let said = corrections.nextStepAgreed { agreed = said }

        var a = CallAnalysis(
            seconds: seconds, repSeconds: repSeconds, clientSeconds: clientSeconds,
            talkRatio: repSeconds + clientSeconds > 0 ? repSeconds / (repSeconds + clientSeconds) : 0,
            longestMonologue: longest(.rep), longestClientStory: longest(.client),
            interactivity: seconds > 0 ? Double(max(0, turns.count - 1)) / (seconds / 60) : 0,
            patience: pauses.isEmpty ? nil : pauses.reduce(0, +) / Double(pauses.count),
            questions: r.questions, openQuestions: r.open, fillers: fillerCount, repWords: repWords,
            pace: repSeconds > 0 ? Double(repWords) / (repSeconds / 60) : 0,
            stagesCovered: lexicon.stages.indices.filter { firstSaid[$0] != nil }.map { lexicon.stages[$0].id },
            stagesTotal: lexicon.stages.count,
            nextStepAgreed: agreed, objections: found, marks: marks,
            argumentationScore: 1)
        a.argumentationScore = Self.argumentationScore(a)
        return a
    }

    /// Whether the last next step proposed was agreed, following the marks in order: a proposal (the rep's
    /// next-step stage) waits for its answer, an agreement stands until the client takes it back.
    static func lastStepAgreed(_ marks: [CallAnalysis.Mark]) -> Bool {
        var step = 0  // none proposed, proposed, agreed, declined
        for m in marks {
            if m.kind == .stage && m.id == SpeechLexicon.nextStepStage {
                if step != 2 { step = 1 }
            } else if m.kind == .nextStep && step > 0 {
                step = m.id == "agreed" ? 2 : 3
            }
        }
        return step == 2
    }

    /// The rep's reply to utterance `i`: their utterances after it, up to the client's next one.
    static func reply(to i: Int, _ u: [Transcript.Utterance]) -> [Int] {
        var reply: [Int] = []
        for k in (i + 1)..<u.count {
            if u[k].speaker == .client { break }
            if u[k].speaker == .rep { reply.append(k) }
        }
        return reply
    }

    /// Whether a stem id opens a negation's scope, for the model's features.
    func opensScope(_ stem: Int32) -> Bool { scopeWords.contains(stem) }
    /// A phrase right after "не"/"not" (unless it starts with one itself) says the opposite.
    private func negated(_ m: (label: Int, at: Int, length: Int), in stems: ArraySlice<Int32>) -> Bool {
        m.at > stems.startIndex && negations.contains(stems[m.at - 1]) && !negations.contains(stems[m.at])
    }

    /// 1 + 4 × the mean of four shares, rounded: the script covered; objections handled; answers to
    /// objections that argued (a reason or a number); discovery — open questions, two make it whole.
    /// A call without objections has nothing to lose on those two.
    public static func argumentationScore(_ a: CallAnalysis) -> Int {
        let n = Double(a.objections.count)
        let handled = n == 0 ? 1 : Double(a.objectionsHandled) / n
        let argued = n == 0 ? 1 : Double(a.objections.filter(\.argued).count) / n
        let discovery = min(1, Double(a.openQuestions) / 2)
        let mean = (a.scriptCompliance + handled + argued + discovery) / 4
        return 1 + Int((4 * mean).rounded())
    }
}

extension CallAnalysis {
    /// What the KPIs add up of this call.
    public var measures: CallMeasures {
        CallMeasures(
            repTalkSeconds: Int(repSeconds.rounded()), clientTalkSeconds: Int(clientSeconds.rounded()),
            questions: questions,
            openQuestions: openQuestions, stagesCovered: stagesCovered.count, stagesTotal: stagesTotal,
            nextStepAgreed: nextStepAgreed)
    }
}
