import SalesCore
import Synchronization

/// The company's call models in memory.
public final class InMemoryCallModelStore: CallModelStore, Sendable {
    private let models = Mutex<[StoredCallModel]>([])

    public init() {}

    public func latest() throws -> StoredCallModel? { models.withLock { $0.last } }

    public func save(_ model: StoredCallModel) throws { models.withLock { $0.append(model) } }
}
