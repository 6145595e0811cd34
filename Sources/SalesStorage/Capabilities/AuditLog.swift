import SalesCore

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

/// Who changed what, append-only. A line outlives its user: it then shows no login.
public protocol AuditLog: Sendable {
    /// Appends a line by an existing user, or by nobody (nil: the CLI, an import).
    func record(at: Timestamp, userID: Int64?, action: String, detail: String) throws
    /// The last `limit` lines, newest first, each with its user's login.
    func latest(limit: Int) throws -> [AuditEntry]
}
