import SalesCore
import SalesStorage
import Testing

/// Signed-in browsers: a session ends at its instant, works only while its user is enabled, and is
/// ended one at a time or all of a user's at once.
@Suite struct SessionStoreContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func aSessionEndsAtItsInstant(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        try db.sessions.create(tokenHash: "s1", userID: anna.id, csrf: "c1", expiresAt: farFuture)
        let live = try #require(try db.sessions.session(tokenHash: "s1", now: farFuture - 1))
        #expect(live.user == anna && live.csrf == "c1" && live.expiresAt == farFuture)
        #expect(try db.sessions.session(tokenHash: "s1", now: farFuture) == nil)  // expired at that instant
        #expect(try db.sessions.session(tokenHash: "s2", now: 0) == nil)
        try db.sessions.delete(tokenHash: "s1")
        #expect(try db.sessions.session(tokenHash: "s1", now: 0) == nil)
        try db.sessions.delete(tokenHash: "s1")  // signing out twice is no error
    }

    /// Opening a session forgets those already expired by the clock, whatever `now` a later lookup names.
    @Test(arguments: DatabaseKind.allCases)
    func openingASessionForgetsTheExpiredOnes(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        try db.sessions.create(tokenHash: "old", userID: anna.id, csrf: "c", expiresAt: 10)
        #expect(try db.sessions.session(tokenHash: "old", now: 9) != nil)
        try db.sessions.create(tokenHash: "new", userID: anna.id, csrf: "c", expiresAt: farFuture)
        #expect(try db.sessions.session(tokenHash: "old", now: 9) == nil)
        #expect(try db.sessions.session(tokenHash: "new", now: 9) != nil)
    }

    @Test(arguments: DatabaseKind.allCases)
    func aDisabledUsersSessionsStopWorking(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        var boris = try db.users.addRep("boris")
        let carl = try db.users.addRep("carl")
        try db.sessions.create(tokenHash: "s-b1", userID: boris.id, csrf: "c", expiresAt: farFuture)
        try db.sessions.create(tokenHash: "s-b2", userID: boris.id, csrf: "c", expiresAt: farFuture)
        try db.sessions.create(tokenHash: "s-c", userID: carl.id, csrf: "c", expiresAt: farFuture)

        boris.disabledAt = 100
        try db.users.update(boris)
        #expect(try db.sessions.session(tokenHash: "s-b1", now: 0) == nil)
        #expect(try db.sessions.session(tokenHash: "s-c", now: 0)?.user == carl)
        // The store only hides them: ending them is the administration's (`deleteAll`).
        boris.disabledAt = nil
        try db.users.update(boris)
        #expect(try db.sessions.session(tokenHash: "s-b1", now: 0)?.user == boris)

        try db.sessions.deleteAll(userID: boris.id)
        #expect(try db.sessions.session(tokenHash: "s-b1", now: 0) == nil)
        #expect(try db.sessions.session(tokenHash: "s-b2", now: 0) == nil)
        #expect(try db.sessions.session(tokenHash: "s-c", now: 0)?.user.login == "carl")
    }

    @Test(arguments: DatabaseKind.allCases)
    func aSessionBelongsToAUserAndHasATokenOfItsOwn(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        #expect(throws: (any Error).self) {
            try db.sessions.create(tokenHash: "s", userID: anna.id + 1, csrf: "c", expiresAt: farFuture)
        }
        try db.sessions.create(tokenHash: "s", userID: anna.id, csrf: "c1", expiresAt: farFuture)
        #expect(throws: (any Error).self) {
            try db.sessions.create(tokenHash: "s", userID: anna.id, csrf: "c2", expiresAt: farFuture)
        }
        #expect(try db.sessions.session(tokenHash: "s", now: 0)?.csrf == "c1")
    }
}
