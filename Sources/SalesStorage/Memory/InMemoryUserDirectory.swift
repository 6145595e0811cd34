import Foundation
import SalesCore
import Synchronization

/// Users with their sessions and API tokens in memory. One object keeps all three because, as in a
/// database's joined tables, a session or a token is valid only while its user exists and is enabled.
public final class InMemoryUserDirectory: UserDirectory, SessionStore, APITokenStore, Sendable {
    struct Session {
        var userID: Int64
        var csrf: String
        var expiresAt: Timestamp
    }
    struct Token {
        var id: Int64
        var userID: Int64
        var name: String
        var hash: String
        var createdAt: Timestamp
    }
    struct State {
        var users: [Int64: UserAccount] = [:]
        var lastUserID: Int64 = 0
        var sessions: [String: Session] = [:]
        /// In id order.
        var tokens: [Token] = []
        var lastTokenID: Int64 = 0

        func user(login: String) -> UserAccount? {
            users.values.first { Self.sameLogin($0.login, login) }
        }
        func enabledUser(id: Int64) -> UserAccount? {
            users[id].flatMap { $0.disabledAt == nil ? $0 : nil }
        }
        func requireUser(id: Int64, for row: String) throws {
            if users[id] == nil { throw ConstraintViolation("\(row) of user #\(id), who does not exist") }
        }
        static func sameLogin(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
    }
    private let state = Mutex(State())

    public init() {}

    // MARK: Users

    public func add(_ user: UserAccount) throws -> UserAccount {
        guard !user.login.isEmpty else { throw ConstraintViolation("a user without a login") }
        return try state.withLock { s in
            if s.user(login: user.login) != nil { throw AccountError.loginTaken(user.login) }
            s.lastUserID += 1
            var stored = user
            stored.id = s.lastUserID
            s.users[stored.id] = stored
            return stored
        }
    }

    public func update(_ user: UserAccount) throws {
        try state.withLock { s in
            guard let old = s.users[user.id] else { throw AccountError.noSuchUser(user.login) }
            var changed = user
            changed.login = old.login
            s.users[user.id] = changed
        }
    }

    public func remove(id: Int64) throws {
        try state.withLock { s in
            guard s.users.removeValue(forKey: id) != nil else { throw AccountError.noSuchUser("#\(id)") }
            s.sessions = s.sessions.filter { $0.value.userID != id }
            s.tokens.removeAll { $0.userID == id }
        }
    }

    public func user(login: String) throws -> UserAccount? {
        state.withLock { $0.user(login: login) }
    }

    public func user(id: Int64) throws -> UserAccount? {
        state.withLock { $0.users[id] }
    }

    public func all() throws -> [UserAccount] {
        state.withLock { s in
            s.users.values.sorted { ($0.login.lowercased(), $0.login) < ($1.login.lowercased(), $1.login) }
        }
    }

    // MARK: Sessions

    public func create(tokenHash: String, userID: Int64, csrf: String, expiresAt: Timestamp) throws {
        let clock = Timestamp(Date().timeIntervalSince1970)
        try state.withLock { s in
            s.sessions = s.sessions.filter { $0.value.expiresAt >= clock }
            try s.requireUser(id: userID, for: "a session")
            if s.sessions[tokenHash] != nil { throw ConstraintViolation("a second session with one token") }
            s.sessions[tokenHash] = Session(userID: userID, csrf: csrf, expiresAt: expiresAt)
        }
    }

    public func session(tokenHash: String, now: Timestamp) throws -> UserSession? {
        state.withLock { s in
            guard let session = s.sessions[tokenHash], session.expiresAt > now,
                let user = s.enabledUser(id: session.userID)
            else { return nil }
            return UserSession(user: user, csrf: session.csrf, expiresAt: session.expiresAt)
        }
    }

    public func delete(tokenHash: String) throws {
        _ = state.withLock { $0.sessions.removeValue(forKey: tokenHash) }
    }

    public func deleteAll(userID: Int64) throws {
        state.withLock { s in s.sessions = s.sessions.filter { $0.value.userID != userID } }
    }

    // MARK: API tokens

    public func add(userID: Int64, name: String, tokenHash: String, at: Timestamp) throws {
        try state.withLock { s in
            try s.requireUser(id: userID, for: "a token")
            if s.tokens.contains(where: { $0.hash == tokenHash }) {
                throw ConstraintViolation("a second token with one hash")
            }
            s.lastTokenID += 1
            s.tokens.append(Token(id: s.lastTokenID, userID: userID, name: name, hash: tokenHash, createdAt: at))
        }
    }

    public func user(tokenHash: String) throws -> UserAccount? {
        state.withLock { s in
            s.tokens.first { $0.hash == tokenHash }.flatMap { s.enabledUser(id: $0.userID) }
        }
    }

    public func list(userID: Int64?) throws -> [APIToken] {
        state.withLock { s in
            s.tokens.reversed().compactMap { t in
                guard userID == nil || t.userID == userID, let owner = s.users[t.userID] else { return nil }
                return APIToken(id: t.id, userID: t.userID, login: owner.login, name: t.name, createdAt: t.createdAt)
            }
        }
    }

    public func revoke(id: Int64) throws -> Bool {
        state.withLock { s in
            guard let index = s.tokens.firstIndex(where: { $0.id == id }) else { return false }
            s.tokens.remove(at: index)
            return true
        }
    }
}
