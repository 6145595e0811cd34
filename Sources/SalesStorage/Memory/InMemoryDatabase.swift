/// A whole database in memory: the events and every capability of the server's own state, for tests
/// and short-lived runs. The same contracts as SQLite and PostgreSQL.
public final class InMemoryDatabase: InMemoryEventStore, SalesDatabase {
    public let users: any UserDirectory
    public let sessions: any SessionStore
    public let apiTokens: any APITokenStore
    public let audit: any AuditLog
    public let storedResponses: any IdempotencyStore
    public let kpiSystems: any KPISystemHistory
    public let forecastLedger: any ForecastLedgerStore
    public let alertLog: any AlertLog
    public let connections: any ConnectionStore
    public let callModels: any CallModelStore
    public var location: String { "memory" }

    public override init() {
        let directory = InMemoryUserDirectory()
        users = directory
        sessions = directory
        apiTokens = directory
        audit = InMemoryAuditLog(users: directory)
        storedResponses = InMemoryIdempotencyStore(users: directory)
        kpiSystems = InMemoryKPISystemHistory()
        forecastLedger = InMemoryForecastLedger()
        alertLog = InMemoryAlertLog()
        connections = InMemoryConnectionStore()
        callModels = InMemoryCallModelStore()
        super.init()
    }
}

/// A row a database's constraint (foreign key, unique, check) would refuse: the memory stores refuse it too.
public struct ConstraintViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ rule: String) { description = rule }
}
