import SalesCore
import Synchronization

/// CRM connections and their runs in memory.
public final class InMemoryConnectionStore: ConnectionStore, Sendable {
    private let state = Mutex<(connections: [String: StoredConnection], runs: [SyncRun])>(([:], []))

    public init() {}

    public func connections() throws -> [StoredConnection] {
        state.withLock { $0.connections.values.sorted { $0.crm < $1.crm } }
    }

    public func connection(crm: String) throws -> StoredConnection? { state.withLock { $0.connections[crm] } }

    public func save(crm: String, settings: String) throws {
        state.withLock { s in
            var c = s.connections[crm] ?? StoredConnection(crm: crm, settings: settings)
            c.settings = settings
            s.connections[crm] = c
        }
    }

    public func saveCursor(crm: String, cursor: String) throws {
        try state.withLock { s in
            guard s.connections[crm] != nil else { throw UnknownConnection(crm: crm) }
            s.connections[crm]!.cursor = cursor
        }
    }

    public func record(_ run: SyncRun) throws {
        try state.withLock { s in
            guard var c = s.connections[run.crm] else { throw UnknownConnection(crm: run.crm) }
            c.status = run.status
            c.lastSyncAt = run.finishedAt
            c.lastError = run.status == .failed ? run.message : nil
            s.connections[run.crm] = c
            s.runs.append(run)
        }
    }

    public func runs(crm: String, limit: Int) throws -> [SyncRun] {
        state.withLock { Array($0.runs.filter { $0.crm == crm }.reversed().prefix(limit)) }
    }
}
