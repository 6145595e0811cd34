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

public struct AuditEntry: Sendable, Hashable {
    public var at: Timestamp
    public var login: String?
    public var action: String
    public var detail: String
    public init(at: Timestamp, login: String?, action: String, detail: String) {
        self.at = at
        self.login = login
        self.action = action
        self.detail = detail
    }
}

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

public enum AccountError: Error, Sendable, Equatable {
    case loginTaken(String)
    case noSuchUser(String)
}

/// Users, sessions, API tokens, the audit log, replayed requests and the KPI system saved from the
/// admin page: the server's own state. Tokens arrive already hashed: the store never sees a secret it could leak.
public protocol AccountStore: Sendable {
    func addUser(_ user: UserAccount) throws -> UserAccount
    func updateUser(_ user: UserAccount) throws
    func user(login: String) throws -> UserAccount?
    func user(id: Int64) throws -> UserAccount?
    func users() throws -> [UserAccount]

    /// Removes the user with their sessions, tokens and replayed requests; the audit log keeps its lines.
    func removeUser(id: Int64) throws

    func createSession(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws
    /// The live session with this token, if it has not expired by `now` and its user is not disabled.
    func session(tokenHash: String, now: Timestamp) throws -> UserSession?
    func deleteSession(tokenHash: String) throws
    /// Ends every session of the user: after a password change, a disable, a removal.
    func deleteSessions(userID: Int64) throws

    func addToken(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws
    /// The token's user, unless the user is disabled.
    func tokenUser(tokenHash: String) throws -> UserAccount?
    /// Tokens of one user (nil: of everyone), newest first.
    func tokens(userID: Int64?) throws -> [APIToken]
    /// Revokes a token by its id: false if there is none.
    func revokeToken(id: Int64) throws -> Bool

    func audit(at: Timestamp, userID: Int64?, action: String, detail: String) throws
    func auditLog(limit: Int) throws -> [AuditEntry]

    /// The response kept under `key` since `now - StoredResponse.lifetime`.
    func storedResponse(userID: Int64, key: String, now: Timestamp) throws -> StoredResponse?
    /// Keeps a response (the first one under a key wins) and forgets those past their lifetime.
    func storeResponse(_ response: StoredResponse, userID: Int64, key: String, at: Timestamp) throws

    /// Keeps a new version of the KPI system (YAML); the latest is the one in force.
    func saveKPISystem(yaml: String, userID: Int64?, at: Timestamp) throws
    func latestKPISystem() throws -> String?

    /// Appends forecasts to the ledger (they are never changed afterwards).
    func saveForecasts(_ records: [ForecastRecord]) throws
    /// The ledger, newest first.
    func forecasts(limit: Int) throws -> [ForecastRecord]

    /// Alerts already sent, by their key: each is sent once.
    func alertWasSent(key: String) throws -> Bool
    func markAlertSent(key: String, at: Timestamp) throws
}
