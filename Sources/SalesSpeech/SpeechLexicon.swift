import SalesCore

/// What the analysis listens for, in Russian and English: the call script's stages, the objections
/// a client raises, the markers of an argument, the words that open a question, and filler words.
/// Phrases are matched on word stems (so «стоимость» matches «стоимости»), fillers on exact words.
/// A one-word phrase matches every word with its stem: «договоримся» alone would also match «договор»
/// (a contract), hence «давайте договоримся». A company extends it with its own file
/// (`saleskpi calls --lexicon FILE`, see docs/speech.md).
public struct SpeechLexicon: Sendable, Codable, Equatable {
    public struct Stage: Sendable, Codable, Equatable {
        public var id: String
        public var name: LocalizedText
        public var phrases: [String]
        public init(id: String, name: LocalizedText, phrases: [String]) {
            self.id = id
            self.name = name
            self.phrases = phrases
        }
    }

    /// The call script; `ordered`: a stage counts only after the ones before it.
    public var stages: [Stage]
    public var ordered: Bool
    /// Objection category → the client's phrases that raise it.
    public var objections: [String: [String]]
    /// In the rep's answer to an objection, a reason (or any number) makes it an argument.
    public var argumentMarkers: [String]
    /// A rep's question whose first two words hold one of these is an open question.
    public var openQuestionWords: [String]
    public var fillers: [String]

    public init(
        stages: [Stage], ordered: Bool, objections: [String: [String]], argumentMarkers: [String],
        openQuestionWords: [String], fillers: [String]
    ) {
        self.stages = stages
        self.ordered = ordered
        self.objections = objections
        self.argumentMarkers = argumentMarkers
        self.openQuestionWords = openQuestionWords
        self.fillers = fillers
    }

    /// The stage that agrees the next step: recommendations count the calls that missed it.
    public static let nextStepStage = "next_step"

    public static let objectionNames: [String: LocalizedText] = [
        "price": .init(en: "price", ru: "цена"), "timing": .init(en: "timing", ru: "сроки"),
        "competitor": .init(en: "competitor", ru: "конкурент"),
        "no_need": .init(en: "no need", ru: "нет потребности"),
        "authority": .init(en: "no authority", ru: "не принимает решение"),
        "trust": .init(en: "trust", ru: "доверие"),
    ]

