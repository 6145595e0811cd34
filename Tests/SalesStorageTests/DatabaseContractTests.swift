import Foundation
import SalesCore
import SalesPostgres
import SalesStorage
import Testing

/// What both databases (SQLite and PostgreSQL) must do beyond events: call transcripts. The event
/// contract itself is `EventStoreContractTests`; the server's own state has a suite per capability
/// (`UserDirectoryContractTests`, `SessionStoreContractTests`, …).
@Suite struct DatabaseContractTests {
    typealias Kind = EventStoreContractTests.Kind
    static let kinds: [Kind] = [.sqlite, .postgres]

    @Test(arguments: kinds)
    func analysedCallsKeepTheirTranscripts(_ kind: Kind) throws {
        let store = try EventStoreContractTests.makeDatabase(kind)
        let t0 = EventStoreContractTests.t0
        try store.append(
            EventStoreContractTests.base() + [
                .activity(Activity(externalID: "call-1", rep: EntityRef("R1"), type: .call, at: t0))
            ],
            source: "crm")
        let owners = try store.activities(source: "crm", externalIDs: ["call-1", "nope", "a\"b"])
        #expect(owners.count == 1 && owners["call-1"]?.rep.external == "R1" && owners["call-1"]?.at == t0)
        let measures = CallMeasures(
            repTalkSeconds: 30, clientTalkSeconds: 90, questions: 4, openQuestions: 3, stagesCovered: 4,
            stagesTotal: 5, nextStepAgreed: true)
        var evaluation = Evaluation(
            externalID: "speech:call-1", rep: EntityRef("R1"), at: t0, score: 4, objectionsRaised: 2,
            objectionsHandled: 1)
        evaluation.activity = EntityRef("call-1")
        evaluation.call = measures
        let record = CallTranscriptRecord(file: "call-1.json", transcript: "{\"turns\":[]}", analysis: "{}")
        try store.write(source: "crm") { w in
            var e = SalesEvent.evaluation(evaluation)
            guard case .inserted(let id) = try w.append(&e) else {
                Issue.record("not inserted")
                return
            }
            try w.attach(record, toEvaluation: id)
        }
        let rep = try #require(try store.makeEngine().rep(externalID: "R1")).id
        let calls = try store.analyzedCalls(reps: [rep], from: t0, to: t0 + 1, limit: 10)
        #expect(calls.count == 1 && calls[0].call == "call-1" && calls[0].score == 4 && calls[0].measures == measures)
        #expect(calls[0].objectionsRaised == 2 && calls[0].objectionsHandled == 1)
        let (call, transcript) = try #require(try store.analyzedCall(evaluationID: calls[0].evaluationID))
        #expect(call == calls[0] && transcript == record)
        #expect(try store.analyzedCalls(reps: [rep], from: t0 + 1, to: t0 + 2, limit: 10).isEmpty)
        #expect(try store.source(of: .rep, id: rep) == "crm")
        #expect(try store.source(of: .rep, id: rep + 100) == nil)
        #expect(try store.makeEngine().measures(.company, Day.min, Day.max)[.nextStepsAgreed] == 1)
    }

    /// A deal in another currency keeps its own amount beside the converted one, for the deal lists.
    @Test(arguments: EventStoreContractTests.Kind.allCases)
    func aDealKeepsItsOriginalAmountAndCurrency(_ kind: Kind) throws {
        let store = try EventStoreContractTests.makeDatabase(kind)
        var deal = Deal(
            externalID: "D2", account: EntityRef("A1"), owner: EntityRef("R1"), createdAt: EventStoreContractTests.t0,
            amount: 406_250_00)
        deal.original = OriginalAmount(currency: "USD", amount: 5_000_00)
        try store.append(EventStoreContractTests.base() + [.deal(deal)], source: "crm")
        var replayed: [String: OriginalAmount?] = [:]
        try store.replay { if case .deal(let d) = $0 { replayed[d.externalID] = d.original } }
        #expect(replayed == ["D1": nil, "D2": OriginalAmount(currency: "USD", amount: 5_000_00)])
        let engine = try store.makeEngine()
        let all = Period(start: .min, end: .max)
        let ids = [SalesEngine.DealSet.won, .open].flatMap { engine.deals($0, of: .company, in: all).map(\.id) }
        let details = try store.dealDetails(ids: ids)
        #expect(details.count == 2)
        #expect(
            details.values.first { $0.externalID == "D2" }?.original
                == OriginalAmount(currency: "USD", amount: 5_000_00))
        #expect(details.values.first { $0.externalID == "D1" }?.original == nil)
    }
}
