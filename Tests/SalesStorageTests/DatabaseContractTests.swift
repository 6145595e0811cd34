import Foundation
import SalesCore
import SalesPostgres
import SalesStorage
import Testing

/// What both databases (SQLite and PostgreSQL) must do beyond events: accounts, call transcripts,
/// the rules in the schema. The event contract itself is `EventStoreContractTests`.
@Suite struct DatabaseContractTests {
    typealias Kind = EventStoreContractTests.Kind
    static let kinds: [Kind] = [.sqlite, .postgres]

    @Test(arguments: kinds)
    func accountsSessionsTokensAndLedgers(_ kind: Kind) throws {
        let accounts = try EventStoreContractTests.makeDatabase(kind).accounts
        let anna = try accounts.addUser(
            UserAccount(
                login: "Anna", name: "Анна", role: .head, repExternalID: "R1", language: .ru, passwordHash: "h1"))
        #expect(anna.id > 0)
        // Logins are unique whatever their case.
        #expect(throws: AccountError.loginTaken("anna")) {
            try accounts.addUser(UserAccount(login: "anna", name: "x", role: .rep, passwordHash: "h"))
        }
        #expect(try accounts.user(login: "ANNA")?.id == anna.id)
        var renamed = anna
        renamed.name = "Анна К."
        renamed.language = nil
        try accounts.updateUser(renamed)
        #expect(try accounts.user(id: anna.id) == renamed)
        #expect(throws: AccountError.noSuchUser("ghost")) {
            try accounts.updateUser(UserAccount(id: 999, login: "ghost", name: "", role: .rep, passwordHash: ""))
        }

        try accounts.createSession(tokenHash: "s1", userID: anna.id, csrf: "c1", expiresAt: 2_000_000_000)
        #expect(try accounts.session(tokenHash: "s1", now: 1_999_999_999)?.csrf == "c1")
        #expect(try accounts.session(tokenHash: "s1", now: 2_000_000_000) == nil)  // expired at that instant
        try accounts.deleteSession(tokenHash: "s1")
        #expect(try accounts.session(tokenHash: "s1", now: 0) == nil)

        try accounts.addToken(userID: anna.id, name: "bi", tokenHash: "t1", at: 5)
        #expect(try accounts.tokenUser(tokenHash: "t1")?.login == "Anna")
        #expect(try accounts.tokenUser(tokenHash: "t2") == nil)

        try accounts.audit(at: 10, userID: anna.id, action: "login", detail: "")
        try accounts.audit(at: 11, userID: nil, action: "import", detail: "3 rows")
        #expect(
            try accounts.auditLog(limit: 5) == [
                AuditEntry(at: 11, login: nil, action: "import", detail: "3 rows"),
                AuditEntry(at: 10, login: "Anna", action: "login", detail: ""),
            ])

        // A replayed request keeps its first answer, bytes intact, and the hash of its body; for a day.
        let first = StoredResponse(status: 201, body: [0, 255, 7], requestHash: "h-a")
        try accounts.storeResponse(first, userID: anna.id, key: "k", at: 1)
        try accounts.storeResponse(
            StoredResponse(status: 500, body: [1], requestHash: "h-b"), userID: anna.id,
            key: "k", at: 2)
        #expect(try accounts.storedResponse(userID: anna.id, key: "k", now: 86_400) == first)
        #expect(try accounts.storedResponse(userID: anna.id, key: "k", now: 86_401) == nil)
        // Storing after the lifetime forgets the old answer: the key may be used again.
        let later = StoredResponse(status: 200, body: [2], requestHash: "h-c")
        try accounts.storeResponse(later, userID: anna.id, key: "k", at: 86_401)
        #expect(try accounts.storedResponse(userID: anna.id, key: "k", now: 86_402) == later)

        try accounts.saveKPISystem(yaml: "v1", userID: anna.id, at: 1)
        try accounts.saveKPISystem(yaml: "v2", userID: nil, at: 2)
        #expect(try accounts.latestKPISystem() == "v2")

        let f = ForecastRecord(
            madeAt: 7, period: Period.month(2026, 11), slice: "company", name: "Company", method: "model",
            expected: 100_00, p10: 50_00, p90: 150_00, plan: nil)
        var g = f
        g.method = "run-rate"
        g.plan = 120_00
        try accounts.saveForecasts([f, g])
        #expect(try accounts.forecasts(limit: 10) == [g, f])

        #expect(try !accounts.alertWasSent(key: "a"))
        try accounts.markAlertSent(key: "a", at: 1)
        try accounts.markAlertSent(key: "a", at: 2)
        #expect(try accounts.alertWasSent(key: "a"))
    }

    /// An admin's controls over an account: disabling stops its sessions and tokens (and enabling brings
    /// the tokens back), tokens are listed without secrets and revoked one by one, removal takes all.
    @Test(arguments: kinds)
    func accountsAreDisabledRevokedAndRemoved(_ kind: Kind) throws {
        let accounts = try EventStoreContractTests.makeDatabase(kind).accounts
        var boris = try accounts.addUser(UserAccount(login: "boris", name: "Boris", role: .rep, passwordHash: "h"))
        let carl = try accounts.addUser(UserAccount(login: "carl", name: "Carl", role: .rep, passwordHash: "h"))
        try accounts.createSession(tokenHash: "s-b1", userID: boris.id, csrf: "c", expiresAt: 2_000_000_000)
        try accounts.createSession(tokenHash: "s-b2", userID: boris.id, csrf: "c", expiresAt: 2_000_000_000)
        try accounts.createSession(tokenHash: "s-c", userID: carl.id, csrf: "c", expiresAt: 2_000_000_000)
        try accounts.addToken(userID: boris.id, name: "bi", tokenHash: "t-b1", at: 5)
        try accounts.addToken(userID: boris.id, name: "crm", tokenHash: "t-b2", at: 6)
        try accounts.addToken(userID: carl.id, name: "sheet", tokenHash: "t-c", at: 7)

        boris.disabledAt = 100
        try accounts.updateUser(boris)
        #expect(try accounts.user(id: boris.id)?.disabledAt == 100)
        #expect(try accounts.session(tokenHash: "s-b1", now: 0) == nil)
        #expect(try accounts.tokenUser(tokenHash: "t-b1") == nil)
        #expect(try accounts.tokenUser(tokenHash: "t-c")?.login == "carl")
        boris.disabledAt = nil
        try accounts.updateUser(boris)
        #expect(try accounts.tokenUser(tokenHash: "t-b1")?.login == "boris")

        try accounts.deleteSessions(userID: boris.id)
        #expect(try accounts.session(tokenHash: "s-b1", now: 0) == nil)
        #expect(try accounts.session(tokenHash: "s-b2", now: 0) == nil)
        #expect(try accounts.session(tokenHash: "s-c", now: 0)?.user.login == "carl")

        let listed = try accounts.tokens(userID: boris.id)
        #expect(listed.map(\.name) == ["crm", "bi"] && listed.allSatisfy { $0.login == "boris" })
        #expect(try accounts.tokens(userID: nil).map(\.name) == ["sheet", "crm", "bi"])
        #expect(try accounts.revokeToken(id: listed[1].id))
        #expect(try !accounts.revokeToken(id: listed[1].id))
        #expect(try accounts.tokenUser(tokenHash: "t-b1") == nil)
        #expect(try accounts.tokenUser(tokenHash: "t-b2")?.login == "boris")

        try accounts.audit(at: 9, userID: boris.id, action: "login", detail: "")
        try accounts.removeUser(id: boris.id)
        #expect(try accounts.user(login: "boris") == nil)
        #expect(try accounts.tokenUser(tokenHash: "t-b2") == nil)
        #expect(try accounts.tokens(userID: nil).map(\.name) == ["sheet"])
        #expect(try accounts.auditLog(limit: 5) == [AuditEntry(at: 9, login: nil, action: "login", detail: "")])
        #expect(throws: AccountError.noSuchUser("#\(boris.id)")) { try accounts.removeUser(id: boris.id) }
    }

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
}
