import SalesCore

/// A response kept under a client's `Idempotency-Key`, returned again when the request is retried
/// with the same body (`requestHash`, SHA-256 of it) within `lifetime`.
public struct StoredResponse: Sendable, Hashable {
    public static let lifetime: Timestamp = 86_400

    public var status: Int
    public var body: [UInt8]
    public var requestHash: String
    public init(status: Int, body: [UInt8], requestHash: String) {
        self.status = status
        self.body = body
        self.requestHash = requestHash
    }
}

/// Answers to requests a client may retry, per user and `Idempotency-Key`: a retry gets the first answer.
public protocol IdempotencyStore: Sendable {
    /// The response kept under the user's `key` since `now - StoredResponse.lifetime` (exclusive).
    func response(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse?
    /// Keeps a response of an existing user (the first one under a key wins) and forgets those past
    /// their lifetime at `at`, so that an expired key may be used again.
    func keep(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws
}
