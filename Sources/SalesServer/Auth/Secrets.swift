import Crypto
import Foundation
import HummingbirdBcrypt
import SalesConnectors
import SalesStorage
import Synchronization

/// Random tokens and their hashes. Session cookies and API tokens are random; the store keeps only
/// their SHA-256, so a leaked database file opens no session. Passwords are bcrypt-hashed.
enum Secrets {
    /// 32 random bytes as 64 hex digits.
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    /// Every request with a token or cookie hashes it: `hex` avoids `String(format:)`, which cost
    /// more than the rest of authentication.
    static func hash(token: String) -> String { hex(SHA256.hash(data: Data(token.utf8))) }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Constant-time comparison, for CSRF tokens.
    static func equal(_ a: String, _ b: String) -> Bool { Webhooks.constantTimeEqual(a, b) }
}

/// bcrypt password hashing. The cost is a setting so tests stay fast; 12 is the default.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    public init(cost: UInt8 = 12) { self.cost = cost }
    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// Checks `password` against a hash no password matches, as long as a real check takes: a login
    /// that does not exist must not answer faster than one that does (which would list the logins).
    public func verifyNothing(_ password: String) {
        let dummy = Self.dummies.withLock { all in
            if let h = all[cost] { return h }
            let h = hash(Secrets.randomToken())
            all[cost] = h
            return h
        }
        _ = Bcrypt.verify(password, hash: dummy)
    }

    private static let dummies = Mutex<[UInt8: String]>([:])
}

/// API tokens for machines: `skp_` and 64 hex digits, shown once; only the hash is stored.
public enum TokenIssuer {
    public static func issue(for user: UserAccount, name: String, in apiTokens: any APITokenStore) throws -> String {
        let token = "skp_" + Secrets.randomToken()
        try apiTokens.add(
            userID: user.id, name: name, tokenHash: Secrets.hash(token: token), at: Int64(Date().timeIntervalSince1970))
        return token
    }
}
