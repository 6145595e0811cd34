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
            v >= 60
                ? "\(Int(v) / 60):\(String(format: "%02d", Int(v) % 60))"
                : "\(Int(v.rounded())) \(c.t("page.call.seconds"))"
        }
        let stages: [HTML] = lexicon.stages.map { s in
            let done = a.stagesCovered.contains(s.id)
            let mark = done ? "✓" : "✗"
            return pill(done, " data-stage=\"\(s.id)\" data-covered=\"\(done)\"", "\(mark) \(c.t(s.name))")
        }
        let objections: [HTML] = a.objections.map { o in
            let name = SpeechLexicon.objectionNames[o.category].map { c.t($0) } ?? o.category
            let how =
                o.handled
                ? (o.argued ? c.t("page.call.handled_argued") : c.t("page.call.handled"))
                : c.t("page.call.not_handled")
            return pill(o.handled, " data-objection=\"\(o.category)\" data-handled=\"\(o.handled)\"", "\(name): \(how)")
        }
        let lines: [HTML] = t.utterances.enumerated().map { i, u in
            let who =
                u.speaker == .rep
                ? c.t("page.call.rep") : u.speaker == .client ? c.t("page.call.client") : c.t("page.call.other")
            let name = u.name.isEmpty || u.name == u.speaker.rawValue ? who : "\(who) · \(u.name)"
            let text = highlighted(u.text, a.marks.filter { $0.utterance == i })
            return HTML(
                """
                <tr class="u-\(u.speaker.rawValue)"><td class="muted">\(seconds(u.start))</td><td><b>\(name)</b></td>\
                <td>\(text)</td></tr>
                """)
        }
        let scoreCard = card(
            "call-score", c.t("page.call.argumentation_score"), "\(a.argumentationScore) / 5",
            c.t("page.call.target_4"))
        let scriptCard = card(
            "call-script", c.t("page.call.script"), c.percent(a.scriptCompliance * 100),
            "\(a.stagesCovered.count) / \(a.stagesTotal)")
        let objectionsCard = card(
            "call-objections", c.t("page.call.objections_handled"),
            "\(a.objectionsHandled) / \(a.objections.count)", c.t("page.call.target_70"))
        let talkCard = card(
            "call-talk", c.t("page.call.rep_s_share_of_the_talk"), c.percent(a.talkRatio * 100),
            c.t("page.call.target_60"))
        let questionsCard = card(
            "call-questions", c.t("page.call.questions_open"), "\(a.questions) (\(a.openQuestions))")
        let objectionList: HTML =
            objections.isEmpty
            ? HTML("<span class=\"muted\">\(c.t("page.call.none_raised"))</span>") : HTML("\(objections)")
        // How the talk went: monologues, turns, pauses, fillers, pace and length.
        let pause = a.patience.map { c.decimal($0, 1) } ?? "—"
        let talkFacts: [String] = [
            "\(c.t("page.call.longest_monologue")) \(seconds(a.longestMonologue))",
            "\(c.t("page.call.longest_client_story")) \(seconds(a.longestClientStory))",
            "\(c.t("page.call.switches_per_minute")) \(c.decimal(a.interactivity, 1))",
            "\(c.t("page.call.pause_before_answering")) \(pause) \(c.t("page.call.seconds"))",
            "\(c.t("page.call.fillers")) \(a.fillers)",
            "\(Int(a.pace.rounded())) \(c.t("page.call.words_min"))",
            "\(c.t("page.call.length")) \(seconds(a.seconds))",
        ]
        let stageMark = c.t("page.call.script_stage")
        let objectionMark = c.t("page.call.objection")
        return HTML(
            """
            <p><a href="\(back)">← \(c.t("page.call.all_calls_of")) \(repName)</a></p>
            <h1>\(c.t("page.common.call")) \(call.call)</h1><div class="sub">\(repName) · \(at) · \(record.file)</div>
            <div class="summary">
            \(scoreCard)
            \(scriptCard)
            \(objectionsCard)
            \(talkCard)
            \(questionsCard)
            </div>
            <div class="card" style="margin:0 0 14px"><h2>\(c.t("page.call.script_stages"))</h2>\(stages)
            <h2>\(c.t("page.call.objections"))</h2>\(objectionList)
            <p class="muted">\(talkFacts.joined(separator: " · "))</p></div>
            <div class="cols"><div class="card"><h2>\(c.t("page.call.transcript"))</h2>
            <p class="muted"><mark class="stage">\(stageMark)</mark> <mark class="objection">\(objectionMark)</mark></p>
            <table id="transcript">\(lines)</table></div>\(quality)</div>
            """)
    }

    /// The utterance with the marked phrases wrapped in `<mark>`, titled with what was heard and, for the model's
    /// marks, why; a mark the model placed on no word of its own follows the text.
    private func highlighted(_ text: String, _ marks: [CallAnalysis.Mark]) -> HTML {
        let words = Words.ranges(in: text)
        var out = HTML("")
        var at = text.startIndex
        func title(_ m: CallAnalysis.Mark) -> String {
            let name =
                m.kind == .stage
                ? c.t(lexicon.stages.first { $0.id == m.id }?.name) ?? m.id
                : SpeechLexicon.objectionNames[m.id].map { c.t($0) } ?? m.id
            guard let because = m.because, !because.isEmpty else { return name }
            return name + " · " + c.t("page.call.because") + " " + because.joined(separator: ", ")
        }
        var unplaced: [CallAnalysis.Mark] = []
        for m in marks {
            guard m.length > 0, m.word + m.length <= words.count, words[m.word].lowerBound >= at else {
                unplaced.append(m)
                continue
            }
            let range = words[m.word].lowerBound..<words[m.word + m.length - 1].upperBound
            out = HTML(
                """
                \(out)\(String(text[at..<range.lowerBound]))\
                <mark class="\(m.kind.rawValue)" data-id="\(m.id)" title="\(title(m))">\(String(text[range]))</mark>
                """)
            at = range.upperBound
        }
        out = HTML("\(out)\(String(text[at...]))")
        for m in unplaced {
            out = HTML(
                "\(out) <mark class=\"\(m.kind.rawValue)\" data-id=\"\(m.id)\" title=\"\(title(m))\">\(title(m))</mark>"
            )
        }
        return out
    }
}
