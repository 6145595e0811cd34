import SalesCore
import Synchronization

/// Saved KPI systems in memory, oldest first.
public final class InMemoryKPISystemHistory: KPISystemHistory, Sendable {
    private let versions = Mutex<[String]>([])

    public init() {}

    public func save(yaml: String, userID: Int64?, at: Timestamp) throws {
        guard !yaml.isEmpty else { throw ConstraintViolation("an empty KPI system") }
        versions.withLock { $0.append(yaml) }
    }

    public func latest() throws -> String? {
        versions.withLock { $0.last }
    }
}
