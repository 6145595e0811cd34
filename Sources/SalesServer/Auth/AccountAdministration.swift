import Foundation
import SalesCore
import SalesStorage

/// What an admin does to an account, from the CLI (`saleskpi user …`) or the admin page: each change
/// ends the user's sessions where it takes rights away, and is written to the audit log.
///
/// A running server forgets its cached credentials at once for changes made on its own admin page;
/// a change made by the CLI, or on another instance, reaches it within `CredentialCache.lifetime`.
public struct AccountAdministration: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        case noSuchUser(String)
        case noSuchToken(Int64)
        /// The change would leave no admin able to sign in.
        case lastAdmin(String)
        case shortPassword

        public func message(_ lang: Language) -> String {
            switch self {
            case .noSuchUser(let login): lang.message("account.error.no_user", ["login": .text(login)])
            case .noSuchToken(let id): lang.message("account.error.no_token", ["id": .text(String(id))])
            case .lastAdmin(let login): lang.message("account.error.last_admin", ["login": .text(login)])
            case .shortPassword: lang.message("account.error.short_password")
            }
        }
    }

    public static let minimumPasswordLength = 8

    let users: any UserDirectory
    let sessions: any SessionStore
    let apiTokens: any APITokenStore
    let auditLog: any AuditLog
    let passwords: PasswordHasher
    /// Who makes the change, for the audit log (nil: the CLI, on the server's own machine).
    let actor: UserAccount?

    public init(
        users: any UserDirectory, sessions: any SessionStore, apiTokens: any APITokenStore, audit: any AuditLog,
        passwords: PasswordHasher, actor: UserAccount?
    ) {
        self.users = users
        self.sessions = sessions
        self.apiTokens = apiTokens
        self.auditLog = audit
        self.passwords = passwords
        self.actor = actor
    }

    /// Over the stores of a server or a database.
    public init(_ stores: ServerStores, passwords: PasswordHasher, actor: UserAccount?) {
        self.init(
            users: stores.users, sessions: stores.sessions, apiTokens: stores.apiTokens, audit: stores.audit,
            passwords: passwords, actor: actor)
    }

    private var now: Timestamp { Int64(Date().timeIntervalSince1970) }

    private func user(_ login: String) throws -> UserAccount {
        guard let user = try users.user(login: login) else { throw Failure.noSuchUser(login) }
        return user
    }

    private func audit(_ action: String, _ detail: String) throws {
        try auditLog.record(
            at: now, userID: actor?.id, action: action,
            detail: actor == nil ? detail + " (CLI)" : detail)
    }

    /// Refuses to take the last active admin away.
    private func keepAnAdmin(besides user: UserAccount) throws {
        guard user.role == .admin, user.disabledAt == nil else { return }
        let others = try users.all().filter { $0.role == .admin && $0.disabledAt == nil && $0.id != user.id }
        if others.isEmpty { throw Failure.lastAdmin(user.login) }
    }

    /// The user can no longer sign in; their sessions end and their tokens stop working.
    @discardableResult
    public func disable(_ login: String) throws -> UserAccount {
        var user = try user(login)
        guard user.disabledAt == nil else { return user }
        try keepAnAdmin(besides: user)
        user.disabledAt = now
        try users.update(user)
        try sessions.deleteAll(userID: user.id)
        try audit("user.disable", user.login)
        return user
    }

    /// The user may sign in again; their tokens work again.
    @discardableResult
    public func enable(_ login: String) throws -> UserAccount {
        var user = try user(login)
        guard user.disabledAt != nil else { return user }
        user.disabledAt = nil
        try users.update(user)
        try audit("user.enable", user.login)
        return user
    }

    /// The user, their sessions and tokens are gone; the audit log keeps what they did.
    public func remove(_ login: String) throws {
        let user = try user(login)
        try keepAnAdmin(besides: user)
        try users.remove(id: user.id)
        try audit("user.remove", "\(user.login) (\(user.role.rawValue))")
    }

    /// A new password; every session of the user ends (tokens are not passwords: they stay).
    public func setPassword(_ login: String, to password: String) throws {
        guard password.count >= Self.minimumPasswordLength else { throw Failure.shortPassword }
        var user = try user(login)
        user.passwordHash = passwords.hash(password)
        try users.update(user)
        try sessions.deleteAll(userID: user.id)
        try audit("user.password", user.login)
    }

    /// A user's tokens (nil: everyone's), newest first.
    public func tokens(of login: String?) throws -> [APIToken] {
        try apiTokens.list(userID: try login.map { try user($0).id })
    }

    /// Revokes a token by the id `tokens` shows.
    @discardableResult
    public func revokeToken(id: Int64) throws -> APIToken {
        guard let token = try apiTokens.list(userID: nil).first(where: { $0.id == id }),
            try apiTokens.revoke(id: id)
        else { throw Failure.noSuchToken(id) }
        try audit("token.revoke", "\(token.login): \(token.name) (#\(id))")
        return token
    }
}
