import Foundation
import SalesCore
import SalesSpeech
import Testing

/// Hand-written calls (RU and EN, JSON, WebVTT and SRT), every number worked out by hand from the
/// file: seconds are the utterances' end − start, summed per side; a monologue is a run of one side's
/// utterances, first start to last end; a question is a rep's sentence ending in "?".
@Suite struct CallAnalysisTests {
    struct Expected {
        var file: String
        var rep: Double, client: Double
        var monologue: Double, story: Double
        var questions: Int, open: Int
        var stages: [String]
        /// Category → handled.
        var objections: [String: Bool]
        var score: Int
        var fillers = 0
    }

    static let all = [
        // 4+4+9+5 rep, 1.5+9.5+2.5+2 client. «Расскажите, как…?» open, «Давайте встретимся…?» closed. No presentation
        // phrase. «дорого» answered with 14 words and «окупается»: (.8 + 1 + 1 + .5) / 4 = .825 → 1 + round(3.3) = 4.
        Expected(
            file: "ru_01_price.json", rep: 22, client: 15.5, monologue: 9, story: 9.5, questions: 2, open: 1,
            stages: ["greeting", "discovery", "objections", "next_step"], objections: ["price": true], score: 4),
        // Two rep utterances 31–40 and 40–52 make one 21 s monologue. «по сравнению» is the objections stage; no
        // objection: (1 + 1 + 1 + .5) / 4 = .875 → 1 + round(3.5) = 5.
        Expected(
            file: "ru_02_full_script.json", rep: 39, client: 27, monologue: 21, story: 18, questions: 1, open: 1,
            stages: ["greeting", "discovery", "presentation", "objections", "next_step"], objections: [:], score: 5),
        // «не нужно… справляемся сами» answered with «Ясно.» (1 word), no next step:
        // (.4 + 0 + 0 + 0) / 4 → 1 + round(.4) = 1.
        // Fillers: ну, э (1st), ну, типа (3rd).
        Expected(
            file: "ru_03_no_next_step.json", rep: 9, client: 9, monologue: 4, story: 5, questions: 0, open: 0,
            stages: ["greeting", "presentation"], objections: ["no_need": false], score: 1, fillers: 4),
        // «другой поставщик» then «у конкурента»: one competitor objection, judged at its last mention, answered with
        // «потому что» and 24: (.6 + 1 + 1 + 0) / 4 = .65 → 1 + round(2.6) = 4.
        Expected(
            file: "ru_04_competitor.json", rep: 22, client: 14, monologue: 12, story: 6, questions: 1, open: 0,
            stages: ["greeting", "objections", "next_step"], objections: ["competitor": true], score: 4),
        // Voices without roles: Анна speaks first, so she is the rep. «Сколько у вас…?» is closed. «не я решаю, нужно
        // согласовать» (authority) answered without a reason or number:
        // (.8 + 1 + 0 + .5) / 4 = .575 → 1 + round(2.3) = 3.
        Expected(
            file: "ru_05_voices.vtt", rep: 18.5, client: 12.5, monologue: 9.5, story: 9, questions: 2, open: 1,
            stages: ["greeting", "discovery", "objections", "next_step"], objections: ["authority": true], score: 3),
        // «Сколько…» questions are closed; "Let me show…?" too. «expensive» answered, no reason:
        // (1 + 1 + 0 + 1) / 4 → 1 + 3 = 4.
        Expected(
            file: "en_06_discovery.json", rep: 29, client: 25, monologue: 12, story: 12, questions: 4, open: 2,
            stages: ["greeting", "discovery", "presentation", "objections", "next_step"], objections: ["price": true],
            score: 4),
        // "bad time, call back later": one timing objection, "Sure, no problem." (3 words):
        // (.2 + 0 + 0 + 0) / 4 → 1 + round(.2) = 1.
        Expected(
            file: "en_07_timing.vtt", rep: 4.5, client: 4.5, monologue: 2.5, story: 3, questions: 0, open: 0,
            stages: ["greeting"], objections: ["timing": false], score: 1),
        // Two rep cues 25–37 and 37–45 make a 20 s monologue; "don't need" and "not sure" both answered with
        // "Because", 98 and "case studies": (1 + 1 + 1 + .5) / 4 → 1 + round(3.5) = 5.
        Expected(
            file: "en_08_prefixes.srt", rep: 32.5, client: 14, monologue: 20, story: 10, questions: 2, open: 1,
            stages: ["greeting", "discovery", "presentation", "objections", "next_step"],
            objections: ["no_need": true, "trust": true], score: 5),
        // Cue 5 has no prefix: the client's, continuing cue 4 (10–18 = 8 s story).
        // (.4 + 1 + 0 + .5) / 4 → 1 + round(1.9) = 3.
        Expected(
            file: "en_09_authority.srt", rep: 13.5, client: 11, monologue: 5.5, story: 8, questions: 1, open: 1,
            stages: ["greeting", "next_step"], objections: ["authority": true], score: 3),
        // «не время… перезвоните… в следующем квартале» answered in 4 words,
        // but «созвонимся» agrees a next step after it: handled. (.6 + 1 + 0 + 1) / 4 → 1 + round(2.6) = 4.
        Expected(
            file: "ru_10_prefixes.srt", rep: 12.5, client: 13.5, monologue: 6, story: 10, questions: 2, open: 2,
            stages: ["greeting", "discovery", "next_step"], objections: ["timing": true], score: 4),
        // Trust raised twice, last at «Гарантии — это хорошо, но…», answered «Понимаю вас.» only:
        // (.6 + 0 + 0 + 0) / 4 → 2.
        Expected(
            file: "ru_11_trust.srt", rep: 25.5, client: 14, monologue: 11.5, story: 6, questions: 0, open: 0,
            stages: ["greeting", "presentation", "objections"], objections: ["trust": false], score: 2),
        // MM:SS timings, a NOTE block; a 45 s opening monologue; «Не интересно» ends the call:
        // (.4 + 0 + 0 + 0) / 4 → 1.
        Expected(
            file: "ru_12_monologue.vtt", rep: 48, client: 4, monologue: 45, story: 2, questions: 1, open: 0,
            stages: ["greeting", "presentation"], objections: ["no_need": false], score: 1),
        // "already use", "competitor" and "discount" in one line: two objections, both answered with "because": 5.
        Expected(
            file: "en_13_two_objections.json", rep: 24, client: 14, monologue: 13, story: 8, questions: 2, open: 1,
            stages: ["greeting", "discovery", "presentation", "objections", "next_step"],
            objections: ["competitor": true, "price": true], score: 5),
        // "Office Admin" has no role word: the other voice is a rep, so it is the client.
        // Fillers um, uh, you know, basically.
        Expected(
            file: "en_14_fillers.vtt", rep: 14, client: 6, monologue: 8, story: 4, questions: 0, open: 0,
            stages: ["greeting", "presentation"], objections: ["no_need": false], score: 1, fillers: 4),
        // Overlapping speech: each side's time counts whole (16 + 12.5 > 26 s of call).
        // (.8 + 1 + 1 + .5) / 4 → 1 + round(3.3) = 4.
        Expected(
            file: "en_15_overlap.json", rep: 16, client: 12.5, monologue: 9, story: 8, questions: 1, open: 1,
            stages: ["greeting", "discovery", "objections", "next_step"], objections: ["price": true], score: 4),
        Expected(
            file: "en_16_ordered.srt", rep: 19, client: 7, monologue: 10, story: 3, questions: 1, open: 1,
            stages: ["greeting", "discovery", "presentation", "next_step"], objections: [:], score: 4),
        // "never heard of you", "don't trust": one trust objection answered with 120, "for example", "guarantee"; the
        // client's own "next step" question does not count for the rep. (.6 + 1 + 1 + 0) / 4 → 1 + round(2.6) = 4.
        Expected(
            file: "en_17_trust.srt", rep: 20, client: 10, monologue: 12, story: 6, questions: 0, open: 0,
            stages: ["greeting", "objections", "next_step"], objections: ["trust": true], score: 4),
        // Timing («не время», «позже») answered with «окупается», 15; price («бюджета») answered in two words but the
        // next step comes after it: both handled, one argued. (1 + 1 + .5 + .5) / 4 → 1 + 3 = 4.
        Expected(
            file: "ru_18_two_objections.json", rep: 24, client: 16, monologue: 12, story: 8, questions: 2, open: 1,
            stages: ["greeting", "discovery", "presentation", "objections", "next_step"],
            objections: ["timing": true, "price": true], score: 4),
        // A third voice («Секретарь», 6–10) belongs to neither side. (.8 + 1 + 1 + .5) / 4 → 4.
        Expected(
            file: "ru_19_unknown_voice.vtt", rep: 22, client: 10, monologue: 12, story: 6, questions: 2, open: 1,
            stages: ["greeting", "discovery", "objections", "next_step"], objections: ["no_need": true], score: 4),
        // UTF-8 byte-order mark and CRLF; "savings" stems like "save": argued.
        // (.6 + 1 + 1 + .5) / 4 → 1 + round(3.1) = 4.
        Expected(
            file: "en_20_bom_crlf.srt", rep: 19, client: 6, monologue: 10, story: 4, questions: 1, open: 1,
            stages: ["greeting", "discovery", "next_step"], objections: ["authority": true], score: 4),
    ]

