import Synchronization

/// Tells every open dashboard that the numbers changed (server-sent events). Each listener gets
/// the newest version only: a slow page skips intermediate versions instead of queueing them.
public final class LiveUpdates: Sendable {
    private let listeners = Mutex<[Int: AsyncStream<Int>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func publish(_ version: Int) {
        listeners.withLock { for c in $0.values { c.yield(version) } }
    }

    /// A stream of versions until the caller stops listening.
    public func subscribe() -> AsyncStream<Int> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in self?.listeners.withLock { _ = $0.removeValue(forKey: id) } }
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    public var listenerCount: Int { listeners.withLock { $0.count } }
}
