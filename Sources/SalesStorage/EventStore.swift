import SalesCore

/// What happened to one event given to a store.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored under this id; the event passed in now carries the id and its resolved references.
    case inserted(Int64)
    /// Already stored from the same source with the same external id: ignored (idempotency).
    case duplicate
    /// A reference names nothing stored from this source: not stored.
    case unresolved([UnresolvedReference])
}

/// Appends events inside one atomic write.
public protocol EventWriter {
    func append(_ event: inout SalesEvent) throws -> AppendOutcome
}

/// The append-only store of canonical events: the source of truth the engine is rebuilt from.
///
/// Events are idempotent by `(source, external id)`. `write` is all-or-nothing: if its body throws,
/// nothing it appended remains, and a crash mid-write leaves the store as it was before.
public protocol EventStore: AnyObject {
    func write<T>(source: String, _ body: (EventWriter) throws -> T) throws -> T
    /// Every stored event, referenced kinds first (teams, reps, accounts, …), each kind in id order.
    func replay(_ body: (SalesEvent) throws -> Void) throws
    func count() throws -> [EventKind: Int]
    /// The source a stored record came from: new records that refer to it must come from the same one.
    func source(of kind: EventKind, id: Int64) throws -> String?
    /// What a drill-down list shows of these deals (the engine knows their stage and close).
    func dealDetails(ids: [Int64]) throws -> [Int64: DealDetails]
    /// Activities of these reps in `[from, to)`, newest first, at most `limit`.
    func activities(reps: [Int64], from: Timestamp, to: Timestamp, type: ActivityType?, limit: Int) throws -> [ActivitySummary]
}

/// A deal's descriptive fields for lists.
public struct DealDetails: Sendable, Hashable {
    public var externalID: String
    public var account: String
    public var amount: Money
    public var product: String?
    public var kind: DealKind
    public var createdAt: Timestamp
    public init(externalID: String, account: String, amount: Money, product: String?, kind: DealKind, createdAt: Timestamp) {
        self.externalID = externalID; self.account = account; self.amount = amount; self.product = product; self.kind = kind; self.createdAt = createdAt
    }
}

/// An activity as a list shows it.
public struct ActivitySummary: Sendable, Hashable {
    public var externalID: String
    public var rep: Int64
    public var type: ActivityType
    public var at: Timestamp
    public var durationSeconds: Int32
    public var outcome: String?
    public var account: String?
}

extension EventStore {
    /// Builds an engine from every stored event.
    public func makeEngine(calendar: CompanyCalendar = CompanyCalendar()) throws -> SalesEngine {
        let engine = SalesEngine(calendar: calendar)
        try replay { engine.apply($0) }
        return engine
    }

    /// Builds the engine and every deal's timeline (for predictions) in one pass over the store.
    public func makeEngineAndHistory(calendar: CompanyCalendar = CompanyCalendar()) throws -> (SalesEngine, DealHistory) {
        let engine = SalesEngine(calendar: calendar), history = DealHistory()
        try replay { engine.apply($0); history.apply($0) }
        history.finish()
        return (engine, history)
    }

    /// Appends a batch atomically; unresolved references abort it unless `skipInvalid`.
    /// Returns the events newly stored, ready for `SalesEngine.apply`.
    @discardableResult
    public func append(_ events: [SalesEvent], source: String) throws -> [SalesEvent] {
        try write(source: source) { writer in
            var stored: [SalesEvent] = []
            for var e in events {
                switch try writer.append(&e) {
                case .inserted: stored.append(e)
                case .duplicate: continue
                case .unresolved(let refs): throw StoreError.unresolved(e.kind, e.externalID, refs)
                }
            }
            return stored
        }
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible {
    case unresolved(EventKind, String, [UnresolvedReference])
    case schema(String)
    case newerSchema(found: Int, known: Int)

    public var description: String {
        switch self {
        case .unresolved(let kind, let id, let refs):
            "\(kind.rawValue) '\(id)': " + refs.map { "\($0.field) '\($0.external)' is not a known \($0.kind.rawValue)" }.joined(separator: "; ")
        case .schema(let m): m
        case .newerSchema(let found, let known):
            "the store was written by a newer SalesKPI (schema \(found), this one knows up to \(known)): upgrade SalesKPI"
        }
    }
}