    static func url(_ file: String) -> String {
        Bundle.module.url(forResource: "Transcripts/" + file, withExtension: nil)!.path
    }

    /// The lexicon's reading: these calls use its phrases (the model's reading: CallModelTests).
    @Test(arguments: all) func handCountedMetrics(_ e: Expected) throws {
        let t = try TranscriptReader().read(contentsOf: Self.url(e.file))
        let a = CallAnalyzer(model: nil).analyze(t)
        #expect(abs(a.repSeconds - e.rep) < 1e-9, "\(e.file) rep seconds")
        #expect(abs(a.clientSeconds - e.client) < 1e-9, "\(e.file) client seconds")
        #expect(abs(a.talkRatio - e.rep / (e.rep + e.client)) < 1e-9, "\(e.file) talk ratio")
        #expect(abs(a.longestMonologue - e.monologue) < 1e-9, "\(e.file) monologue")
        #expect(abs(a.longestClientStory - e.story) < 1e-9, "\(e.file) client story")
        #expect(a.questions == e.questions && a.openQuestions == e.open, "\(e.file) questions")
        #expect(a.stagesCovered == e.stages, "\(e.file) stages")
        #expect(
            Dictionary(uniqueKeysWithValues: a.objections.map { ($0.category, $0.handled) }) == e.objections,
            "\(e.file) objections")
        #expect(a.argumentationScore == e.score, "\(e.file) score")
        #expect(a.fillers == e.fillers, "\(e.file) fillers")
    }
}

