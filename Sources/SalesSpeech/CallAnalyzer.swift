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
        public enum Kind: String, Sendable, Codable { case stage, objection }
        public var kind: Kind
        /// The stage's id or the objection's category.
        public var id: String
        public var utterance: Int
        public var word: Int
        public var length: Int
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
    private let words: LexiconWords
    private let stages: PhraseSet, objections: PhraseSet, arguments: PhraseSet, fillers: PhraseSet
    private let objectionCategories: [String]
    /// Exact-word ids of the words that open a question; stem ids of "не", "not"….
    private let openWords: Set<Int32>, negations: Set<Int32>

    public init(lexicon: SpeechLexicon = .standard) {
        self.lexicon = lexicon
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
        negations = Set(["не", "ни", "not", "no", "never"].map { words.stemID(Words.stem(Words.split($0)[0])) })
        self.words = words
    }

    /// A vocabulary for `analyze(_:sharing:)`: the calls of one batch share it.
    public func makeVocabulary() -> CallVocabulary { CallVocabulary(lexicon: words) }

    public func analyze(_ t: Transcript) -> CallAnalysis {
        var vocabulary = makeVocabulary()
        return analyze(t, sharing: &vocabulary)
    }

    public func analyze(_ t: Transcript, sharing vocabulary: inout CallVocabulary) -> CallAnalysis {
        vocabulary.bound()
        let u = t.utterances
        // Every utterance's words as ids, end to end: utterance i holds tokens[spans[i]]. The rep's
        // questions are sentences ending in "?"; open when one of their first two words opens a question.
        var tokens: [Int32] = []
        var spans: [Range<Int>] = []
        var questions = 0
        var open = 0
        tokens.reserveCapacity(u.reduce(0) { $0 + $1.text.utf8.count } / 4)
        spans.reserveCapacity(u.count)
        for x in u {
            let from = tokens.count
            let q = vocabulary.read(x.text, into: &tokens, opensQuestion: openWords.contains)
            if x.speaker == .rep {
                questions += q.questions
                open += q.open
            }
            spans.append(from..<tokens.count)
        }
        let stemIDs = tokens.map { vocabulary.stem[Int($0)] }
        let exactIDs = tokens.map { vocabulary.exact[Int($0)] }
        func stems(_ i: Int) -> ArraySlice<Int32> { stemIDs[spans[i]] }

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
            repWords += spans[i].count
            fillerCount += fillers.matches(in: exactIDs[spans[i]]).count
        }

        // Script stages in the rep's words: where each is first said (after the stage before it, if ordered).
        var firstSaid = [Int?](repeating: nil, count: lexicon.stages.count)
        var stageMentions: [(stage: Int, utterance: Int)] = []
        var marks: [CallAnalysis.Mark] = []
        for (i, x) in u.enumerated() where x.speaker == .rep {
            for m in stages.matches(in: stems(i)) {
                stageMentions.append((m.label, i))
                marks.append(
                    .init(
                        kind: .stage, id: lexicon.stages[m.label].id, utterance: i, word: m.at - spans[i].lowerBound,
                        length: m.length))
            }
        }
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

        // Objections: a category the client raised (not negated: "не дорого"), judged at its last mention.
        var mentions: [Int: [Int]] = [:]
        for (i, x) in u.enumerated() where x.speaker == .client {
            for m in objections.matches(in: stems(i)) where !negated(m, in: stems(i)) {
                marks.append(
                    .init(
                        kind: .objection, id: objectionCategories[m.label], utterance: i,
                        word: m.at - spans[i].lowerBound, length: m.length))
                if mentions[m.label]?.last != i { mentions[m.label, default: []].append(i) }
            }
        }
        let found = mentions.sorted { $0.value[0] < $1.value[0] }.map { label, at -> CallAnalysis.Objection in
            let last = at.last!
            // The rep's reply: their utterances after the last mention, up to the client's next one.
            var reply: [Int] = []
            for k in (last + 1)..<u.count {
                if u[k].speaker == .client { break }
                if u[k].speaker == .rep { reply.append(k) }
            }
            let answered = reply.reduce(0) { $0 + spans[$1].count } >= 5
            let argued = reply.contains {
                arguments.occurs(in: stems($0)) || tokens[spans[$0]].contains { vocabulary.isNumber[Int($0)] }
            }
            let handled = answered || nextStepUtterances.contains { $0 > last }
            return .init(
                category: objectionCategories[label], raisedAt: u[at[0]].start - start,
                lastRaisedAt: u[last].start - start,
                handled: handled, argued: argued)
        }

        var a = CallAnalysis(
            seconds: seconds, repSeconds: repSeconds, clientSeconds: clientSeconds,
            talkRatio: repSeconds + clientSeconds > 0 ? repSeconds / (repSeconds + clientSeconds) : 0,
            longestMonologue: longest(.rep), longestClientStory: longest(.client),
            interactivity: seconds > 0 ? Double(max(0, turns.count - 1)) / (seconds / 60) : 0,
            patience: pauses.isEmpty ? nil : pauses.reduce(0, +) / Double(pauses.count),
            questions: questions, openQuestions: open, fillers: fillerCount, repWords: repWords,
            pace: repSeconds > 0 ? Double(repWords) / (repSeconds / 60) : 0,
            stagesCovered: lexicon.stages.indices.filter { firstSaid[$0] != nil }.map { lexicon.stages[$0].id },
            stagesTotal: lexicon.stages.count,
            nextStepAgreed: nextStep.map { firstSaid[$0] != nil } ?? false,
            objections: found, marks: marks.sorted { ($0.utterance, $0.word) < ($1.utterance, $1.word) },
            argumentationScore: 1)
        a.argumentationScore = Self.argumentationScore(a)
        return a
    }

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
