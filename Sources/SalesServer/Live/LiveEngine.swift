import Foundation
import SalesCore
import SalesImport
import SalesSpeech
import SalesStorage
import Synchronization

/// The store and the engine built from it, behind one lock: every request reads a consistent engine,
/// and an ingest stores its events and applies them before the next read. Reads take microseconds
/// to a few milliseconds (a department scorecard), so one lock serves both.
///
/// The KPI system in force (its own lock, so that it can be read inside `read`): the admin page replaces it.
///
/// `@unchecked Sendable`: the store, the engine and the version are touched only while `lock` is held,
/// the KPI system only while `systemLock` is.
public final class LiveEngine: @unchecked Sendable {
    private let lock = NSLock()
    private let store: any EventStore
    private var engine: SalesEngine
    /// Every deal's timeline, for predictions; kept in step with the engine.
    private var history: DealHistory
    /// The store's revision the engine was built at: a record replaced since means a rebuild.
    private var revision: Int64
    /// The forecaster pages and the API read, moved to each request's instant; retrained (model and
    /// what its forecasts learnt) at most every `retrainSeconds`, since training reads every closed deal.
    private var forecaster: SalesForecaster?
    public var retrainSeconds: Timestamp = 600
    private var currentVersion = 0
    private let systemLock = NSLock()
    private var inForce: (system: KPISystem, catalog: KPICatalog, yaml: String)
    /// Built once: a calendar reads the zone's transitions from ICU, too slow for every request.
    public let calendar: CompanyCalendar
    public let updates = LiveUpdates()
    /// The engine's event count, readable without the lock: `/health` must answer while a long read holds it.
    private let events = Atomic<Int>(0)
    public var eventCount: Int { events.load(ordering: .relaxed) }

    /// Serves `store`, with `engine` if the caller has just built it from the store (it then belongs to this object).
    /// `yaml` is the text `system` was read from, which the admin page edits.
    public init(store: any EventStore, system: KPISystem, yaml: String = "", engine: SalesEngine? = nil) throws {
        inForce = (system, try system.catalog(), yaml)
        calendar = system.calendar
        self.store = store
        revision = try store.revision()
        if let engine {
            self.engine = engine
            history = try store.makeDealHistory()
        } else {
            (self.engine, history) = try store.makeEngineAndHistory(calendar: calendar)
        }
        // Other instances' events, handed over under `lock` (by `catchUp`, or at the start of a write here).
        (store as? SharedEventStore)?.follow { [unowned self] event in
            self.engine.apply(event)
            self.history.apply(event)
            self.othersApplied += 1
        }
        events.store(self.engine.eventCount, ordering: .relaxed)
    }

    /// Events of other instances applied since the version last moved.
    private var othersApplied = 0

    /// Whether other processes write to the store too (PostgreSQL behind several instances).
    public var sharesItsStore: Bool { store is SharedEventStore }

    /// Until cancelled, applies other instances' writes as their notifications arrive; returns at once for a
    /// store only this process writes. `StoreFollower` runs it in the application's service group.
    public func followOthers() async {
        guard let shared = store as? SharedEventStore else { return }
        await shared.listen { [weak self] in try? self?.catchUp() }
    }

    /// Applies what other instances have written since the last hand-over (a no-op for a store only this
    /// process writes) and tells live pages if the numbers changed. `followOthers` calls it on each notification.
    public func catchUp() throws {
        guard let shared = store as? SharedEventStore else { return }
        let version = try lock.withLock { () -> Int? in
            _ = try shared.catchUp()
            return bumpVersion(stored: try rebuildIfReplaced() ? 1 : 0)
        }
        if let version { updates.publish(version) }
    }

    /// Rebuilds the engine and the timelines from the store if a record was replaced since they were built
    /// (under `lock`): what its old version added cannot be taken back event by event.
    private func rebuildIfReplaced() throws -> Bool {
        let now = try store.revision()
        guard now != revision else { return false }
        (engine, history) = try store.makeEngineAndHistory(calendar: calendar)
        revision = now
        forecaster = nil
        return true
    }

    /// Moves the version if this change, or others' events applied meanwhile, changed the numbers
    /// (under `lock`); returns the new version to publish, if any.
    private func bumpVersion(stored: Int) -> Int? {
        guard stored > 0 || othersApplied > 0 else { return nil }
        history.finish()
        othersApplied = 0
        events.store(engine.eventCount, ordering: .relaxed)
        currentVersion += 1
        return currentVersion
    }

    public var system: KPISystem { systemLock.withLock { inForce.system } }
    public var catalog: KPICatalog { systemLock.withLock { inForce.catalog } }
    public var systemYAML: String { systemLock.withLock { inForce.yaml } }

    /// Puts a new KPI system in force and tells open pages. The engine's day cells are cut in the
    /// company's time zone, so a new zone needs a restart (which rebuilds them): refused here.
    public func replaceSystem(_ new: KPISystem, yaml: String) throws {
        let catalog = try new.catalog()
        try systemLock.withLock {
            guard new.timeZone == inForce.system.timeZone else {
                throw TimeZoneChange(from: inForce.system.timeZone, to: new.timeZone)
            }
            inForce = (new, catalog, yaml)
        }
        let version = lock.withLock {
            currentVersion += 1
            return currentVersion
        }
        updates.publish(version)
    }

    public struct TimeZoneChange: Error, Sendable { public let from: String, to: String }