/// The metrics over time, a required stage order, and what the reader notes about a file.
@Suite struct CallTimingTests {
    func analysis(_ file: String, _ lexicon: SpeechLexicon = .standard) throws -> (Transcript, CallAnalysis) {
        let t = try TranscriptReader().read(contentsOf: CallAnalysisTests.url(file))
        return (t, CallAnalyzer(lexicon: lexicon, model: nil).analyze(t))
    }

    @Test func pausesSwitchesAndPace() throws {
        // ru_01: 8 alternating utterances over 40 s: 7 switches → 10.5 a minute; pauses before the rep 0, 1, 0 s.
        let (_, a) = try analysis("ru_01_price.json")
        #expect(abs(a.interactivity - 10.5) < 1e-9)
        #expect(abs(a.patience! - 1.0 / 3) < 1e-9)
        // ru_03: 9 + 8 + 1 = 18 rep words in 9 s of rep talk → 120 a minute.
        let (_, b) = try analysis("ru_03_no_next_step.json")
        #expect(b.repWords == 18 && abs(b.pace - 120) < 1e-9)
        // en_15: the rep starts before the client ends (11 < 12, 24 = 24): no pause, not a negative one.
        #expect(try analysis("en_15_overlap.json").1.patience == 0)
        // ru_19: the secretary's line (6–10) sits between the client (ends 6) and the rep (starts 10): pauses 4 and 0.
        let (t, c) = try analysis("ru_19_unknown_voice.vtt")
        #expect(c.patience == 2)
        #expect(t.utterances[2].speaker == .unknown)
        #expect(t.notes.map(\.en) == ["speakers not recognised, counted as neither rep nor client: Секретарь"])
    }

