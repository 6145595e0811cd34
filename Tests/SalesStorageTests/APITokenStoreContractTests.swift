import SalesCore
import SalesStorage
import Testing

/// Machines' credentials: a token names its user while the user is enabled; tokens are listed newest
/// first, without their secret, and revoked one by one.
@Suite struct APITokenStoreContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func aTokenNamesItsUserWhileTheUserIsEnabled(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        var boris = try db.users.addRep("boris")
        let carl = try db.users.addRep("carl")
        try db.apiTokens.add(userID: boris.id, name: "bi", tokenHash: "t-b", at: 5)
        try db.apiTokens.add(userID: carl.id, name: "sheet", tokenHash: "t-c", at: 7)
        #expect(try db.apiTokens.user(tokenHash: "t-b") == boris)
        #expect(try db.apiTokens.user(tokenHash: "t-x") == nil)

        boris.disabledAt = 100
        try db.users.update(boris)
        #expect(try db.apiTokens.user(tokenHash: "t-b") == nil)
        #expect(try db.apiTokens.user(tokenHash: "t-c")?.login == "carl")
        // Still listed for the admin, and working again once the user is enabled.
        #expect(try db.apiTokens.list(userID: boris.id).map(\.name) == ["bi"])
        boris.disabledAt = nil
        try db.users.update(boris)
        #expect(try db.apiTokens.user(tokenHash: "t-b")?.login == "boris")
    }

    @Test(arguments: DatabaseKind.allCases)
    func tokensAreListedNewestFirstAndRevokedOneByOne(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let boris = try db.users.addRep("boris")
        let carl = try db.users.addRep("carl")
        #expect(try db.apiTokens.list(userID: nil).isEmpty)
        try db.apiTokens.add(userID: boris.id, name: "bi", tokenHash: "t-b1", at: 5)
        try db.apiTokens.add(userID: boris.id, name: "crm", tokenHash: "t-b2", at: 6)
        try db.apiTokens.add(userID: carl.id, name: "sheet", tokenHash: "t-c", at: 7)

        let listed = try db.apiTokens.list(userID: boris.id)
        #expect(listed.map(\.name) == ["crm", "bi"] && listed.allSatisfy { $0.login == "boris" })
        #expect(listed.map(\.createdAt) == [6, 5] && listed.allSatisfy { $0.userID == boris.id })
        #expect(listed[0].id != listed[1].id)
        #expect(try db.apiTokens.list(userID: nil).map(\.name) == ["sheet", "crm", "bi"])
        #expect(try db.apiTokens.list(userID: carl.id).map(\.login) == ["carl"])
        #expect(try db.apiTokens.revoke(id: listed[1].id))
        #expect(try !db.apiTokens.revoke(id: listed[1].id))
        #expect(try db.apiTokens.user(tokenHash: "t-b1") == nil)
        #expect(try db.apiTokens.user(tokenHash: "t-b2")?.login == "boris")
        #expect(try db.apiTokens.list(userID: nil).map(\.name) == ["sheet", "crm"])
    }

    @Test(arguments: DatabaseKind.allCases)
    func aTokenBelongsToAUserAndItsHashIsKeptOnce(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        let boris = try db.users.addRep("boris")
        #expect(throws: (any Error).self) {
            try db.apiTokens.add(userID: boris.id + 1, name: "x", tokenHash: "t", at: 1)
        }
        try db.apiTokens.add(userID: anna.id, name: "bi", tokenHash: "t", at: 1)
        #expect(throws: (any Error).self) { try db.apiTokens.add(userID: boris.id, name: "bi", tokenHash: "t", at: 2) }
        #expect(try db.apiTokens.user(tokenHash: "t") == anna)
        #expect(try db.apiTokens.list(userID: nil).count == 1)
    }
}
