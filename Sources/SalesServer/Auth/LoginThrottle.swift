import Synchronization

/// Slows down password guessing: after `limit` failed sign-ins for one login from one address
/// within `window` seconds, further tries are refused until the oldest failure ages out.
final class LoginThrottle: Sendable {
    let limit: Int
    let window: Int64
    private let failures = Mutex<[String: [Int64]]>([:])

    init(limit: Int = 5, window: Int64 = 300) { self.limit = limit; self.window = window }

    private func key(_ login: String, _ address: String) -> String { login.lowercased() + "\u{1}" + address }

    /// Seconds to wait before the next try, or nil if a try is allowed now.
    func retryAfter(login: String, address: String, now: Int64) -> Int64? {
        failures.withLock { all in
            let k = key(login, address)
            let recent = (all[k] ?? []).filter { $0 > now - window }
            all[k] = recent.isEmpty ? nil : recent
            return recent.count >= limit ? recent[0] + window - now : nil
        }
    }

    func fail(login: String, address: String, now: Int64) {
        failures.withLock { $0[key(login, address), default: []].append(now) }
    }

    func succeed(login: String, address: String) {
        failures.withLock { _ = $0.removeValue(forKey: key(login, address)) }
    }
}
