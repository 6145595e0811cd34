import SalesCore

/// What a person who signs in may see: everything, their team, or their own numbers.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    case admin, head, rep
}

/// A person who signs in to the dashboard or the API.
public struct UserAccount: Sendable, Hashable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: UserRole
    /// The rep (by the CRM's external id) whose numbers are this user's own; a head's rep sets their team.
    public var repExternalID: String?
    /// The language the user picked; nil follows the browser.
    public var language: Language?
    /// bcrypt hash of the password.
    public var passwordHash: String
    /// When an admin disabled the account: it cannot sign in, and its sessions and tokens stop working.
    public var disabledAt: Timestamp?

    public init(
        id: Int64 = 0, login: String, name: String, role: UserRole, repExternalID: String? = nil,
        language: Language? = nil, passwordHash: String, disabledAt: Timestamp? = nil
    ) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.repExternalID = repExternalID
        self.language = language
        self.passwordHash = passwordHash
        self.disabledAt = disabledAt
    }
}

public enum AccountError: Error, Sendable, Equatable {
    case loginTaken(String)
    case noSuchUser(String)
}

/// The people who sign in. A login names one person whatever its letter case; it never changes.
/// Sessions, API tokens and kept responses belong to a user and go with them (`SessionStore`,
/// `APITokenStore`, `IdempotencyStore`); the audit log outlives them.
public protocol UserDirectory: Sendable {
    /// The user as stored, with its new id; `AccountError.loginTaken` if the login is in use in any case.
    func add(_ user: UserAccount) throws -> UserAccount
    /// Changes everything but the id and the login; `AccountError.noSuchUser` if there is no such id.
    func update(_ user: UserAccount) throws
    /// Removes the user with their sessions, tokens and kept responses; the audit log keeps its lines.
    func remove(id: Int64) throws
    /// The user whose login this is, whatever its letter case.
    func user(login: String) throws -> UserAccount?
    func user(id: Int64) throws -> UserAccount?
    /// Every user, by login.
    func all() throws -> [UserAccount]
}
