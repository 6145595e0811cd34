import SalesCore
import Synchronization

/// Sent alerts in memory, by key.
public final class InMemoryAlertLog: AlertLog, Sendable {
    private let sent = Mutex<Set<String>>([])

    public init() {}

    public func wasSent(key: String) throws -> Bool {
        sent.withLock { $0.contains(key) }
    }

    public func markSent(key: String, at: Timestamp) throws {
        _ = sent.withLock { $0.insert(key) }
    }
}
