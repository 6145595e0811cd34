import SalesConnectors

/// A connector that stops after `after` pages, as a killed process would (the pages before it stored).
struct Stopping: CRMConnector {
    let inner: any CRMConnector
    let after: Int
    var crm: String { inner.crm }
    var requests: Int { inner.requests }
    struct Killed: Error {}

    func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws {
        var n = 0
        try await inner.pull(from: cursor) { p in
            if n == after { throw Killed() }
            n += 1
            try await page(p)
        }
    }
}
