import SalesCore

/// Made-up sales calls of a given length, RU and EN, for benchmarks: a greeting, questions, a
/// presentation, objections and answers, a next step, in lines drawn from small phrase pools so that
/// every stage, objection and filler occurs. Same seed, same calls.
public struct SyntheticCalls: Sendable {
    public var minutes: Double
    public var seed: UInt64
    public init(minutes: Double = 10, seed: UInt64 = 1) {
        self.minutes = minutes
        self.seed = seed
    }

    static let rep = [
        [
            "Добрый день! Меня зовут Анна, компания «Ромашка».", "Расскажите, как вы сейчас ведёте учёт продаж?",
            "Наша система позволяет сократить время на отчёты, например, на 30 % за первый месяц.",
            "Понимаю, давайте посчитаем вместе.",
            "Сколько у вас менеджеров и как вы планируете продажи на следующий квартал?",
            "Ну, вы получите отчёты в реальном времени, потому что данные приходят из CRM.",
            "Давайте назначим встречу в четверг, и я пришлю предложение?", "Какие задачи для вас сейчас важнее всего?",
        ],
        [
            "Good morning! My name is Tom from Acme.", "What challenges do you have with reporting today?",
            "Our platform lets you cut reporting time, for example by 30 percent in the first month.",
            "I understand, let me show you the numbers.",
            "How many reps do you have, and how do you plan next quarter?",
            "Um, you will get live reports, because the data comes straight from the CRM.",
            "Shall we schedule a meeting on Thursday, and I will send you a proposal?",
            "Which tasks matter most to you right now?",
        ],
    ]
    static let client = [
        [
            "Здравствуйте, слушаю.", "Ведём в таблицах, это неудобно.", "Звучит интересно, но дорого.",
            "Нам это не нужно, мы справляемся сами.",
            "Сейчас не время, давайте позже.", "Мы уже работаем с другим поставщиком.",
            "Это не я решаю, нужно согласовать с руководством.",
            "Хорошо, присылайте.", "А какие гарантии?", "У нас двенадцать менеджеров и три филиала.",
        ],
        [
            "Hello, go ahead.", "We use spreadsheets, which is painful.", "Sounds interesting, but expensive.",
            "We don't need it, we manage ourselves.",
            "It is a bad time, call back later.", "We already work with another vendor.",
            "It is not my decision, I need approval.",
            "Fine, send it over.", "What guarantee do you give?", "We have twelve reps and three offices.",
        ],
    ]

    /// The `index`-th call, in Russian for even indices and English for odd ones.
    public func call(_ index: Int) -> Transcript {
        var random = SplitMix(state: seed &+ UInt64(index) &* 0x9E37_79B9)
        let lang = index % 2
        var utterances: [Transcript.Utterance] = []
        var t = 0.0
        var k = 0
        while t < minutes * 60 {
            let isRep = k % 2 == 0
            let pool = isRep ? Self.rep[lang] : Self.client[lang]
            let text = pool[k == 0 ? 0 : random.int(0...(pool.count - 1))]
            let length = Double(text.split(separator: " ").count) * 0.4 + random.unit() * 2
            utterances.append(.init(speaker: isRep ? .rep : .client, start: t, end: t + length, text: text))
            t += length + random.unit() * 1.5
            k += 1
        }
        return Transcript(utterances: utterances)
    }
}

