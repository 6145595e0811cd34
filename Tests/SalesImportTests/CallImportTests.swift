import Foundation
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage
import Testing

/// Transcripts into the store and the KPIs. The per-call numbers are the hand counts of
/// `CallAnalysisTests`: ru_01 — rep 22 s, client 15.5 s, 2 questions (1 open), 4 of 5 stages with the
/// next step, a price objection handled, score 4; ru_03 — rep 9 s, client 9 s, no question, 2 of 5
/// stages, no next step, a "no need" objection not handled, score 1.
@Suite struct CallImportTests {
    static let transcripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SalesSpeechTests/Transcripts")
    static func input(_ name: String, call: String? = nil) throws -> CallImporter.Input {
        .init(file: name, data: try Data(contentsOf: transcripts.appendingPathComponent(name)), call: call)
    }

    /// Anna (R-anna) made calls CALL-RU-01 (5 Oct 2026) and CALL-RU-03 (6 Oct); Boris (R-boris) made B-1.
    static func store() throws -> SQLiteEventStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("calls-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteEventStore(path: dir.appendingPathComponent("s.sqlite").path)
        let cal = CompanyCalendar()
        func at(_ iso: String) -> Timestamp { ValueFormat(calendar: cal).timestamp(iso)! }
        var events: [SalesEvent] = [.team(Team(externalID: "T1", name: "North"))]
        for (id, name) in [("R-anna", "Anna"), ("R-boris", "Boris")] {
            var r = Rep(externalID: id, name: name, role: .ae)
            r.team = EntityRef("T1")
            events.append(.rep(r))
        }
        for (id, rep, time) in [
            ("CALL-RU-01", "R-anna", "2026-10-05T10:00:00"), ("CALL-RU-03", "R-anna", "2026-10-06T11:00:00"),
            ("B-1", "R-boris", "2026-10-07T12:00:00"),
        ] {
            var a = Activity(externalID: id, rep: EntityRef(rep), type: .call, at: at(time))
            a.durationSeconds = 300
            events.append(.activity(a))
        }
        try store.append(events, source: "crm")
        return store
    }

    static let october = Period(
        start: CivilDate(year: 2026, month: 10, day: 1).dayNumber,
        end: CivilDate(year: 2026, month: 11, day: 1).dayNumber)

    func kpis(_ store: SQLiteEventStore, rep: String = "R-anna") throws -> [String: Double] {
        let engine = try store.makeEngine()
        let id = engine.repsByTeam.first { $0.externalID == rep }!.id
        let e = KPIEvaluator(engine: engine, catalog: .standard, slice: .rep(id), period: Self.october)
        return Dictionary(
            uniqueKeysWithValues: [
                "calls_analyzed", "argumentation_score", "objections_handled_share", "script_compliance",
                "next_step_rate", "talk_ratio", "question_rate", "open_question_share",
            ].compactMap { k in e.value(KPI.ID(k)).map { (k, $0) } })
    }

