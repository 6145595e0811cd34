import SalesCore

/// Made-up sales calls of a given length, RU and EN, for benchmarks: a greeting, questions, a
/// presentation, objections and answers, a next step, in lines drawn from small phrase pools so that
/// every stage, objection and filler occurs. Same seed, same calls.
public struct SyntheticCalls: Sendable {
    public var minutes: Double
    public var seed: UInt64
    public init(minutes: Double = 10, seed: UInt64 = 1) { self.minutes = minutes; self.seed = seed }

    static let rep = [
        ["Добрый день! Меня зовут Анна, компания «Ромашка».", "Расскажите, как вы сейчас ведёте учёт продаж?",
         "Наша система позволяет сократить время на отчёты, например, на 30 % за первый месяц.", "Понимаю, давайте посчитаем вместе.",
         "Сколько у вас менеджеров и как вы планируете продажи на следующий квартал?", "Ну, вы получите отчёты в реальном времени, потому что данные приходят из CRM.",
         "Давайте назначим встречу в четверг, и я пришлю предложение?", "Какие задачи для вас сейчас важнее всего?"],
        ["Good morning! My name is Tom from Acme.", "What challenges do you have with reporting today?",
         "Our platform lets you cut reporting time, for example by 30 percent in the first month.", "I understand, let me show you the numbers.",
         "How many reps do you have, and how do you plan next quarter?", "Um, you will get live reports, because the data comes straight from the CRM.",
         "Shall we schedule a meeting on Thursday, and I will send you a proposal?", "Which tasks matter most to you right now?"],
    ]
    static let client = [
        ["Здравствуйте, слушаю.", "Ведём в таблицах, это неудобно.", "Звучит интересно, но дорого.", "Нам это не нужно, мы справляемся сами.",
         "Сейчас не время, давайте позже.", "Мы уже работаем с другим поставщиком.", "Это не я решаю, нужно согласовать с руководством.",
         "Хорошо, присылайте.", "А какие гарантии?", "У нас двенадцать менеджеров и три филиала."],
        ["Hello, go ahead.", "We use spreadsheets, which is painful.", "Sounds interesting, but expensive.", "We don't need it, we manage ourselves.",
         "It is a bad time, call back later.", "We already work with another vendor.", "It is not my decision, I need approval.",
         "Fine, send it over.", "What guarantee do you give?", "We have twelve reps and three offices."],
    ]

    /// The `index`-th call, in Russian for even indices and English for odd ones.
    public func call(_ index: Int) -> Transcript {
        var random = SplitMix(state: seed &+ UInt64(index) &* 0x9E37_79B9)
        let lang = index % 2
        var utterances: [Transcript.Utterance] = [], t = 0.0, k = 0
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