extension SyntheticCalls {
    /// A made-up call by a rep of this `quality` (0…1), for the demo company: the better the rep, the
    /// more open questions, the more objections answered with a reason, the likelier a next step, the
    /// fewer fillers and monologues. `rep`, `client`: the voices' names.
    public static func scripted(quality q: Double, russian: Bool, seed: UInt64, rep: String, client: String)
        -> Transcript
    {
        var random = SplitMix(state: seed)
        var lines: [(rep: Bool, text: String)] = []
        func say(_ isRep: Bool, _ ru: String, _ en: String) { lines.append((isRep, russian ? ru : en)) }
        func pick<T>(_ xs: [T]) -> T { xs[random.int(0...(xs.count - 1))] }
        let filler = { random.chance(0.6 * (1 - q)) ? (russian ? "Ну, " : "Um, ") : "" }

        say(true, "Добрый день! Меня зовут \(rep), компания «Ромашка».", "Good morning! My name is \(rep) from Acme.")
        say(false, "Здравствуйте, \(client), слушаю.", "Hello, this is \(client), go ahead.")
        for _ in 0..<(random.chance(q) ? random.int(2...3) : random.int(0...1)) {
            let (ru, en) = pick([
                ("Расскажите, как вы сейчас ведёте учёт продаж?", "Tell me, how do you currently track your sales?"),
                ("Какие задачи для вас сейчас важнее всего?", "What challenges matter most to you right now?"),
                (
                    "Сколько у вас менеджеров и как вы планируете продажи?",
                    "How many reps do you have, and how do you plan sales?"
                ),
                ("Что для вас важно при выборе системы?", "What is important for you when choosing a system?"),
            ])
            say(true, filler() + ru, filler() + en)
            let (cru, cen) = pick([
                (
                    "Ведём в таблицах, это неудобно, много ручной работы. Каждый понедельник руководитель сам сводит "
                        + "цифры по всем менеджерам, уходит полдня, и всё равно данные на неделю старые.",
                    "We use spreadsheets, which is painful and manual. Every Monday the head of sales puts the numbers "
                        + "together by hand, it takes half a day, and the data is a week old anyway."
                ),
                (
                    "У нас двенадцать менеджеров и три филиала. Планы ставим на месяц, но кто как идёт к плану, узнаём "
                        + "только в конце, когда уже поздно что-то менять.",
                    "We have twelve reps and three offices. We set monthly plans, but we only learn who is on track at "
                        + "the end of the month, when it is too late to change anything."
                ),
                (
                    "Главное — видеть воронку и план в реальном времени. Сейчас мы не понимаем, на каком этапе теряем "
                        + "сделки, и спорим об этом на каждой планёрке.",
                    "Seeing the funnel and the plan live is the key thing. Right now we do not know at which stage we "
                        + "lose deals, and we argue about it at every meeting."
                ),
            ])
            say(false, cru, cen)
        }
        if random.chance(1 - q) {
            say(true, "У вас есть CRM?", "Do you have a CRM?")
            say(false, "Да.", "Yes.")
        }
        for _ in 0..<(random.chance(q) ? 1 : random.int(2...3)) {
            let (ru, en) = pick([
                (
                    "Наша система позволяет сократить время на отчёты, например, на 30 % за первый месяц.",
                    "Our platform lets you cut reporting time, for example by 30 percent in the first month."
                ),
                (
                    "Вы получите отчёты в реальном времени, данные приходят из CRM сами.",
                    "You will get live reports, the data comes straight from the CRM."
                ),
                (
                    "Мы предлагаем скоркарды для каждого менеджера и прогноз по сделкам.",
                    "We offer scorecards for every rep and a forecast of every deal."
                ),
            ])
            say(true, filler() + ru, filler() + en)
        }
        let objections = [
            ("Звучит интересно, но дорого.", "Sounds interesting, but expensive."),
            ("Сейчас не время, давайте позже.", "It is a bad time, call back later."),
            ("Мы уже работаем с другим поставщиком.", "We already work with another vendor."),
            ("Это не я решаю, нужно согласовать с руководством.", "It is not my decision, I need approval."),
            ("А какие гарантии, что это сработает?", "What guarantee do you give that it works?"),
        ]
        for k in 0..<random.int(0...2) {
            let (ru, en) = objections[(Int(seed % 5) + k * 2) % objections.count]
            say(false, ru, en)
            if random.chance(0.25 + 0.7 * q) {
                say(
                    true,
                    "Понимаю. Давайте посчитаем: система окупается за три месяца, потому что менеджеры перестают "
                        + "тратить время на отчёты.",
                    "I understand. Let me show you: it pays for itself in three months, because reps stop spending "
                        + "time on reports."
                )
            } else if random.chance(0.5) {
                say(true, filler() + "Понятно.", filler() + "I see.")
            } else {
                say(
                    true, filler() + "Хорошо, но это правда удобная система, многим нравится.",
                    filler() + "Okay, but it really is a handy system, many like it.")
            }
        }
        if random.chance(0.3 + 0.65 * q) {
            say(
                true, "Давайте назначим встречу в четверг в 11:00, и я пришлю предложение?",
                "Shall we schedule a meeting on Thursday at 11, and I will send you a proposal?")
            say(false, "Хорошо, присылайте.", "Fine, send it over.")
        } else {
            say(true, "Хорошо, спасибо за время, всего доброго.", "All right, thanks for your time, goodbye.")
            say(false, "До свидания.", "Goodbye.")
        }
        // Timing: about 2.5 words a second, a pause before each turn; a weaker rep answers slower.
        var t = 0.0
        var utterances: [Transcript.Utterance] = []
        for (isRep, text) in lines {
            let seconds = Double(text.split(separator: " ").count) / 2.5 + random.unit()
            t += isRep ? 0.3 + (1 - q) * 1.5 * random.unit() : 0.4 + random.unit() * 0.6
            utterances.append(
                .init(
                    speaker: isRep ? .rep : .client, name: isRep ? rep : client, start: (t * 10).rounded() / 10,
                    end: ((t + seconds) * 10).rounded() / 10, text: text))
            t += seconds
        }
        return Transcript(utterances: utterances)
    }
}
