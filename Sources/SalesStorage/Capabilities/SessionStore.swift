import SalesCore

/// A signed-in browser: whose it is and the token its forms must echo (CSRF).
public struct UserSession: Sendable {
    public var user: UserAccount
    public var csrf: String
    public var expiresAt: Timestamp
    public init(user: UserAccount, csrf: String, expiresAt: Timestamp) {
        self.user = user
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}

/// Signed-in browsers, by the SHA-256 of their cookie: a copied database opens nothing.
public protocol SessionStore: Sendable {
    /// Opens a session for an existing user (and forgets the sessions that have expired by the clock).
    func create(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws
    /// The live session with this token: not expired by `now` (it ends at `expiresAt`), its user not disabled.
    func session(tokenHash: String, now: Timestamp) throws -> UserSession?
    /// Signs one browser out.
    func delete(tokenHash: String) throws
    /// Ends every session of the user: after a password change, a disable, a removal.
    func deleteAll(userID: Int64) throws
}
