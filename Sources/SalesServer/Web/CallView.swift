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

    /// What reviewers corrected in the call, and whether this viewer (a head of the rep's team, an admin) may too.
    struct Review {
        var corrections: [(at: String, by: String?, correction: CallCorrection)] = []
        var mayCorrect = false
    }

    func render(
        _ call: AnalyzedCall, _ record: CallTranscriptRecord, repName: String, at: String, quality: HTML,
        review: Review = Review()
    ) throws -> HTML {
        let (t, a) = try record.decoded()
        let correctAt = Route.callCorrections.path(id: call.evaluationID)
        let back = c.link(["slice": "rep:\(call.rep)"], to: .calls)
        func card(_ id: String, _ label: String, _ value: String, _ note: String = "", form: HTML = HTML("")) -> HTML {
            HTML(
                """
                <div class="card"><div class="muted">\(label)</div><div class="big" id="\(id)">\(value)</div>\
                <div class="muted">\(note)</div>\(form)</div>
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
            let marks = a.marks.filter { $0.utterance == i }
            let text = highlighted(u.text, marks)
            let form = review.mayCorrect ? correctionForm(i, u.speaker, marks, a, action: correctAt) : HTML("")
            return HTML(
                """
                <tr class="u-\(u.speaker.rawValue)" id="u\(i)"><td class="muted">\(seconds(u.start))</td>\
                <td><b>\(name)</b></td><td>\(text)\(form)</td></tr>
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
        let nextStepCard = card(
            "call-next-step", c.t("page.call.next_step_agreed"),
            a.nextStepAgreed ? c.t("page.call.yes") : c.t("page.call.no"),
            form: review.mayCorrect ? nextStepForm(a.nextStepAgreed, action: correctAt) : HTML(""))
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
            \(nextStepCard)
            </div>
            <div class="card" style="margin:0 0 14px"><h2>\(c.t("page.call.script_stages"))</h2>\(stages)
            <h2>\(c.t("page.call.objections"))</h2>\(objectionList)
            <p class="muted">\(talkFacts.joined(separator: " · "))</p></div>
            <div class="cols"><div class="card"><h2>\(c.t("page.call.transcript"))</h2>
            <p class="muted"><mark class="stage">\(stageMark)</mark> <mark class="objection">\(objectionMark)</mark></p>
            <table id="transcript">\(lines)</table>\(corrections(review))</div>\(quality)</div>
            """)
    }

    // MARK: Corrections

    private func name(of kind: CallAnalysis.Mark.Kind, _ id: String) -> String {
        switch kind {
        case .stage: c.t(lexicon.stages.first { $0.id == id }?.name) ?? id
        case .objection: SpeechLexicon.objectionNames[id].map { c.t($0) } ?? id
        case .nextStep: id == "agreed" ? c.t("page.call.step_agreed") : c.t("page.call.step_declined")
        }
    }

    private func checkbox(_ field: String, _ label: String, _ on: Bool) -> HTML {
        HTML(
            """
            <label class="inline"><input type="checkbox" name="\(field)"\(on ? " checked" : "")> \(label)</label>
            """
        )
    }

    /// The reading of one utterance a reviewer confirms or changes: a client's objections (each handled or
    /// not) and answer to a next step, or the stages a rep's words are part of.
    private func correctionForm(
        _ i: Int, _ speaker: Transcript.Speaker, _ marks: [CallAnalysis.Mark], _ a: CallAnalysis, action: String
    ) -> HTML {
        var fields: [HTML] = []
        switch speaker {
        case .client:
            for kind in lexicon.objections.keys.sorted() {
                let raised = marks.contains { $0.kind == .objection && $0.id == kind }
                let handled = a.objections.first { $0.category == kind }?.handled ?? false
                fields.append(
                    HTML(
                        """
                        <span class="field">\(checkbox("objection.\(kind)", name(of: .objection, kind), raised))\
                        \(checkbox("handled.\(kind)", c.t("page.call.handled"), raised && handled))</span>
                        """))
            }
            let answer = marks.first { $0.kind == .nextStep }?.id ?? ""
            let options: [HTML] = CallCorrection.answers.map { value in
                let label = value.isEmpty ? "—" : name(of: .nextStep, value)
                return HTML("<option value=\"\(value)\"\(value == answer ? " selected" : "")>\(label)</option>")
            }
            fields.append(
                HTML(
                    """
                    <label class="inline">\(c.t("page.call.answer_to_next_step")) \
                    <select name="next_step">\(options)</select></label>
                    """))
        case .rep:
            for stage in lexicon.stages {
                let on = marks.contains { $0.kind == .stage && $0.id == stage.id }
                fields.append(checkbox("stage.\(stage.id)", c.t(stage.name), on))
            }
        case .unknown: return HTML("")
        }
        return HTML(
            """
            <details class="review"><summary title="\(c.t("page.call.correct"))">✎</summary>\
            <form method="post" action="\(action)">\(c.csrfField)\
            <input type="hidden" name="utterance" value="\(i)">\
            <input type="hidden" name="speaker" value="\(speaker.rawValue)">\(fields)\
            <button>\(c.t("page.call.save_correction"))</button></form></details>
            """)
    }

    private func nextStepForm(_ agreed: Bool, action: String) -> HTML {
        HTML(
            """
            <form method="post" action="\(action)" class="inline" id="next-step-form">\(c.csrfField)\
            <select name="next_step_agreed"><option value="yes"\(agreed ? " selected" : "")>\(c.t("page.call.yes"))\
            </option><option value="no"\(agreed ? "" : " selected")>\(c.t("page.call.no"))</option></select> \
            <button>\(c.t("page.call.save_correction"))</button></form>
            """)
    }

    /// Who corrected what, oldest first.
    private func corrections(_ review: Review) -> HTML {
        guard !review.corrections.isEmpty else { return HTML("") }
        let rows: [HTML] = review.corrections.map { at, by, x in
            var what: [String] = []
            if let o = x.objections {
                let kinds = o.keys.sorted().map {
                    name(of: .objection, $0) + " (" + (o[$0]! ? c.t("page.call.handled") : c.t("page.call.not_handled"))
                        + ")"
                }
                what.append(c.t("page.call.objections") + ": " + (kinds.isEmpty ? "—" : kinds.joined(separator: ", ")))
            }
            if let s = x.stages {
                let names = s.map { name(of: .stage, $0) }
                what.append(
                    c.t("page.call.script_stages") + ": " + (names.isEmpty ? "—" : names.joined(separator: ", ")))
            }
            if let n = x.nextStep {
                what.append(c.t("page.call.answer_to_next_step") + " " + (n.isEmpty ? "—" : name(of: .nextStep, n)))
            }
            if let agreed = x.nextStepAgreed {
                what.append(
                    c.t("page.call.next_step_agreed") + ": " + (agreed ? c.t("page.call.yes") : c.t("page.call.no")))
            }
            let place = x.utterance.map { "#\($0 + 1)" } ?? c.t("page.call.the_call")
            return HTML(
                """
                <tr><td class="muted">\(at)</td><td>\(by ?? "—")</td><td>\(place)</td>\
                <td>\(what.joined(separator: "; "))</td></tr>
                """
            )
        }
        return HTML(
            """
            <h2>\(c.t("page.call.corrections"))</h2><table id="corrections"><tr><th>\(c.t("page.call.when"))</th>\
            <th>\(c.t("page.call.who"))</th><th>\(c.t("page.call.where"))</th><th>\(c.t("page.call.what"))</th></tr>\
            \(rows)</table>
            """)
    }

    /// The utterance with the marked phrases wrapped in `<mark>`, titled with what was heard and, for the model's
    /// marks, why; a mark the model placed on no word of its own follows the text.
    private func highlighted(_ text: String, _ marks: [CallAnalysis.Mark]) -> HTML {
        let words = Words.ranges(in: text)
        var out = HTML("")
        var at = text.startIndex
        func title(_ m: CallAnalysis.Mark) -> String {
            let name = name(of: m.kind, m.id)
            if m.corrected == true { return name + " · " + c.t("page.call.corrected") }
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
