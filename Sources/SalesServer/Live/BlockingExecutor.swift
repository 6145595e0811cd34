import Foundation
import Hummingbird

/// Threads of their own for the request handlers, which block: on the engine's lock, on SQLite, on
/// bcrypt. On the cooperative pool (one thread per core) two slow requests would stop every other
/// task of the process, `/health` and the socket's own I/O included.
///
/// One per process (`shared`), like the cooperative pool: its threads live as long as the process.
final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BlockingExecutor(threads: 16)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    private init(threads: Int) {
        for i in 0..<max(1, threads) {
            let thread = Thread { self.work() }
            thread.name = "saleskpi-request-\(i)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func work() {
        while true {
            let job = condition.withLock { () -> UnownedJob in
                while head == jobs.count { condition.wait() }
                let job = jobs[head]
                head += 1
                // Jobs already taken are dropped once they are half the queue: under steady load it may
                // never drain, and must not grow for the process's life.
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                } else if head >= 1_024, head * 2 >= jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                return job
            }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs the rest of the chain (authentication and handlers) on `executor`.
struct OffloadMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let executor: BlockingExecutor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try await withTaskExecutorPreference(executor) { try await next(request, context) }
    }
}
