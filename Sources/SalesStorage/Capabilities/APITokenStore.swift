import SalesCore

/// An API token as an admin sees it: never the token itself, only its name and when it was made.
public struct APIToken: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var login: String
    public var name: String
    public var createdAt: Timestamp
    public init(id: Int64, userID: Int64, login: String, name: String, createdAt: Timestamp) {
        self.id = id
        self.userID = userID
        self.login = login
        self.name = name
        self.createdAt = createdAt
    }
}

/// Machines' credentials, by the SHA-256 of the token: the store never sees a secret it could leak.
public protocol APITokenStore: Sendable {
    /// Keeps a token of an existing user; a hash is kept once.
    func add(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws
    /// The token's user, unless the user is disabled.
    func user(tokenHash: String) throws -> UserAccount?
    /// Tokens of one user (nil: of everyone), newest first.
    func list(userID: Int64?) throws -> [APIToken]
    /// Revokes a token by its id: false if there is none.
    func revoke(id: Int64) throws -> Bool
}
