import SalesCore
import Synchronization

/// Kept responses in memory. A removed user's are never returned (user ids are not reused), as the
/// databases' `ON DELETE CASCADE` deletes them.
public final class InMemoryIdempotencyStore: IdempotencyStore, Sendable {
    struct Kept {
        var response: StoredResponse
        var at: Timestamp
    }
    struct Key: Hashable {
        var userID: Int64
        var key: String
    }
    private let users: any UserDirectory
    private let kept = Mutex<[Key: Kept]>([:])

    public init(users: any UserDirectory) { self.users = users }

    public func response(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse? {
        guard try users.user(id: userID) != nil else { return nil }
        return kept.withLock { all in
            all[Key(userID: userID, key: key)].flatMap { $0.at > now - StoredResponse.lifetime ? $0.response : nil }
        }
    }

    public func keep(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws {
        guard try users.user(id: userID) != nil else {
            throw ConstraintViolation("a response of user #\(userID), who does not exist")
        }
        kept.withLock { all in
            all = all.filter { $0.value.at > at - StoredResponse.lifetime }
            let key = Key(userID: userID, key: key)
            if all[key] == nil { all[key] = Kept(response: response, at: at) }
        }
    }
}