    @Test func orderedScriptCountsAStageOnlyAfterTheOnesBefore() throws {
        // en_16 presents (cue 2) before discovering needs (cue 4): in order, presentation is missed.
        var ordered = SpeechLexicon.standard
        ordered.ordered = true
        let (_, a) = try analysis("en_16_ordered.srt", ordered)
        #expect(a.stagesCovered == ["greeting", "discovery", "next_step"])
        #expect(abs(a.scriptCompliance - 0.6) < 1e-12)
    }

    @Test func twoUnnamedVoicesTakeTheFirstForTheRepAndSaySo() throws {
        let (t, _) = try analysis("ru_05_voices.vtt")
        #expect(t.utterances.map(\.speaker) == [.rep, .client, .rep, .client, .rep, .client])
        #expect(t.notes.first?.ru.contains("менеджером считается Анна") == true)
        // Named by the user, the other voice is the rep.
        let named = try TranscriptReader(repSpeaker: "Игорь").read(
            contentsOf: CallAnalysisTests.url("ru_05_voices.vtt"))
        #expect(named.utterances.first?.speaker == .client && named.notes.isEmpty)
    }

    @Test func aCompanyExtendsTheLexicon() throws {
        // en_15 says "our panels" (no standard presentation phrase) and "By the meter, and it is expensive."
        let extra = SpeechLexicon(
            stages: [
                .init(id: "greeting", name: .init(en: "Greeting", ru: "Приветствие"), phrases: ["hello"]),
                .init(id: "panels", name: .init(en: "Panels", ru: "Панели"), phrases: ["our panels"]),
            ],
            ordered: false, objections: ["metering": ["meter"]], argumentMarkers: [], openQuestionWords: [],
            fillers: ["will do"])
        let (_, a) = try analysis("en_15_overlap.json", SpeechLexicon.standard.extended(with: extra))
        // Its stages replace the script; its category joins the standard ones; its filler is counted ("Will do, …").
        #expect(a.stagesCovered == ["greeting", "panels"] && a.stagesTotal == 2)
        #expect(Set(a.objections.map(\.category)) == ["metering", "price"])
        #expect(a.fillers == 1)
        let (_, standard) = try analysis("en_15_overlap.json")
        #expect(standard.objections.map(\.category) == ["price"] && standard.fillers == 0)
    }
}

/// Broken files: a clear error naming the file, line and field, or a documented handling.
@Suite struct BrokenTranscriptTests {
    func read(_ text: String, _ file: String, format: TranscriptReader.Format? = nil) throws(TranscriptError)
        -> Transcript
    {
        try TranscriptReader().read(Data(text.utf8), file: file, format: format)
    }

    func error(_ text: String, _ file: String) -> TranscriptError? {
        do {
            _ = try read(text, file)
            return nil
        } catch { return error }
    }

