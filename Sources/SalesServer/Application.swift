import Foundation
import Hummingbird
import Logging
import Prometheus
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage
import ServiceLifecycle

/// How the server runs: from flags and `SALESKPI_*` environment variables (see `saleskpi serve --help`).
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Mark cookies `Secure` (only sent over HTTPS): on behind a TLS proxy, off for a laptop.
    public var secureCookies = false
    public var sessionHours = 12
    public var defaultLanguage: Language = .ru
    public var companyName = "SalesKPI"
    /// bcrypt cost for new passwords.
    public var passwordCost: UInt8 = 12
    /// The day "today" is, for the default period; nil for the real clock (tests fix it).
    public var today: Day?
    /// `info` logs every request; `notice` only start, stop, warnings and errors (for high request rates).
    public var logLevel: Logger.Level = .info
    /// What speech analytics listens for in uploaded transcripts (`--lexicon` extends the standard one).
    public var lexicon: SpeechLexicon = .standard
    /// A connection that sends nothing for this long (between requests, or in the middle of a request's
    /// head or body) is closed: slow or silent clients must not hold descriptors.
    public var idleTimeoutSeconds = 30
    /// Live-update streams per user and in all; by default a quarter of the process's descriptor limit.
    public var maxStreamsPerUser = 8
    public var maxStreams = ServerSettings.streamsForDescriptorLimit()
    /// How often every live stream is written to, which ends the streams of clients that went away.
    public var heartbeatSeconds = 15
    /// How often each CRM connection is synced (a webhook or the admin page's button syncs at once).
    public var syncMinutes = 5
    public init() {}

    /// A quarter of the soft limit on open files (256 of the usual 1 024), at least 16 and at most 4 096.
    public static func streamsForDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
        return Int(min(max(limit.rlim_cur / 4, 16), 4096))
    }
}

/// The server's own state that its handlers use, one store per capability.
public struct ServerStores: Sendable {
    public var users: any UserDirectory
    public var sessions: any SessionStore
    public var apiTokens: any APITokenStore
    public var audit: any AuditLog
    public var storedResponses: any IdempotencyStore
    public var kpiSystems: any KPISystemHistory
    public var connections: any ConnectionStore

    public init(
        users: any UserDirectory, sessions: any SessionStore, apiTokens: any APITokenStore, audit: any AuditLog,
        storedResponses: any IdempotencyStore, kpiSystems: any KPISystemHistory,
        connections: any ConnectionStore = InMemoryConnectionStore()
    ) {
        self.users = users
        self.sessions = sessions
        self.apiTokens = apiTokens
        self.audit = audit
        self.storedResponses = storedResponses
        self.kpiSystems = kpiSystems
        self.connections = connections
    }

    /// The ones kept in this database.
    public init(_ database: some SalesDatabase) {
        self.init(
            users: database.users, sessions: database.sessions, apiTokens: database.apiTokens, audit: database.audit,
            storedResponses: database.storedResponses, kpiSystems: database.kpiSystems,
            connections: database.connections)
    }
}

/// Everything a request handler needs, shared by all of them.
struct AppServices: Sendable {
    let live: LiveEngine
    let stores: ServerStores
    let settings: ServerSettings
    let passwords: PasswordHasher
    let throttle = LoginThrottle()
    let credentials = CredentialCache()
    let responses = ResponseCache()
    let metrics: ServerMetrics
    /// Syncs the store's CRM connections: on schedule, on a webhook, on the admin page's button.
    let scheduler: ConnectorScheduler

    var now: Int64 { Int64(Date().timeIntervalSince1970) }
    var today: Day { settings.today ?? live.calendar.day(of: now) }
    /// The instant forecasts are made at: now, or the end of the day the settings fix (tests).
    var forecastInstant: Timestamp { settings.today.map { live.calendar.start(of: $0 + 1) } ?? now }

    /// An admin's changes to accounts, audited as theirs.
    func administration(by actor: UserAccount) -> AccountAdministration {
        AccountAdministration(stores, passwords: passwords, actor: actor)
    }

    func audit(_ viewer: Viewer?, _ action: String, _ detail: String) {
        try? stores.audit.record(at: now, userID: viewer?.user.id, action: action, detail: detail)
    }
}

/// The router with every route: used by `saleskpi serve` and by the tests (`app.test(.router)`).
public func buildRouter(
    live: LiveEngine, stores: ServerStores, settings: ServerSettings,
    registry: PrometheusCollectorRegistry = ServerMetrics.registry, scheduler: ConnectorScheduler? = nil
) -> Router<AppContext> {
    let metrics = ServerMetrics(registry: registry, live: live)
    let services = AppServices(
        live: live, stores: stores, settings: settings,
        passwords: PasswordHasher(cost: settings.passwordCost), metrics: metrics,
        scheduler: scheduler
            ?? ConnectorScheduler(live: live, connections: stores.connections, logger: Logger(label: "saleskpi.sync")))
    var limits = LiveUpdates.Limits()
    limits.perUser = settings.maxStreamsPerUser
    limits.total = settings.maxStreams
    live.updates.limits = limits
    let router = Router(context: AppContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequests(.info))
    router.add(middleware: SecurityHeaders())
    // Neither takes a lock or touches the store: they answer while every handler thread waits.
    router.get(Route.health.pattern) { _, _ in HealthReport(status: "ok", events: live.eventCount) }
    router.get(Route.metrics.pattern) { _, _ in services.metrics.exposition() }
    router.add(middleware: OffloadMiddleware(executor: .shared))
    router.add(
        middleware: Authentication(
            sessions: stores.sessions, apiTokens: stores.apiTokens, credentials: services.credentials, live: live,
            defaultLanguage: settings.defaultLanguage))
    let groups = RouteGroups(router)
    APIController(services: services).register(on: groups)
    WebController(services: services).register(on: groups)
    AdminController(services: services).register(on: groups)
    HookController(services: services).register(on: groups)
    return router
}

/// The application `saleskpi serve` runs: the router on a socket with idle timeouts, the live streams'
/// heartbeat, and graceful shutdown of both.
public func buildApplication(
    live: LiveEngine, stores: ServerStores, settings: ServerSettings,
    logger: Logger? = nil
) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "saleskpi")
    logger.logLevel = settings.logLevel
    let scheduler = ConnectorScheduler(
        live: live, connections: stores.connections, every: .seconds(Int64(settings.syncMinutes) * 60), logger: logger)
    return Application(
        router: buildRouter(live: live, stores: stores, settings: settings, scheduler: scheduler),
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)))),
        configuration: .init(
            address: .hostname(settings.host, port: settings.port),
            serverName: "SalesKPI"),
        services: [
            LiveHeartbeat(updates: live.updates, every: .seconds(settings.heartbeatSeconds)),
            ConnectorService(scheduler: scheduler),
        ]
            + (live.sharesItsStore ? [StoreFollower(live: live)] : []),
        logger: logger)
}

/// Keeps the engine in step with the other instances serving the same PostgreSQL store, until shutdown.
struct StoreFollower: Service {
    let live: LiveEngine

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await live.followOthers() }
    }
}

/// Writes to every live stream every `every`, until the server shuts down.
struct LiveHeartbeat: Service {
    let updates: LiveUpdates
    let every: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: every)
                updates.beat()
            }
        }
    }
}

struct HealthReport: ResponseEncodable {
    var status: String
    var events: Int
}