    public static let standard = SpeechLexicon(
        stages: [
            Stage(
                id: "greeting", name: .init(en: "Greeting", ru: "Приветствие"),
                phrases: [
                    "здравствуйте", "добрый день", "доброе утро", "добрый вечер", "меня зовут", "вас беспокоит",
                    "hello", "good morning", "good afternoon", "good evening", "my name is",
                ]),
            Stage(
                id: "discovery", name: .init(en: "Needs discovery", ru: "Выявление потребностей"),
                phrases: [
                    "расскажите", "какие задачи", "что для вас важно", "как сейчас", "как вы сейчас",
                    "с какими сложностями", "какая потребность",
                    "что вам нужно", "сколько у вас",
                    "tell me about", "what challenges", "how do you currently", "what matters", "what is important",
                    "what are you using", "how many",
                ]),
            Stage(
                id: "presentation", name: .init(en: "Presentation", ru: "Презентация"),
                phrases: [
                    "предлагаем", "наше решение", "наш продукт", "наша система", "позволяет", "вы получите",
                    "преимущество",
                    "we offer", "our solution", "our product", "our platform", "allows you", "you will get", "lets you",
                ]),
            Stage(
                id: "objections", name: .init(en: "Handling objections", ru: "Работа с возражениями"),
                phrases: [
                    "понимаю", "согласен", "давайте посчитаем", "по сравнению", "если сравнить",
                    "i understand", "i see your point", "fair point", "compared to", "let me show",
                ]),
            Stage(
                id: nextStepStage, name: .init(en: "Agreeing the next step", ru: "Договорённость о следующем шаге"),
                phrases: [
                    "следующий шаг", "давайте договоримся", "давайте встретимся", "назначим встречу",
                    "отправлю предложение", "пришлю предложение",
                    "пришлю коммерческое предложение", "созвонимся", "запланируем", "demo", "демонстрацию",
                    "next step", "schedule a meeting", "schedule a call", "send you a proposal", "send the proposal",
                    "follow up", "let's meet", "book a demo",
                ]),
        ],
        ordered: false,
        objections: [
            "price": [
                "дорого", "дороговато", "высокая цена", "цена высокая", "нет бюджета", "бюджет", "дешевле", "скидку",
                "expensive", "too much", "price is high", "no budget", "budget", "cheaper", "discount",
            ],
            "timing": [
                "не сейчас", "позже", "не время", "в следующем году", "в следующем квартале", "нет времени",
                "перезвоните",
                "not now", "later", "next year", "next quarter", "no time", "call back", "bad time",
            ],
            "competitor": [
                "конкурент", "уже работаем с", "другой поставщик", "у других", "другие предлагают",
                "competitor", "already work with", "already use", "another vendor", "another supplier",
            ],
            "no_need": [
                "не нужно", "не нужен", "не надо", "нет потребности", "не интересно", "справляемся сами",
                "don't need", "do not need", "not interested", "no need", "we manage ourselves",
            ],
            "authority": [
                "не я решаю", "решает директор", "согласовать с руководством", "нужно согласовать",
                "обсудить с руководством",
                "not my decision", "ask my boss", "check with management", "need approval",
            ],
            "trust": [
                "не доверяю", "не уверен", "гарантии", "не сработает", "никогда о вас не слышали",
                "don't trust", "not sure", "guarantee", "won't work", "never heard of you",
            ],
        ],
        argumentMarkers: [
            "потому что", "так как", "например", "за счёт", "за счет", "экономия", "экономит", "окупается", "окупится",
            "гарантия", "гарантируем", "кейс", "результат",
            "because", "for example", "for instance", "saves", "save", "pays for itself", "return on investment", "roi",
            "guarantee", "case study", "result",
        ],
        openQuestionWords: [
            "что", "как", "какой", "какая", "какое", "какие", "каким", "какую", "каких", "каков", "почему", "зачем",
            "расскажите", "опишите", "где", "кто", "чем",
            "what", "how", "why", "which", "tell", "describe", "explain", "where", "who",
        ],
        fillers: [
            "ну", "э", "ээ", "эээ", "мм", "ммм", "типа", "короче", "как бы", "в общем", "так сказать", "это самое",
            "um", "umm", "uh", "uhm", "er", "erm", "hmm", "you know", "i mean", "basically", "literally", "sort of",
            "kind of",
        ])

    /// This lexicon with `other`'s additions: its stages replace these when it has any; its
    /// objection phrases, markers, question words and fillers are added to these.
    public func extended(with other: SpeechLexicon) -> SpeechLexicon {
        var out = self
        if !other.stages.isEmpty {
            out.stages = other.stages
            out.ordered = other.ordered
        }
        for (category, phrases) in other.objections { out.objections[category, default: []] += phrases }
        out.argumentMarkers += other.argumentMarkers
        out.openQuestionWords += other.openQuestionWords
        out.fillers += other.fillers
        return out
    }
}

/// Phrases compiled for matching: each a sequence of word ids (of stems, or of exact words), found
/// by its first word.
struct PhraseSet: Sendable {
    private var byFirst: [Int32: [(rest: [Int32], label: Int)]] = [:]

    init(_ phrases: [(text: String, label: Int)], stemmed: Bool, words: inout LexiconWords) {
        for (text, label) in phrases {
            let ids = Words.split(text).map { stemmed ? words.stemID(Words.stem($0)) : words.exactID($0) }
            guard let first = ids.first else { continue }
            byFirst[first, default: []].append((Array(ids.dropFirst()), label))
        }
        // Longer phrases first, so that "не нужно" wins over a shorter phrase at the same word.
        for key in byFirst.keys { byFirst[key]!.sort { $0.rest.count > $1.rest.count } }
    }

    /// Each match's label, first word (an index of `ids`) and length; at most one (the longest) per
    /// starting word. `ids` holds -1 for the words the lexicon has no use for.
    func matches(in ids: ArraySlice<Int32>) -> [(label: Int, at: Int, length: Int)] {
        var out: [(Int, Int, Int)] = []
        for i in ids.indices where ids[i] >= 0 {
            guard let candidates = byFirst[ids[i]] else { continue }
            for c in candidates
            where i + c.rest.count < ids.endIndex && c.rest.indices.allSatisfy({ ids[i + 1 + $0] == c.rest[$0] }) {
                out.append((c.label, i, c.rest.count + 1))
                break
            }
        }
        return out
    }

    /// Whether any phrase occurs in `ids`.
    func occurs(in ids: ArraySlice<Int32>) -> Bool { !matches(in: ids).isEmpty }
}
