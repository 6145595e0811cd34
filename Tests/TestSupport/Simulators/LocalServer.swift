import Hummingbird
import Synchronization

/// A simulator's HTTP server on a free loopback port, until stopped.
final class LocalServer: Sendable {
    private let task = Mutex<Task<Void, Error>?>(nil)

    /// Starts serving `router`; returns the port once the server listens.
    func start(_ router: Router<BasicRequestContext>) async throws -> Int {
        let (stream, ready) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.yield(channel.localAddress?.port ?? 0)
                ready.finish()
            })
        task.withLock { $0 = Task { try await app.run() } }
        var port = 0
        for await p in stream { port = p }
        return port
    }

    func stop() { task.withLock { $0?.cancel() } }
}
