import SalesCore

/// A CRM connection as `saleskpi connect` stored it, and where its sync stands. One per CRM.
public struct StoredConnection: Sendable, Equatable {
    /// `amocrm`, `bitrix24`, `hubspot`, `pipedrive`, `salesforce`.
    public var crm: String
    /// The connector's settings as JSON: base URL, token, webhook secret, stage map. Secrets live here and
    /// nowhere else: no message, page or log shows them.
    public var settings: String
    /// Where the next incremental sync starts, as the connector wrote it; "" before the first.
    public var cursor: String
    public var status: SyncStatus
    public var lastSyncAt: Timestamp?
    /// What went wrong in the last run, in the user's terms (never a secret).
    public var lastError: String?

    public init(
        crm: String, settings: String, cursor: String = "", status: SyncStatus = .never, lastSyncAt: Timestamp? = nil,
        lastError: String? = nil
    ) {
        self.crm = crm
        self.settings = settings
        self.cursor = cursor
        self.status = status
        self.lastSyncAt = lastSyncAt
        self.lastError = lastError
    }
}

public enum SyncStatus: String, Sendable, Codable, CaseIterable {
    /// Set up, not synced yet.
    case never
    case ok
    /// The last run stopped: `lastError` says why (an expired token, the CRM unreachable, a bad record).
    case failed
}

/// One sync run: what it read, stored and changed, and how many API calls it took.
public struct SyncRun: Sendable, Equatable {
    public var crm: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// Records read from the CRM.
    public var fetched: Int
    /// Records new to the store.
    public var stored: Int
    /// Records stored before that the CRM changed since.
    public var changed: Int
    public var requests: Int
    public var status: SyncStatus
    public var message: String?

    public init(
        crm: String, startedAt: Timestamp, finishedAt: Timestamp, fetched: Int, stored: Int, changed: Int,
        requests: Int, status: SyncStatus, message: String? = nil
    ) {
        self.crm = crm
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.fetched = fetched
        self.stored = stored
        self.changed = changed
        self.requests = requests
        self.status = status
        self.message = message
    }
}

/// The store's CRM connections and their sync runs.
public protocol ConnectionStore: Sendable {
    /// Every connection, by CRM name.
    func connections() throws -> [StoredConnection]
    func connection(crm: String) throws -> StoredConnection?
    /// Creates the connection or replaces its settings; a changed connection keeps its cursor and runs.
    func save(crm: String, settings: String) throws
    /// Moves the connection's cursor: called after each page is stored, so that a killed sync resumes there.
    func saveCursor(crm: String, cursor: String) throws
    /// Records a finished run and sets the connection's status, last sync and last error from it.
    func record(_ run: SyncRun) throws
    /// The latest runs of a connection, newest first.
    func runs(crm: String, limit: Int) throws -> [SyncRun]
}

/// A connection the store does not have.
public struct UnknownConnection: Error, Sendable, Equatable {
    public let crm: String
    public init(crm: String) { self.crm = crm }
}
