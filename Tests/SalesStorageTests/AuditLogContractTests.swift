import SalesCore
import SalesStorage
import Testing

/// Who changed what: newest first, by a user or by nobody, never losing a line.
@Suite struct AuditLogContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func linesComeNewestFirstWithTheirLogins(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        #expect(try db.audit.latest(limit: 5).isEmpty)
        let anna = try db.users.add(UserAccount(login: "Anna", name: "Анна", role: .head, passwordHash: "h"))
        try db.audit.record(at: 10, userID: anna.id, action: "login", detail: "")
        try db.audit.record(at: 11, userID: nil, action: "import", detail: "3 rows")
        // Order is the order of recording, not of the instants given.
        try db.audit.record(at: 5, userID: anna.id, action: "user.add", detail: "carl as rep")
        #expect(
            try db.audit.latest(limit: 5) == [
                AuditEntry(at: 5, login: "Anna", action: "user.add", detail: "carl as rep"),
                AuditEntry(at: 11, login: nil, action: "import", detail: "3 rows"),
                AuditEntry(at: 10, login: "Anna", action: "login", detail: ""),
            ])
        #expect(try db.audit.latest(limit: 2).map(\.action) == ["user.add", "import"])
    }

    @Test(arguments: DatabaseKind.allCases)
    func aLineIsByAUserWhoExistsOrByNobody(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        #expect(throws: (any Error).self) {
            try db.audit.record(at: 1, userID: anna.id + 1, action: "login", detail: "")
        }
        #expect(try db.audit.latest(limit: 5).isEmpty)
    }
}
