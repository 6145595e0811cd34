import SalesCore
import SalesStorage
import Testing

/// The people who sign in: one login per person whatever its case, every field kept, removal takes
/// what belongs to the user and leaves the audit log its lines.
@Suite struct UserDirectoryContractTests {
    /// Every optional field set, a login with a capital.
    static let anna = UserAccount(
        login: "Anna", name: "Анна", role: .head, repExternalID: "R1", language: .ru, passwordHash: "h1")

    @Test(arguments: DatabaseKind.allCases)
    func loginsAreUniqueWhateverTheirCase(_ kind: DatabaseKind) throws {
        let users = try EventStoreContractTests.makeDatabase(kind).users
        let anna = try users.add(Self.anna)
        #expect(anna.id > 0)
        #expect(try users.user(id: anna.id) == anna)
        #expect(throws: AccountError.loginTaken("anna")) {
            try users.add(UserAccount(login: "anna", name: "x", role: .rep, passwordHash: "h"))
        }
        #expect(try users.user(login: "ANNA")?.id == anna.id)
        #expect(try users.user(login: "anna") == anna)
        #expect(try users.user(login: "ann") == nil)
        #expect(try users.user(id: anna.id + 1) == nil)
        #expect(throws: (any Error).self) {
            try users.add(UserAccount(login: "", name: "nobody", role: .rep, passwordHash: "h"))
        }
        #expect(try users.all() == [anna])
    }

    @Test(arguments: DatabaseKind.allCases)
    func everyoneIsListedByLogin(_ kind: DatabaseKind) throws {
        let users = try EventStoreContractTests.makeDatabase(kind).users
        #expect(try users.all().isEmpty)
        let carl = try users.addRep("carl")
        let anna = try users.addRep("anna")
        let boris = try users.addRep("boris")
        #expect(Set([carl.id, anna.id, boris.id]).count == 3)
        #expect(try users.all() == [anna, boris, carl])
    }

    @Test(arguments: DatabaseKind.allCases)
    func anUpdateChangesAllButTheIdAndTheLogin(_ kind: DatabaseKind) throws {
        let users = try EventStoreContractTests.makeDatabase(kind).users
        let anna = try users.add(Self.anna)
        var renamed = anna
        renamed.name = "Анна К."
        renamed.language = nil
        try users.update(renamed)
        #expect(try users.user(id: anna.id) == renamed)

        var changed = renamed
        changed.login = "anya"
        changed.role = .admin
        changed.repExternalID = nil
        changed.language = .en
        changed.passwordHash = "h2"
        changed.disabledAt = 100
        try users.update(changed)
        var expected = changed
        expected.login = "Anna"
        #expect(try users.user(id: anna.id) == expected)
        #expect(try users.user(login: "anya") == nil)

        #expect(throws: AccountError.noSuchUser("ghost")) {
            try users.update(UserAccount(id: 999, login: "ghost", name: "", role: .rep, passwordHash: ""))
        }
    }

    /// Sessions, tokens and kept responses go with their user; the audit log keeps the user's lines
    /// (without a login) and the KPI system they saved stays in force. The login is free again, and
    /// whoever takes it inherits nothing.
    @Test(arguments: DatabaseKind.allCases)
    func removingAUserTakesWhatWasTheirs(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let boris = try db.users.addRep("boris")
        let carl = try db.users.addRep("carl")
        try db.sessions.create(tokenHash: "s-b", userID: boris.id, csrf: "c", expiresAt: farFuture)
        try db.sessions.create(tokenHash: "s-c", userID: carl.id, csrf: "c", expiresAt: farFuture)
        try db.apiTokens.add(userID: boris.id, name: "crm", tokenHash: "t-b", at: 6)
        try db.apiTokens.add(userID: carl.id, name: "sheet", tokenHash: "t-c", at: 7)
        let answer = StoredResponse(status: 201, body: [1], requestHash: "h")
        try db.storedResponses.keep(answer, userID: boris.id, key: "k", at: 1)
        try db.storedResponses.keep(answer, userID: carl.id, key: "k", at: 1)
        try db.audit.record(at: 9, userID: boris.id, action: "login", detail: "")
        try db.kpiSystems.save(yaml: "by boris", userID: boris.id, at: 9)

        try db.users.remove(id: boris.id)
        #expect(try db.users.user(login: "boris") == nil)
        #expect(try db.users.user(id: boris.id) == nil)
        #expect(try db.users.all() == [carl])
        #expect(try db.sessions.session(tokenHash: "s-b", now: 0) == nil)
        #expect(try db.apiTokens.user(tokenHash: "t-b") == nil)
        #expect(try db.apiTokens.list(userID: nil).map(\.name) == ["sheet"])
        #expect(try db.apiTokens.list(userID: boris.id).isEmpty)
        #expect(try db.storedResponses.response(userID: boris.id, key: "k", now: 2) == nil)
        #expect(try db.audit.latest(limit: 5) == [AuditEntry(at: 9, login: nil, action: "login", detail: "")])
        #expect(try db.kpiSystems.latest() == "by boris")
        // What is not Boris's stays.
        #expect(try db.sessions.session(tokenHash: "s-c", now: 0)?.user == carl)
        #expect(try db.apiTokens.user(tokenHash: "t-c") == carl)
        #expect(try db.storedResponses.response(userID: carl.id, key: "k", now: 2) == answer)
        #expect(throws: AccountError.noSuchUser("#\(boris.id)")) { try db.users.remove(id: boris.id) }

        let newBoris = try db.users.addRep("Boris")
        #expect(try db.apiTokens.list(userID: newBoris.id).isEmpty)
        #expect(try db.storedResponses.response(userID: newBoris.id, key: "k", now: 2) == nil)
        #expect(try db.audit.latest(limit: 5).map(\.login) == [nil])
    }
}
