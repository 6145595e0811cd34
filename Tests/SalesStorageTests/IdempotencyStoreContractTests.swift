import SalesCore
import SalesStorage
import Testing

/// A retried request gets its first answer, bytes intact, with the hash of its body, for
/// `StoredResponse.lifetime` (one day); then the key may be used again.
@Suite struct IdempotencyStoreContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func theFirstAnswerIsKeptForADay(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        let responses = db.storedResponses
        #expect(try responses.response(userID: anna.id, key: "k", now: 1) == nil)
        let first = StoredResponse(status: 201, body: [0, 255, 7], requestHash: "h-a")
        try responses.keep(first, userID: anna.id, key: "k", at: 1)
        try responses.keep(StoredResponse(status: 500, body: [1], requestHash: "h-b"), userID: anna.id, key: "k", at: 2)
        // Kept at 1: there while 1 > now − 86 400, that is until now = 86 400.
        #expect(try responses.response(userID: anna.id, key: "k", now: 86_400) == first)
        #expect(try responses.response(userID: anna.id, key: "k", now: 86_401) == nil)
        // Storing after the lifetime forgets the old answer: the key may be used again.
        let later = StoredResponse(status: 200, body: [2], requestHash: "h-c")
        try responses.keep(later, userID: anna.id, key: "k", at: 86_401)
        #expect(try responses.response(userID: anna.id, key: "k", now: 86_402) == later)
    }

    @Test(arguments: DatabaseKind.allCases)
    func keysAreEachUsersOwn(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        let boris = try db.users.addRep("boris")
        let annas = StoredResponse(status: 201, body: [], requestHash: "a")
        let boriss = StoredResponse(status: 422, body: Array("{}".utf8), requestHash: "b")
        try db.storedResponses.keep(annas, userID: anna.id, key: "k", at: 10)
        try db.storedResponses.keep(boriss, userID: boris.id, key: "k", at: 10)
        #expect(try db.storedResponses.response(userID: anna.id, key: "k", now: 11) == annas)
        #expect(try db.storedResponses.response(userID: boris.id, key: "k", now: 11) == boriss)
        #expect(try db.storedResponses.response(userID: anna.id, key: "K", now: 11) == nil)
        #expect(throws: (any Error).self) {
            try db.storedResponses.keep(annas, userID: boris.id + 1, key: "k", at: 10)
        }
    }

    /// Keeping any response forgets every one past its lifetime at that instant (kept at or before
    /// `at − 86 400`), even one a lookup at an earlier `now` would still find.
    @Test(arguments: DatabaseKind.allCases)
    func keepingForgetsTheExpired(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        let anna = try db.users.addRep("anna")
        let old = StoredResponse(status: 201, body: [1], requestHash: "old")
        let edge = StoredResponse(status: 201, body: [2], requestHash: "edge")
        try db.storedResponses.keep(old, userID: anna.id, key: "old", at: 1)
        try db.storedResponses.keep(edge, userID: anna.id, key: "edge", at: 2)
        try db.storedResponses.keep(old, userID: anna.id, key: "new", at: 86_401)
        #expect(try db.storedResponses.response(userID: anna.id, key: "old", now: 10) == nil)
        #expect(try db.storedResponses.response(userID: anna.id, key: "edge", now: 10) == edge)
    }
}
