import Foundation
import SalesCore
import SalesStorage

/// Who a token or session cookie (by its hash) belongs to, remembered for a few seconds: a dashboard
/// or a script asks many times a second, and a store read per request cost more than the answer.
/// Signing out and changing a user forget at once; anything else (a session expiring, a user
/// removed by another instance) takes effect within `lifetime`.
final class CredentialCache: @unchecked Sendable {
    struct Entry {
        var user: UserAccount
        var session: UserSession?
        var until: TimeInterval
    }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 5) { self.lifetime = lifetime }

    /// The cached entry for `hash`, or the one `load` finds (nil: not a valid credential, not cached).
    func entry(_ hash: String, now: TimeInterval, load: () throws -> (UserAccount, UserSession?)?) rethrows -> Entry? {
        if let e = lock.withLock({ entries[hash] }), e.until > now { return e }
        guard let (user, session) = try load() else {
            lock.withLock { entries[hash] = nil }
            return nil
        }
        // A session never outlives its expiry, even cached.
        let until = min(now + lifetime, session.map { TimeInterval($0.expiresAt) } ?? .infinity)
        let e = Entry(user: user, session: session, until: until)
        lock.withLock {
            if entries.count > 100_000 { entries.removeAll() }  // bounded: random tokens would grow it forever
            entries[hash] = e
        }
        return e
    }

    func forget(hash: String) { lock.withLock { entries[hash] = nil } }
    func forget(userID: Int64) { lock.withLock { entries = entries.filter { $0.value.user.id != userID } } }
}
