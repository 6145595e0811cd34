import Foundation

/// Where alert e-mails go and how the connection is secured, usually from a URL:
///
/// - `smtp://host[:port]` (port 25): STARTTLS when the server offers it, else plain text, as an open relay needs.
/// - `smtp://user:password@host:587`: STARTTLS is required, so the password is never sent in plain text: a server that
///   does not offer STARTTLS is refused before AUTH.
/// - `smtps://user:password@host[:port]` (port 465): TLS from the first byte (implicit TLS, RFC 8314).
/// - `?tls=starttls` requires STARTTLS without a login too; `?tls=none` never starts TLS and allows a login in plain
///   text, for a relay on a trusted network only.
///
/// User and password are percent-decoded (`alerts%40firm.ru`; `@ : / ? # %` in a password must be encoded). The
/// server's certificate is verified with its host name against the system store and `caFile`. The password appears in
/// no description: it prints as `***`.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is secured.
    public enum Security: Sendable, Equatable {
        /// STARTTLS when offered; required when there are credentials (`smtp://`).
        case opportunistic
        /// STARTTLS always (`smtp://…?tls=starttls`).
        case startTLS
        /// TLS from the first byte (`smtps://`).
        case implicitTLS
        /// Never TLS, even with credentials (`smtp://…?tls=none`).
        case none
    }

    /// A login; the password prints as `***` in descriptions, dumps and test failures.
    public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
        public var user: String
        public var password: String
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
        public var description: String { "\(user):***" }
        public var customMirror: Mirror { Mirror(self, children: ["user": user, "password": "***"]) }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// PEM certificates trusted in addition to the system store: a company's own CA.
    public var caFile: String?
    public var from: String
    public var to: [String]

    public init(
        host: String, port: Int = 25, security: Security = .opportunistic, credentials: Credentials? = nil,
        caFile: String? = nil, from: String, to: [String]
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.caFile = caFile
        self.from = from
        self.to = to
    }

    /// Parses `smtp://` or `smtps://` URLs (see the type's comment); nil for anything else, a user without a password
    /// or a query other than `tls=starttls|none` on `smtp://`. Without `from` the sender is the user when it is an
    /// e-mail address — Yandex, Microsoft 365 and Gmail refuse other senders — else `saleskpi@localhost`.
    public init?(url: String, from: String? = nil, to: [String], caFile: String? = nil) {
        guard let u = URLComponents(string: url), let host = u.host, !host.isEmpty, !to.isEmpty else { return nil }
        let query = u.queryItems ?? []
        guard query.count <= 1, query.allSatisfy({ $0.name == "tls" }) else { return nil }
        let security: Security
        switch (u.scheme?.lowercased(), query.first?.value?.lowercased()) {
        case ("smtp", nil): security = .opportunistic
        case ("smtp", "starttls"): security = .startTLS
        case ("smtp", "none"): security = .none
        case ("smtps", nil): security = .implicitTLS
        default: return nil
        }
        var credentials: Credentials?
        if let user = u.user, !user.isEmpty {
            guard let password = u.password, !password.isEmpty else { return nil }
            credentials = Credentials(user: user, password: password)
        }
        let sender = from ?? credentials.map(\.user).flatMap { $0.contains("@") ? $0 : nil } ?? "saleskpi@localhost"
        // URLComponents keeps the brackets of an IPv6 literal; connecting needs the bare address.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(
            host: bare, port: u.port ?? (security == .implicitTLS ? 465 : 25), security: security,
            credentials: credentials, caFile: caFile, from: sender, to: to)
    }

    /// The URL with the password masked, e.g. `smtp://alerts%40firm.ru:***@smtp.yandex.ru:587`.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = credentials?.user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed)
        let login = user.map { "\($0):***@" } ?? ""
        let query = security == .startTLS ? "?tls=starttls" : security == .none ? "?tls=none" : ""
        return "\(scheme)://\(login)\(server)\(query)"
    }

    /// `host:port` for messages (`[::1]:25` for IPv6).
    var server: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
}
