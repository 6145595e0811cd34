import SalesCore
import Synchronization

/// The audit log in memory. Lines keep the user's id; the login is looked up when they are read, so a
/// removed user's lines show none, as with the databases' `ON DELETE SET NULL`.
public final class InMemoryAuditLog: AuditLog, Sendable {
    struct Line {
        var at: Timestamp
        var userID: Int64?
        var action: String
        var detail: String
    }
    private let users: any UserDirectory
    private let lines = Mutex<[Line]>([])

    public init(users: any UserDirectory) { self.users = users }

    public func record(at: Timestamp, userID: Int64?, action: String, detail: String) throws {
        if let userID, try users.user(id: userID) == nil {
            throw ConstraintViolation("an audit line of user #\(userID), who does not exist")
        }
        lines.withLock { $0.append(Line(at: at, userID: userID, action: action, detail: detail)) }
    }

    public func latest(limit: Int) throws -> [AuditEntry] {
        let newest = lines.withLock { Array($0.suffix(max(limit, 0)).reversed()) }
        return try newest.map { line in
            AuditEntry(
                at: line.at, login: try line.userID.flatMap { try users.user(id: $0)?.login }, action: line.action,
                detail: line.detail)
        }
    }
}