    /// The plumbing, with the lexicon's reading of these hand-counted calls (the model's: CallModelTests).
    @Test func transcriptsFeedTheQualityKPIsOnceEach() throws {
        let store = try Self.store()
        let importer = CallImporter(store: store, source: "crm", model: nil)
        let inputs = [
            try Self.input("ru_01_price.json"), try Self.input("ru_03_no_next_step.json", call: "CALL-RU-03"),
        ]
        let first = try importer.run(inputs)
        #expect(first.stored.count == 2 && first.duplicates == 0)
        #expect(first.results.map(\.call) == ["CALL-RU-01", "CALL-RU-03"])
        let k = try kpis(store)
        #expect(k["calls_analyzed"] == 2)
        #expect(k["argumentation_score"] == 2.5)  // (4 + 1) / 2
        #expect(k["objections_handled_share"] == 50)  // 1 of 2
        #expect(k["script_compliance"] == 60)  // (4 + 2) / (5 + 5)
        #expect(k["next_step_rate"] == 50)  // 1 of 2
        // Seconds are stored whole: rep 22 + 9 = 31, client 16 (15.5 rounded) + 9 = 25.
        #expect(abs(k["talk_ratio"]! - 31.0 / 56 * 100) < 1e-9)
        #expect(k["question_rate"] == 1)  // 2 questions in 2 calls
        #expect(k["open_question_share"] == 50)  // 1 of 2
        #expect(try kpis(store, rep: "R-boris")["calls_analyzed"] == 0)

        // The same files again: nothing new, the numbers stay.
        let again = try importer.run(inputs)
        #expect(again.stored.isEmpty && again.duplicates == 2)
        #expect(try kpis(store) == k)

        // The stored transcript and analysis, for the call page: newest first, marks where the words are.
        let engine = try store.makeEngine()
        let anna = engine.repsByTeam.first { $0.externalID == "R-anna" }!.id
        let list = try store.analyzedCalls(reps: [anna], from: 0, to: .max, limit: 10)
        #expect(list.map(\.call) == ["CALL-RU-03", "CALL-RU-01"])
        #expect(list.map(\.score) == [1, 4])
        let (call, record) = try #require(try store.analyzedCall(evaluationID: list[1].evaluationID))
        #expect(
            call.measures
                == CallMeasures(
                    repTalkSeconds: 22, clientTalkSeconds: 16, questions: 2, openQuestions: 1, stagesCovered: 4,
                    stagesTotal: 5, nextStepAgreed: true))
        #expect(record.file == "ru_01_price.json")
        let analysis = try JSONDecoder().decode(CallAnalysis.self, from: Data(record.analysis.utf8))
        let transcript = try JSONDecoder().decode(Transcript.self, from: Data(record.transcript.utf8))
        // «дорого» is the 10th word of the client's 4th utterance (index 3):
        // "В таблицах и это неудобно Но ваша система наверное дорого".
        let price = try #require(analysis.marks.first { $0.kind == .objection })
        #expect(price.id == "price" && price.utterance == 3 && price.word == 9 && price.length == 1)
        let words = Words.ranges(in: transcript.utterances[3].text)
        #expect(transcript.utterances[3].text[words[price.word]] == "дорого")
    }

    @Test func aBadFileStoresNothingUnlessAskedToSkipIt() throws {
        let store = try Self.store()
        let importer = CallImporter(store: store, source: "crm")
        let good = try Self.input("ru_03_no_next_step.json", call: "CALL-RU-03")
        let unknownCall = try Self.input("ru_02_full_script.json", call: "NO-SUCH-CALL")
        var wrongRep = try Self.input("ru_01_price.json")
        // Boris's call, "rep": "R-anna"
        wrongRep.data = Data(
            String(decoding: wrongRep.data, as: UTF8.self).replacingOccurrences(of: "CALL-RU-01", with: "B-1").utf8)
        let broken = CallImporter.Input(
            file: "broken.json",
            data: Data(#"{"utterances": [{"speaker": "rep", "start": 5, "end": 2, "text": "Алло"}]}"#.utf8), call: "B-1"
        )
        let failure = try #require(throws: ImportFailure.self) {
            try importer.run([good, unknownCall, wrongRep, broken])
        }
        #expect(
            failure.issues.map { "\($0.file) \($0.field ?? "")" }.sorted() == [
                "broken.json utterances[0].end", "ru_01_price.json rep", "ru_02_full_script.json call",
            ])
        #expect(
            failure.issues.first { $0.field == "call" }!.message(.en).contains(
                "'NO-SUCH-CALL' is not an activity from source 'crm'"))
        #expect(try kpis(store)["calls_analyzed"] == 0)  // all or nothing

        importer.skipInvalid = true
        let report = try importer.run([good, unknownCall])
        #expect(report.stored.count == 1 && report.skipped.count == 1)
        #expect(try kpis(store)["calls_analyzed"] == 1)
    }
}
