import Synchronization

/// Slows down password guessing. A try is counted before the password is checked, so that tries sent
/// in parallel count too: at most `perAddress` for one login from one address and `perLogin` for one
/// login from anywhere within `window` seconds; a successful sign-in forgets that address's tries.
///
/// The table is bounded: logins are cut to `maxLoginLength` before they become keys, keys whose tries
/// have aged out are pruned, and past `maxKeys` the stalest are dropped.
final class LoginThrottle: Sendable {
    static let maxLoginLength = 128

    let perAddress: Int
    let perLogin: Int
    let window: Int64
    let maxKeys: Int

    private struct State {
        /// The newest tries per key, oldest first: never more than the key's limit.
        var tries: [String: [Int64]] = [:]
        var sincePruned = 0
    }
    private let state = Mutex(State())

    init(perAddress: Int = 5, perLogin: Int = 20, window: Int64 = 300, maxKeys: Int = 10_000) {
        self.perAddress = perAddress
        self.perLogin = perLogin
        self.window = window
        self.maxKeys = maxKeys
    }

    private static func login(_ login: String) -> String { String(login.lowercased().prefix(maxLoginLength)) }
    private func keys(_ login: String, _ address: String) -> [(key: String, limit: Int)] {
        let l = Self.login(login)
        return [("a\u{1}" + l + "\u{1}" + String(address.prefix(64)), perAddress), ("l\u{1}" + l, perLogin)]
    }

    /// Counts a try: nil if it may go ahead, else the seconds to wait (and then it is not counted).
    func begin(login: String, address: String, now: Int64) -> Int64? {
        let keys = keys(login, address)
        return state.withLock { s -> Int64? in
            var wait: Int64 = 0
            for (key, limit) in keys {
                let recent = (s.tries[key] ?? []).filter { $0 > now - window }
                if recent.count >= limit { wait = max(wait, recent[recent.count - limit] + window - now) }
            }
            if wait > 0 { return wait }
            for (key, limit) in keys {
                var list = (s.tries[key] ?? []).filter { $0 > now - window }
                list.append(now)
                s.tries[key] = Array(list.suffix(limit))
            }
            prune(&s, now: now)
            return nil
        }
    }

    /// A right password: this address's tries for the login are forgotten, and this try is not held
    /// against the login elsewhere.
    func succeed(login: String, address: String) {
        let keys = keys(login, address)
        state.withLock { s in
            s.tries[keys[0].key] = nil
            if var list = s.tries[keys[1].key], !list.isEmpty {
                list.removeLast()
                s.tries[keys[1].key] = list.isEmpty ? nil : list
            }
        }
    }

    var keyCount: Int { state.withLock { $0.tries.count } }

    private func prune(_ s: inout State, now: Int64) {
        s.sincePruned += 1
        guard s.tries.count > maxKeys || s.sincePruned >= 1_000 else { return }
        s.sincePruned = 0
        s.tries = s.tries.filter { ($0.value.last ?? 0) > now - window }
        // Down to nine tenths, so that a flood of new logins sorts the table once per thousand tries.
        if s.tries.count > maxKeys {
            let keep = maxKeys * 9 / 10
            let stalest = s.tries.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(s.tries.count - keep)
            for (key, _) in stalest { s.tries[key] = nil }
        }
    }
}
