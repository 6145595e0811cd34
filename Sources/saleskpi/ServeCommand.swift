import ArgumentParser
import Foundation
import Hummingbird
import SalesCore
import SalesPostgres
import SalesServer
import SalesSpeech
import SalesStorage

/// Flags shared by `serve` and `demo`, with defaults from `SALESKPI_*` environment variables.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (SALESKPI_HOST). 0.0.0.0 opens it to the network.")
    var host = ProcessInfo.processInfo.environment["SALESKPI_HOST"] ?? "127.0.0.1"
    @Option(help: "Port (SALESKPI_PORT).")
    var port = Int(ProcessInfo.processInfo.environment["SALESKPI_PORT"] ?? "") ?? 8080
    @Flag(help: "Send session cookies over HTTPS only (SALESKPI_SECURE_COOKIES=1): use behind a TLS proxy.")
    var secureCookies = ProcessInfo.processInfo.environment["SALESKPI_SECURE_COOKIES"] == "1"
    @Option(help: "The company's name on the dashboard (SALESKPI_COMPANY).")
    var company = ProcessInfo.processInfo.environment["SALESKPI_COMPANY"] ?? "SalesKPI"

    @Option(
        help: "Log level (SALESKPI_LOG_LEVEL): info logs every request; notice only start, stop, warnings and errors.")
    var logLevel = ProcessInfo.processInfo.environment["SALESKPI_LOG_LEVEL"] ?? "info"

    @Option(
        help: """
            A YAML file that extends the speech-analytics phrase lists for transcripts sent to the API and for the \
            call pages (docs/speech.md; SALESKPI_LEXICON).
            """
    )
    var lexicon = ProcessInfo.processInfo.environment["SALESKPI_LEXICON"]

    @Option(
        help: ArgumentHelp(
            "Seconds a connection may send nothing, between requests or within one, before it is "
                + "closed (SALESKPI_IDLE_TIMEOUT)."))
    var idleTimeout = Int(ProcessInfo.processInfo.environment["SALESKPI_IDLE_TIMEOUT"] ?? "") ?? 30
    @Option(
        help: ArgumentHelp(
            "Live-update streams in all (SALESKPI_MAX_STREAMS; default: a quarter of the open-file "
                + "limit, now \(ServerSettings.streamsForDescriptorLimit()))."))
    var maxStreams =
        Int(ProcessInfo.processInfo.environment["SALESKPI_MAX_STREAMS"] ?? "")
        ?? ServerSettings.streamsForDescriptorLimit()
    @Option(help: "Live-update streams per user (SALESKPI_MAX_STREAMS_PER_USER).")
    var maxStreamsPerUser = Int(ProcessInfo.processInfo.environment["SALESKPI_MAX_STREAMS_PER_USER"] ?? "") ?? 8
    @Option(help: "Seconds between heartbeats on live streams: how soon a closed page frees its stream.")
    var heartbeat = 15
    @Option(
        help: ArgumentHelp(
            "Minutes between syncs of each CRM connection (saleskpi connect); a webhook syncs at once, and each "
                + "connection is read fully once a night."))
    var syncMinutes = 5

    func validate() throws {
        guard idleTimeout > 0, maxStreams > 0, maxStreamsPerUser > 0, heartbeat > 0, syncMinutes > 0 else {
            throw ValidationError(
                "--idle-timeout, --max-streams, --max-streams-per-user, --heartbeat and --sync-minutes must be positive"
            )
        }
    }

    func settings(language: Language) throws -> ServerSettings {
        var s = ServerSettings()
        s.idleTimeoutSeconds = idleTimeout
        s.maxStreams = maxStreams
        s.maxStreamsPerUser = maxStreamsPerUser
        s.heartbeatSeconds = heartbeat
        s.syncMinutes = syncMinutes
        if let lexicon { s.lexicon = try SpeechOptions.load(lexicon, language) }
        s.logLevel = .init(rawValue: logLevel) ?? .info
        s.host = host
        s.port = port
        s.secureCookies = secureCookies
        s.companyName = company
        s.defaultLanguage = language
        return s
    }

    /// Builds the engine from the store and serves until SIGINT or SIGTERM, then shuts down gracefully.
    /// On PostgreSQL, other instances may write too: the application's `StoreFollower` service applies their
    /// events as LISTEN/NOTIFY announces them, with a catch-up by sequence number.
    func serve(
        store: any SalesDatabase, system: KPISystem, yaml: String, engine: SalesEngine? = nil, language: Language,
        banner: String
    ) async throws {
        ServerMetrics.bootstrap()
        let live = try LiveEngine(store: store, system: system, yaml: yaml, engine: engine)
        if let company = try store.callModels.latest() {
            live.callModel = try CallModel(json: Data(company.model.utf8))
        }
        let app = buildApplication(
            live: live, stores: ServerStores(store), settings: try settings(language: language))
        try (store as? PostgresEventStore)?.setReportingTimeZone(system.timeZone)
        print(banner)
        fflush(nil)  // flush stdout: shown before the server's own log lines, also when piped
        try await app.runService()
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboards and the JSON API over a store.",
        discussion: """
            saleskpi user add --db sales.sqlite --login anna --role admin      first, an admin (asks for the password)
            saleskpi serve --db sales.sqlite --port 8080                        then open http://127.0.0.1:8080
            Reps see their own scorecard, funnel and activity; heads their team; admins everything and the \
            admin page. Events posted to /api/v1/events update open dashboards within a second. \
            /health and /metrics (Prometheus) are for operations; the API is described at /api/v1/openapi.yaml. \
            Several instances can serve one PostgreSQL store (--postgres-url) and stay in step (docs/scaling.md). \
            Flags default from SALESKPI_DB, SALESKPI_POSTGRES_URL, SALESKPI_HOST, SALESKPI_PORT, SALESKPI_COMPANY, \
            SALESKPI_SECURE_COOKIES.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var server: ServerOptions
    @OptionGroup var language: LanguageOption

    func run() async throws {
        let lang = language.language
        let db = try store.open()
        let (system, yaml) = try reportFailures(lang) { try configOption.load(store: db) }
        if try db.users.all().isEmpty {
            printError(
                lang.message("cli.serve.no_users", ["location": "\(store.location)"]))
        }
        // A SQLite store's engine from its snapshot plus the events after it: ready in a fraction of a replay.
        let engine = try snapshotEngine(db, calendar: system.calendar)
        try await server.serve(
            store: db, system: system, yaml: yaml, engine: engine, language: lang,
            banner: lang.message("cli.serve.banner", ["host": "\(server.host)", "port": "\(server.port)"]))
    }
}
