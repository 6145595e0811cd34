import Foundation
import SalesCore
import SalesImport
import SalesStorage

/// The store and the engine built from it, behind one lock: every request reads a consistent engine,
/// and an ingest stores its events and applies them before the next read. Reads take microseconds
/// to a few milliseconds (a department scorecard), so one lock serves both.
///
/// `@unchecked Sendable`: the store, the engine and the version are touched only while `lock` is held.
public final class LiveEngine: @unchecked Sendable {
    private let lock = NSLock()
    private let store: any EventStore
    private let engine: SalesEngine
    private var currentVersion = 0
    public let system: KPISystem
    public let catalog: KPICatalog
    public let updates = LiveUpdates()

    /// Serves `store`, with `engine` if the caller has just built it from the store (it then belongs to this object).
    public init(store: any EventStore, system: KPISystem, engine: SalesEngine? = nil) throws {
        catalog = try system.catalog()
        self.system = system
        self.store = store
        self.engine = try engine ?? store.makeEngine(calendar: system.calendar)
    }

    public var calendar: CompanyCalendar { system.calendar }

    /// Runs `body` on the engine under the lock. `body` must not keep the engine.
    public func read<T>(_ body: (SalesEngine) throws -> T) rethrows -> T {
        try lock.withLock { try body(engine) }
    }

    /// Runs `body` on the engine and the store under the lock, for lists that need stored details.
    func read<T>(_ body: (SalesEngine, any EventStore) throws -> T) rethrows -> T {
        try lock.withLock { try body(engine, store) }
    }

    /// How many ingests have changed the numbers: a page carries it so that a live update can be awaited.
    public var version: Int { lock.withLock { currentVersion } }

    /// Stores a batch through the importer (all-or-nothing unless `skipInvalid`, duplicates ignored),
    /// applies what was stored to the engine and tells live pages.
    public func ingest(source: String, skipInvalid: Bool, _ produce: (_ emit: (Importer.Item) throws -> Void) throws -> Void) throws -> ImportReport {
        let (report, version) = try lock.withLock { () -> (ImportReport, Int) in
            let importer = Importer(store: store, source: source, calendar: system.calendar)
            importer.skipInvalid = skipInvalid
            importer.keepStored = true
            var report = try importer.run(produce)
            for event in report.stored { engine.apply(event) }
            if !report.stored.isEmpty { currentVersion += 1 }
            report.stored = []
            return (report, currentVersion)
        }
        if report.totalInserted > 0 { updates.publish(version) }
        return report
    }
}