    /// Runs `body` on the engine under the lock. `body` must not keep the engine.
    public func read<T>(_ body: (SalesEngine) throws -> T) rethrows -> T {
        try lock.withLock { try body(engine) }
    }

    /// Runs `body` on the engine and the store under the lock, for lists that need stored details.
    func readWithStore<T>(_ body: (SalesEngine, any EventStore) throws -> T) rethrows -> T {
        try lock.withLock { try body(engine, store) }
    }

    /// Runs `body` with the engine, the store and a forecaster as of `now`.
    func readInsights<T>(now: Timestamp, _ body: (SalesEngine, any EventStore, SalesForecaster) throws -> T) rethrows
        -> T
    {
        try lock.withLock {
            let current: SalesForecaster
            if let f = forecaster, now - f.trainedAt < retrainSeconds, now >= f.trainedAt {
                current = f
            } else {
                current = SalesForecaster(engine: engine, history: history, asOf: now)
                forecaster = current
            }
            current.asOf = now
            return try body(engine, store, current)
        }
    }

    /// How many ingests have changed the numbers: a page carries it so that a live update can be awaited.
    public var version: Int { lock.withLock { currentVersion } }

    /// Stores records through the importer (all-or-nothing unless `skipInvalid`, duplicates ignored),
    /// applies what was stored to the engine and tells live pages. With `dryRun` nothing is kept: the
    /// report says what would be.
    public func ingest(
        source: String, skipInvalid: Bool, dryRun: Bool = false, _ run: (Importer) throws -> ImportReport
    ) throws -> ImportReport {
        let (report, version) = try lock.withLock { () -> (ImportReport, Int?) in
            let importer = Importer(store: store, source: source, calendar: calendar)
            importer.conversion = CurrencyConversion(company: system.currency)
            importer.skipInvalid = skipInvalid
            importer.dryRun = dryRun
            importer.keepStored = !dryRun
            var report = try run(importer)
            // A rebuild reads what was just stored too.
            let rebuilt = try rebuildIfReplaced()
            for event in report.stored where !rebuilt {
                engine.apply(event)
                history.apply(event)
            }
            let version = bumpVersion(stored: report.stored.count + report.totalUpdated)
            report.stored = []
            return (report, version)
        }
        if let version { updates.publish(version) }
        return report
    }

    /// Stores a batch of records read elsewhere (the API's JSON), as `ingest`.
    public func ingest(source: String, skipInvalid: Bool, items: [Importer.Item]) throws -> ImportReport {
        try ingest(source: source, skipInvalid: skipInvalid) { importer in
            try importer.run { emit in for item in items { try emit(item) } }
        }
    }

    /// The analyzer of the last lexicon calls were sent with (under `lock`).
    private var callAnalyzer: CallAnalyzer?
    /// What recognises objections, stages and next steps: the company's model (`saleskpi calls retrain`) if
    /// the store has one, else the shipped one; nil, the lexicon alone.
    private var model: CallModel? = CallModel.standard
    public var callModel: CallModel? {
        get { lock.withLock { model } }
        set {
            lock.withLock {
                model = newValue
                callAnalyzer = nil
            }
        }
    }

    /// Binding the model to a lexicon's words takes a moment: done once per lexicon (under `lock`).
    private func analyzer(_ lexicon: SpeechLexicon) -> CallAnalyzer {
        if let a = callAnalyzer, a.lexicon == lexicon { return a }
        let a = CallAnalyzer(lexicon: lexicon, model: model)
        callAnalyzer = a
        return a
    }

    /// Applies a head's or an admin's correction to an analysed call (`CallReview`): stored with the call's
    /// new numbers, which the KPIs show at once; nil if no analysed call has this id.
    public func correctCall(
        evaluationID id: Int64, _ correction: CallCorrection, by userID: Int64?, at now: Timestamp,
        lexicon: SpeechLexicon
    ) throws -> CallReview.Outcome? {
        let (outcome, version) = try lock.withLock { () -> (CallReview.Outcome?, Int?) in
            let review = CallReview(store: store, analyzer: analyzer(lexicon))
            guard let outcome = try review.correct(evaluationID: id, correction, by: userID, at: now) else {
                return (nil, nil)
            }
            // The correction moved the revision by one: applied here as it is, without a rebuild.
            if try store.revision() == revision + 1 {
                revision += 1
                engine.replace(outcome.before, with: outcome.after)
            } else {
                _ = try rebuildIfReplaced()
            }
            return (outcome, bumpVersion(stored: 1))
        }
        if let version { updates.publish(version) }
        return outcome
    }

    /// Analyses call transcripts and stores them (`CallImporter`: all or nothing unless `skipInvalid`,
    /// a call never twice), applies the speech evaluations to the engine and tells live pages.
    public func ingestCalls(source: String, skipInvalid: Bool, lexicon: SpeechLexicon, _ inputs: [CallImporter.Input])
        throws -> CallImporter.Report
    {
        let (report, version) = try lock.withLock { () -> (CallImporter.Report, Int?) in
            let importer = CallImporter(store: store, source: source, analyzer: analyzer(lexicon))
            importer.skipInvalid = skipInvalid
            let report = try importer.run(inputs)
            for event in report.stored { engine.apply(event) }
            return (report, bumpVersion(stored: report.stored.count))
        }
        if let version { updates.publish(version) }
        return report
    }

    /// The source a rep's or team's record came from, for records that refer to it.
    func source(of kind: EventKind, id: Int64) throws -> String? {
        try lock.withLock { try store.source(of: kind, id: id) }
    }
}
