import Foundation
import Logging
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage
import ServiceLifecycle

/// Keeps the store in step with its CRM connections while `serve` runs: each connection synced every `every`,
/// fully once a night (healing missed webhooks), and at once when a webhook or the admin page asks. Records go
/// through the live engine, so open dashboards move with them. One sync per CRM at a time: a request while one
/// runs makes it run once more afterwards, however many requests came.
public actor ConnectorScheduler {
    let live: LiveEngine
    let connections: any ConnectionStore
    let every: Duration
    let logger: Logger
    private var running: [String: Task<Void, Never>] = [:]
    private var again: Set<String> = []
    private var lastFull: [String: Day] = [:]

    public init(live: LiveEngine, connections: any ConnectionStore, every: Duration = .seconds(300), logger: Logger) {
        self.live = live
        self.connections = connections
        self.every = every
        self.logger = logger
    }

    /// Asks for a sync of `crm` soon; returns at once.
    public func request(_ crm: String, full: Bool = false) {
        if running[crm] != nil {
            again.insert(crm)
            return
        }
        running[crm] = Task { await self.loop(crm, full: full) }
    }

    /// Waits until no sync of `crm` runs or is asked for.
    public func idle(_ crm: String) async {
        while let task = running[crm] { await task.value }
    }

    private func loop(_ crm: String, full: Bool) async {
        var full = full
        repeat {
            again.remove(crm)
            await sync(crm, full: full)
            full = false
        } while again.contains(crm)
        running[crm] = nil
    }

    /// One run; its outcome is recorded on the connection (the admin page shows it), and logged without secrets.
    private func sync(_ crm: String, full: Bool) async {
        do {
            guard let stored = try connections.connection(crm: crm) else { return }
            let settings = try ConnectionSettings.decode(stored.settings)
            let calendar = live.calendar
            let connector = try Connectors.make(
                crm: crm, settings: settings, conversion: CurrencyConversion(company: live.system.currency),
                calendar: calendar)
            let live = self.live
            let runner = SyncRunner(connections: connections) { page, source in
                try live.ingest(source: source, skipInvalid: page.skipsUnknownReferences) { importer in
                    try page.store(through: importer)
                }
            }
            let run = try await runner.run(connector, full: full)
            logger.info("synced \(crm): \(run.fetched) read, \(run.stored) new, \(run.changed) changed")
        } catch let failure as SyncFailure {
            logger.warning("sync of \(crm) failed: \(failure.run.message ?? "")")
        } catch {
            logger.warning("sync of \(crm) could not start: \(error)")
        }
    }

    /// Until cancelled: every connection every `every`, and fully the first time each night after 02:00 (company
    /// time) from the day after `serve` started.
    public func schedule() async {
        while !Task.isCancelled {
            let now = Timestamp(Date().timeIntervalSince1970)
            let today = live.calendar.day(of: now)
            let night = now - live.calendar.start(of: today) >= 2 * 3_600
            for c in (try? connections.connections()) ?? [] {
                let nightly = night && lastFull[c.crm].map { $0 < today } ?? false
                if nightly || lastFull[c.crm] == nil { lastFull[c.crm] = today }
                request(c.crm, full: nightly)
            }
            try? await Task.sleep(for: every)
        }
    }
}

/// The scheduler in `serve`'s service group, until graceful shutdown.
public struct ConnectorService: Service {
    let scheduler: ConnectorScheduler
    public init(scheduler: ConnectorScheduler) { self.scheduler = scheduler }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { await scheduler.schedule() }
    }
}
