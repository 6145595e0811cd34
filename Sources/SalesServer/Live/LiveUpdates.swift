import Synchronization

/// Tells every open dashboard that the numbers changed (server-sent events). Each listener gets
/// the newest version only: a slow page skips intermediate versions instead of queueing them.
///
/// Every stream holds a connection and a file descriptor, so they are limited per user and in all;
/// and a heartbeat (`beat`) writes to each stream, which is how a client that went away is noticed.
public final class LiveUpdates: Sendable {
    public struct Limits: Sendable {
        /// Streams one user may hold: a browser keeps at most six connections to a server anyway.
        public var perUser = 8
        /// Streams in all; the rest of the server needs descriptors too (see `ServerSettings.maxStreams`).
        public var total = 256
        public init() {}
    }

    /// Why a stream was not opened.
    public enum Refusal: Error, Sendable, Equatable {
        case tooManyForUser(limit: Int)
        case serverFull(limit: Int)
    }

    private struct Listener {
        var userID: Int64
        var continuation: AsyncStream<Int>.Continuation
    }

    private struct State {
        var listeners: [Int: Listener] = [:]
        var nextID = 0
        var latest = 0
        var limits = Limits()
    }

    private let state = Mutex(State())

    public init() {}

    /// The limits in force; `serve` sets them from its settings.
    public var limits: Limits {
        get { state.withLock { $0.limits } }
        set { state.withLock { $0.limits = newValue } }
    }

    public func publish(_ version: Int) {
        state.withLock { s in
            s.latest = max(s.latest, version)
            for l in s.listeners.values { l.continuation.yield(version) }
        }
    }

    /// Sends the latest version again to every stream: a stream that already has it writes a comment
    /// line, and a write to a closed connection fails and ends the stream, which frees its place.
    public func beat() {
        state.withLock { s in
            for l in s.listeners.values { l.continuation.yield(s.latest) }
        }
    }

    /// A stream of versions for `userID` until the caller stops listening, or why there is none.
    public func subscribe(userID: Int64) throws(Refusal) -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let id = try state.withLock { s throws(Refusal) -> Int in
            guard s.listeners.count < s.limits.total else { throw .serverFull(limit: s.limits.total) }
            let mine = s.listeners.values.count { $0.userID == userID }
            guard mine < s.limits.perUser else { throw .tooManyForUser(limit: s.limits.perUser) }
            s.nextID += 1
            s.listeners[s.nextID] = Listener(userID: userID, continuation: continuation)
            return s.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    public var listenerCount: Int { state.withLock { $0.listeners.count } }
}
