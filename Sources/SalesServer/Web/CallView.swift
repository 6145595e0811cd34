import Foundation
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage

/// One analysed call: its numbers, the script's stages and the objections, the transcript with what
/// the analysis heard marked in it, and the rep's call quality over the weeks.
struct CallView {
    let c: PageContext
    let lexicon: SpeechLexicon

    func render(_ call: AnalyzedCall, _ record: CallTranscriptRecord, repName: String, at: String, quality: HTML) throws
        -> HTML
    {
        let (t, a) = try record.decoded()
        let back = c.link(["slice": "rep:\(call.rep)"], to: .calls)
        func card(_ id: String, _ label: String, _ value: String, _ note: String = "") -> HTML {
            HTML(
                """
                <div class="card"><div class="muted">\(label)</div><div class="big" id="\(id)">\(value)</div>\
                <div class="muted">\(note)</div></div>
                """)
        }
        // A green or red pill with its data attributes, and a space after it.
        func pill(_ good: Bool, _ data: HTML, _ text: String) -> HTML {
            HTML("<span class=\"pill \(good ? "good" : "bad")\"\(data)>\(text)</span> ")
        }
        func seconds(_ v: Double) -> String {
            v >= 60 ? "\(Int(v) / 60):\(String(format: "%02d", Int(v) % 60))" : "\(Int(v.rounded())) \(c.t("s", "с"))"
        }
        let stages: [HTML] = lexicon.stages.map { s in
            let done = a.stagesCovered.contains(s.id)
            let mark = done ? "✓" : "✗"
            return pill(done, " data-stage=\"\(s.id)\" data-covered=\"\(done)\"", "\(mark) \(s.name(c.lang))")
        }
        let objections: [HTML] = a.objections.map { o in
            let name = SpeechLexicon.objectionNames[o.category].map { $0(c.lang) } ?? o.category
            let how =
                o.handled
                ? (o.argued ? c.t("handled, argued", "закрыто, с доводом") : c.t("handled", "закрыто"))
                : c.t("not handled", "не закрыто")
            return pill(o.handled, " data-objection=\"\(o.category)\" data-handled=\"\(o.handled)\"", "\(name): \(how)")
        }
        let lines: [HTML] = t.utterances.enumerated().map { i, u in
            let who =
                u.speaker == .rep
                ? c.t("Rep", "Менеджер") : u.speaker == .client ? c.t("Client", "Клиент") : c.t("Other", "Другой")
            let name = u.name.isEmpty || u.name == u.speaker.rawValue ? who : "\(who) · \(u.name)"
            let text = highlighted(u.text, a.marks.filter { $0.utterance == i })
            return HTML(
                """
                <tr class="u-\(u.speaker.rawValue)"><td class="muted">\(seconds(u.start))</td><td><b>\(name)</b></td>\
                <td>\(text)</td></tr>
                """)
        }
        let scoreCard = card(
            "call-score", c.t("Argumentation score", "Балл аргументации"), "\(a.argumentationScore) / 5",
            c.t("target ≥ 4", "цель ≥ 4"))
        let scriptCard = card(
            "call-script", c.t("Script", "Скрипт"), Show.percent(a.scriptCompliance * 100, c.lang),
            "\(a.stagesCovered.count) / \(a.stagesTotal)")
        let objectionsCard = card(
            "call-objections", c.t("Objections handled", "Возражений закрыто"),
            "\(a.objectionsHandled) / \(a.objections.count)", c.t("target ≥ 70 %", "цель ≥ 70 %"))
        let talkCard = card(
            "call-talk", c.t("Rep's share of the talk", "Доля речи менеджера"), Show.percent(a.talkRatio * 100, c.lang),
            c.t("target ≤ 60 %", "цель ≤ 60 %"))
        let questionsCard = card(
            "call-questions", c.t("Questions (open)", "Вопросов (открытых)"), "\(a.questions) (\(a.openQuestions))")
        let objectionList: HTML =
            objections.isEmpty
            ? HTML("<span class=\"muted\">\(c.t("none raised", "не было"))</span>") : HTML("\(objections)")
        // How the talk went: monologues, turns, pauses, fillers, pace and length.
        let pause = a.patience.map { Show.decimal($0, 1, c.lang) } ?? "—"
        let talkFacts: [String] = [
            "\(c.t("Longest monologue", "Самый долгий монолог")) \(seconds(a.longestMonologue))",
            "\(c.t("longest client story", "самый долгий рассказ клиента")) \(seconds(a.longestClientStory))",
            "\(c.t("switches per minute", "смен говорящего в минуту")) \(Show.decimal(a.interactivity, 1, c.lang))",
            "\(c.t("pause before answering", "пауза перед ответом")) \(pause) \(c.t("s", "с"))",
            "\(c.t("fillers", "слов-паразитов")) \(a.fillers)",
            "\(Int(a.pace.rounded())) \(c.t("words/min", "слов/мин"))",
            "\(c.t("length", "длительность")) \(seconds(a.seconds))",
        ]
        let stageMark = c.t("script stage", "этап скрипта")
        let objectionMark = c.t("objection", "возражение")
        return HTML(
            """
            <p><a href="\(back)">← \(c.t("All calls of", "Все звонки:")) \(repName)</a></p>
            <h1>\(c.t("Call", "Звонок")) \(call.call)</h1><div class="sub">\(repName) · \(at) · \(record.file)</div>
            <div class="summary">
            \(scoreCard)
            \(scriptCard)
            \(objectionsCard)
            \(talkCard)
            \(questionsCard)
            </div>
            <div class="card" style="margin:0 0 14px"><h2>\(c.t("Script stages", "Этапы скрипта"))</h2>\(stages)
            <h2>\(c.t("Objections", "Возражения"))</h2>\(objectionList)
            <p class="muted">\(talkFacts.joined(separator: " · "))</p></div>
            <div class="cols"><div class="card"><h2>\(c.t("Transcript", "Расшифровка"))</h2>
            <p class="muted"><mark class="stage">\(stageMark)</mark> <mark class="objection">\(objectionMark)</mark></p>
            <table id="transcript">\(lines)</table></div>\(quality)</div>
            """)
    }

    /// The utterance with the marked phrases wrapped in `<mark>`, titled with what was heard.
    private func highlighted(_ text: String, _ marks: [CallAnalysis.Mark]) -> HTML {
        let words = Words.ranges(in: text)
        var out = HTML("")
        var at = text.startIndex
        for m in marks where m.word + m.length <= words.count && words[m.word].lowerBound >= at {
            let range = words[m.word].lowerBound..<words[m.word + m.length - 1].upperBound
            let title =
                m.kind == .stage
                ? lexicon.stages.first { $0.id == m.id }?.name(c.lang) ?? m.id
                : SpeechLexicon.objectionNames[m.id].map { $0(c.lang) } ?? m.id
            out = HTML(
                """
                \(out)\(String(text[at..<range.lowerBound]))\
                <mark class="\(m.kind.rawValue)" data-id="\(m.id)" title="\(title)">\(String(text[range]))</mark>
                """)
            at = range.upperBound
        }
        return HTML("\(out)\(String(text[at...]))")
    }
}
