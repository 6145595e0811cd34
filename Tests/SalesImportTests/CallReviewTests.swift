import Foundation
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage
import Testing

/// A correction changes the call's marks, its rep's KPIs — in the engine at once and in the store — and, once the
/// model is retrained on the reviewed calls, what the model hears in an utterance like the corrected one.
///
/// The company's clients say their purchases go "through the tender committee" — a matter of authority (the
/// decision is someone else's) that the shipped model, trained on other companies' calls, does not hear. Four calls
/// with such an utterance; a head marks each as `authority`, not handled (the rep only said "I see").
@Suite struct CallReviewTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpus/calls/train/ru")

    /// The rep's question, and the client's answer about the committee: each call asks something else.
    static let committee = [
        ("Как вы сейчас храните запчасти на складе?", "Регламент у нас такой, тут всё через тендерный комитет."),
        ("Сколько у вас сейчас точек выдачи?", "Это всё тендерный комитет, у нас без него никак."),
        ("А кто у вас сейчас возит грузы по области?", "Такие закупки идут через тендерный комитет, вот."),
        ("Что для вас сейчас главное в поставщике?", "Нам надо выносить на тендерный комитет, там и посмотрят."),
    ]

    /// Greeting, a discovery question, the client's words, the rep's "I see", goodbye.
    static func transcript(_ question: String, _ client: String) -> Data {
        let utterances: [[String: Any]] = [
            ["speaker": "rep", "start": 0, "end": 4, "text": "Добрый день, это Олег из компании Склад-Про."],
            ["speaker": "client", "start": 4.5, "end": 6, "text": "Да, слушаю вас."],
            ["speaker": "rep", "start": 6.5, "end": 10, "text": question],
            ["speaker": "client", "start": 10.5, "end": 15, "text": client],
            ["speaker": "rep", "start": 15.5, "end": 16.5, "text": "Понятно."],
            ["speaker": "client", "start": 17, "end": 18, "text": "Ну вот так."],
            ["speaker": "rep", "start": 18.5, "end": 20, "text": "Хорошо, всего доброго."],
        ]
        return try! JSONSerialization.data(withJSONObject: ["utterances": utterances])
    }

    static let objectionUtterance = 3

    static func store() throws -> SQLiteEventStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteEventStore(path: dir.appendingPathComponent("s.sqlite").path)
        var rep = Rep(externalID: "R-oleg", name: "Oleg", role: .ae)
        rep.team = EntityRef("T1")
        var events: [SalesEvent] = [.team(Team(externalID: "T1", name: "North")), .rep(rep)]
        let start = ValueFormat(calendar: CompanyCalendar()).timestamp("2026-10-05T10:00:00")!
        for n in committee.indices {
            let at = start + Int64(n) * 3_600
            events.append(.activity(Activity(externalID: "C-\(n)", rep: EntityRef("R-oleg"), type: .call, at: at)))
        }
        try store.append(events, source: "crm")
        return store
    }

    static func measures(_ engine: SalesEngine) -> (raised: Int64, handled: Int64, score: Int64) {
        let id = engine.repsByTeam[0].id
        let m = engine.measures(.rep(id), CallImportTests.october.start, CallImportTests.october.end)
        return (m[.objectionsRaised], m[.objectionsHandled], m[.argumentationSum])
    }

    /// Whether the model hears an authority objection in the client's answer to a question none of the calls asks.
    static func hearsAuthority(_ model: CallModel?, _ client: String) -> Bool {
        let t = try! TranscriptReader().read(transcript("Расскажите, как у вас устроены закупки?", client), file: "x")
        let a = CallAnalyzer(model: model).analyze(t)
        return a.marks.contains { $0.kind == .objection && $0.id == "authority" && $0.utterance == objectionUtterance }
    }

    @Test func aCorrectionChangesTheMarksTheKPIsAndWhatTheRetrainedModelHears() throws {
        let store = try Self.store()
        let model = try #require(CallModel.standard)
        let analyzer = CallAnalyzer(model: model)
        let unseen = "Тут всё упирается в тендерный комитет."
        let shippedHears = Self.hearsAuthority(model, unseen)
        #expect(!shippedHears)

        let importer = CallImporter(store: store, source: "crm", analyzer: analyzer)
        let report = try importer.run(
            Self.committee.enumerated().map {
                .init(file: "c\($0).json", data: Self.transcript($1.0, $1.1), call: "C-\($0)")
            })
        let ids = try report.results.map { try #require($0.evaluationID) }
        #expect(report.results.allSatisfy { r in !r.analysis.objections.contains { $0.category == "authority" } })
        let engine = try store.makeEngine()
        let before = Self.measures(engine)

        // The head: "authority, not handled" on each call's utterance 3.
        let review = CallReview(store: store, analyzer: analyzer)
        for id in ids {
            let correction = CallCorrection(utterance: Self.objectionUtterance, objections: ["authority": false])
            let outcome = try #require(try review.correct(evaluationID: id, correction, by: nil, at: 1_800_000_000))
            let marks = outcome.analysis.marks.filter { $0.utterance == Self.objectionUtterance }
            #expect(marks.map(\.id) == ["authority"] && marks[0].corrected == true)
            #expect(outcome.analysis.objections.map(\.category) == ["authority"])
            #expect(outcome.analysis.objections[0].handled == false)
            #expect(outcome.after.objectionsRaised == 1 && outcome.after.objectionsHandled == 0)
            engine.replace(outcome.before, with: outcome.after)
            let stored = try #require(try store.callCorrections(evaluationID: id).first)
            #expect(stored.correction.contains("\"authority\":false"))
        }
        // At once in the engine, and the same from the store: each call now raises one objection, handled in none,
        // and scores lower (a share of its score was objections handled and argued: none now).
        let after = Self.measures(engine)
        #expect(after.raised == Int64(Self.committee.count) && after.handled == 0)
        #expect(after.score < before.score)
        let rebuilt = Self.measures(try store.makeEngine())
        #expect(rebuilt == after)
        #expect(try store.revision() == Int64(ids.count))

        // Retrained on forty calls of the corpus and the reviewed calls, against the same forty alone.
        let reviewed = try CallReview.reviewedCalls(in: store)
        #expect(reviewed.count == ids.count)
        #expect(
            reviewed.allSatisfy { c in c.labels.labels.contains { $0.u == 3 && $0.objections == ["authority": false] } }
        )
        let labels = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasPrefix("labels-") }.sorted().prefix(2)
        let corpus = Array(
            try labels.flatMap { try CallCorpus.read(labels: Self.corpus.appendingPathComponent($0).path) }.prefix(40))
        let alone = CallModel.train(corpus, trainedOn: "40")
        let retrained = CallModel.train(corpus + reviewed, trainedOn: "40 + reviewed")
        let (heardAlone, heardRetrained) = (Self.hearsAuthority(alone, unseen), Self.hearsAuthority(retrained, unseen))
        #expect(!heardAlone && heardRetrained)
        // What the corrections did not say is left alone: a price objection is not authority.
        let price = Self.hearsAuthority(retrained, "Дороговато у вас, честно говоря.")
        #expect(!price)
    }

    /// A call takes at most `maxCorrections`: one more is refused, and stores nothing.
    @Test func aCallTakesABoundedNumberOfCorrections() throws {
        let store = try Self.store()
        let analyzer = CallAnalyzer(model: nil)
        let (question, answer) = Self.committee[0]
        let report = try CallImporter(store: store, source: "crm", analyzer: analyzer).run([
            .init(file: "c0.json", data: Self.transcript(question, answer), call: "C-0")
        ])
        let id = try #require(report.results.first?.evaluationID)
        let review = CallReview(store: store, analyzer: analyzer)
        for n in 0..<CallReview.maxCorrections {
            let x = CallCorrection(utterance: Self.objectionUtterance, objections: ["authority": n % 2 == 0])
            _ = try review.correct(evaluationID: id, x, by: nil, at: 1_800_000_000)
        }
        #expect(throws: CallReview.Refused.self) {
            try review.correct(evaluationID: id, CallCorrection(utterance: nil, nextStepAgreed: true), by: nil, at: 0)
        }
        #expect(try store.callCorrections(evaluationID: id).count == CallReview.maxCorrections)
    }
}