    @Test func brokenTimingsNameTheLine() {
        let backwards = "1\n00:00:05,000 --> 00:00:03,000\nАгент: Добрый день\n"
        #expect(
            error(backwards, "a.srt")?.text(.ru)
                == "a.srt, строка 2, timing: реплика заканчивается (00:00:03,000) раньше, чем начинается")
        let garbled = "WEBVTT\n\n00:00:01.000 --> 00:0x:04.000\n<v Agent>Hi\n"
        #expect(error(garbled, "b.vtt")?.line == 3)
        let missing = "1\nAgent: hello\n"
        #expect(error(missing, "c.srt")?.text(.en).hasPrefix("c.srt, line 1: expected a cue timing") == true)
        let seconds = #"{"utterances": [{"speaker": "rep", "start": "0:01", "end": 4, "text": "Hi"}]}"#
        #expect(
            error(seconds, "d.json")?.text(.en)
                == "d.json, utterances[0].start: expected seconds from the start of the call, from 0 to 86400 (a day)")
        let boolean = #"{"utterances": [{"speaker": "rep", "start": true, "end": 4, "text": "Hi"}]}"#
        #expect(error(boolean, "e.json")?.field == "utterances[0].start")
        let reversed = #"[{"speaker": "rep", "start": 5, "end": 4, "text": "Hi"}]"#
        #expect(error(reversed, "f.json")?.field == "utterances[0].end")
    }

    @Test func emptyTextUnknownSpeakersAndNoSpeech() throws {
        #expect(error("WEBVTT\n", "empty.vtt")?.message.en == "no speech: the transcript has no utterance with text")
        #expect(error("", "empty.srt")?.message.en == "no speech: the transcript has no utterance with text")
        // Empty lines are skipped, with a note.
        let t = try read(
            #"[{"speaker": "rep", "start": 0, "end": 1, "text": "Hello"}, {"speaker": "client", "start": 1, "end": 2, "#
                + #""text": "  "}]"#,
            "g.json")
        #expect(t.utterances.count == 1 && t.notes.map(\.en) == ["1 utterance without text skipped"])
        // Three voices, none with a role: no rep, so nothing can be scored.
        let crowd =
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>Hi\n\n00:02.000 --> 00:03.000\n<v B>Hi\n\n00:03.000 --> "
            + "00:04.000\n<v C>Hi\n"
        #expect(error(crowd, "h.vtt")?.field == "speaker")
        // Out of order: sorted, with a note.
        let shuffled = try read(
            #"[{"speaker": "client", "start": 3, "end": 4, "text": "Да"}, {"speaker": "rep", "start": 0, "end": 2, "#
                + #""text": "Алло"}]"#,
            "i.json")
        #expect(shuffled.utterances.map(\.speaker) == [.rep, .client])
        #expect(shuffled.notes.map(\.en) == ["utterances were not in time order: sorted by start"])
        #expect(error("{not json", "j.json")?.message.en.hasPrefix("not valid JSON") == true)
    }

    @Test func encodings() throws {
        // Windows-1251: «Менеджер: Добрый день» as the recorder wrote it.
        var cp1251 = Data("1\r\n00:00:00,000 --> 00:00:02,000\r\n".utf8)
        cp1251 += Data([
            0xCC, 0xE5, 0xED, 0xE5, 0xE4, 0xE6, 0xE5, 0xF0, 0x3A, 0x20, 0xC4, 0xEE, 0xE1, 0xF0, 0xFB, 0xE9, 0x20, 0xE4,
            0xE5, 0xED, 0xFC,
        ])
        let t = try TranscriptReader().read(cp1251, file: "k.srt")
        #expect(t.utterances.first?.text == "Добрый день" && t.utterances.first?.speaker == .rep)
        #expect(t.notes.map(\.en) == ["the file is not UTF-8: read as Windows-1251"])
        // UTF-16 with a byte-order mark.
        let utf16 = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>Hello\n".data(using: .utf16)!
        #expect(try TranscriptReader().read(utf16, file: "l.vtt").utterances.first?.text == "Hello")
        // A recording passed by mistake.
        let binary = Data([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10])
        #expect((try? TranscriptReader().read(binary, file: "call.mp3")) == nil)
        do { _ = try TranscriptReader().read(binary, file: "call.mp3") } catch {
            #expect(error.message.en.hasPrefix("not a text file"))
        }
    }
}
