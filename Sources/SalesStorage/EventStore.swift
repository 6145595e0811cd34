import SalesCore

/// What happened to one event given to a store.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored under this id; the event passed in now carries the id and its resolved references.
    case inserted(Int64)
    /// Already stored from the same source with the same external id: ignored (idempotency).
    case duplicate
    /// A record (`EventKind.isUpdatable`) already stored, re-sent with other values: the stored one now has
    /// them, under the same id, and the store's `revision` moved.
    case updated(Int64)
    /// A reference names nothing stored from this source: not stored.
    case unresolved([UnresolvedReference])
}

/// Appends events inside one atomic write.
public protocol EventWriter {
    func append(_ event: inout SalesEvent) throws -> AppendOutcome
    /// Appends events in order, with the outcome of each, as if one by one: a later event may refer
    /// to an earlier one. A store with a network round trip per statement sends a batch as one.
    func append(batch events: inout [SalesEvent]) throws -> [AppendOutcome]
    /// Keeps a call's transcript and analysis beside its speech evaluation, appended in this write.
    func attach(_ transcript: CallTranscriptRecord, toEvaluation id: Int64) throws
    /// Gives a stored speech evaluation (`e.id`) the numbers a reviewer's correction led to, keeps the corrected
    /// analysis beside its transcript and the correction itself; the store's revision moves, as for a replaced
    /// record.
    func correct(_ e: Evaluation, analysis: String, by correction: CallCorrectionRecord) throws
}

extension EventWriter {
    /// One at a time: right for an embedded store, where a statement costs no round trip.
    public func append(batch events: inout [SalesEvent]) throws -> [AppendOutcome] {
        try events.indices.map { try append(&events[$0]) }
    }
}

/// The append-only store of canonical events: the source of truth the engine is rebuilt from.
///
/// Events are idempotent by `(source, external id)`. `write` is all-or-nothing: if its body throws,
/// nothing it appended remains, and a crash mid-write leaves the store as it was before.
public protocol EventStore: AnyObject {
    func write<T>(source: String, _ body: (EventWriter) throws -> T) throws -> T
    /// A write of about `expected` records: a store may prepare for a large one (see SQLite's).
    func write<T>(source: String, expected: Int, _ body: (EventWriter) throws -> T) throws -> T
    /// Every stored event, referenced kinds first (teams, reps, accounts, …), each kind in id order.
    func replay(_ body: (SalesEvent) throws -> Void) throws
    /// The stored events of these kinds, in replay order; of the activities, only those on a deal when
    /// `activitiesOnDeals` (most are not, and a deal's timeline wants no others).
    func replay(kinds: Set<EventKind>, activitiesOnDeals: Bool, _ body: (SalesEvent) throws -> Void) throws
    func count() throws -> [EventKind: Int]
    /// How many times a stored record was replaced by a re-sent one with other values. An engine applies
    /// events as they come and cannot take back what an old version added: built at another revision, it is
    /// rebuilt from the store.
    func revision() throws -> Int64
    /// The source a stored record came from: new records that refer to it must come from the same one.
    func source(of kind: EventKind, id: Int64) throws -> String?
    /// What a drill-down list shows of these deals (the engine knows their stage and close).
    func dealDetails(ids: [Int64]) throws -> [Int64: DealDetails]
    /// Activities of these reps in `[from, to)`, newest first, at most `limit`.
    func activities(reps: [Int64], from: Timestamp, to: Timestamp, type: ActivityType?, limit: Int) throws
        -> [ActivitySummary]
    /// The activities from `source` with these external ids, with their reps' external ids.
    func activities(source: String, externalIDs: [String]) throws -> [String: ActivityOwner]
    /// Calls of these reps analysed from transcripts, in `[from, to)`, newest first, at most `limit`.
    func analyzedCalls(reps: [Int64], from: Timestamp, to: Timestamp, limit: Int) throws -> [AnalyzedCall]
    /// The analysed call behind this evaluation, with its transcript.
    func analyzedCall(evaluationID: Int64) throws -> (AnalyzedCall, CallTranscriptRecord)?
    /// The corrections made to the call behind this evaluation, oldest first, with their reviewers' logins.
    func callCorrections(evaluationID: Int64) throws -> [CallCorrectionRecord]
    /// Every analysed call a reviewer corrected, with its transcript and corrected analysis, in id order.
    func reviewedCalls() throws -> [(evaluationID: Int64, record: CallTranscriptRecord)]
}

extension EventStore {
    public func write<T>(source: String, expected: Int, _ body: (EventWriter) throws -> T) throws -> T {
        try write(source: source, body)
    }
}

/// A whole store: the events and the server's own state, one capability each (users, sessions, API tokens,
/// the audit log, kept responses, the KPI system, the forecast ledger, sent alerts, CRM connections), in one database —
/// a SQLite file, a PostgreSQL database, or memory. Each part of the program takes only the ones it uses.
public protocol SalesDatabase: EventStore {
    var users: any UserDirectory { get }
    var sessions: any SessionStore { get }
    var apiTokens: any APITokenStore { get }
    var audit: any AuditLog { get }
    var storedResponses: any IdempotencyStore { get }
    var kpiSystems: any KPISystemHistory { get }
    var forecastLedger: any ForecastLedgerStore { get }
    var alertLog: any AlertLog { get }
    var connections: any ConnectionStore { get }
    var callModels: any CallModelStore { get }
    /// Where the store is, for messages: a file path, or a URL without its password.
    var location: String { get }
}

/// A store that other processes write to as well (PostgreSQL behind several `serve` instances).
///
/// Whoever keeps an engine over the store gives it a sink with `follow`; the store then hands the sink,
/// in the replay order, every event other processes committed: at the start of each of this process's
/// writes (so that the engine never sees a record before the ones it refers to) and on `catchUp()`.
public protocol SharedEventStore: EventStore {
    func follow(_ sink: @escaping (SalesEvent) -> Void)
    /// Hands the sink every event committed by others since the last hand-over; returns how many.
    func catchUp() throws -> Int
    /// Until the task is cancelled, calls `changed` whenever another process may have committed (for
    /// PostgreSQL, a notification on its channel), reconnecting after a failure.
    func listen(_ changed: @escaping @Sendable () -> Void) async
}

/// An activity and whose it is: what a transcript linked to it needs.
public struct ActivityOwner: Sendable, Hashable {
    public var externalID: String
    public var type: ActivityType
    public var at: Timestamp
    public var rep: EntityRef
    public init(externalID: String, type: ActivityType, at: Timestamp, rep: EntityRef) {
        self.externalID = externalID
        self.type = type
        self.at = at
        self.rep = rep
    }
}

/// A call's transcript and its analysis, as JSON that SalesSpeech writes and reads.
public struct CallTranscriptRecord: Sendable, Hashable {
    /// The file it was read from.
    public var file: String
    public var transcript: String
    public var analysis: String
    public init(file: String, transcript: String, analysis: String) {
        self.file = file
        self.transcript = transcript
        self.analysis = analysis
    }
}

/// A reviewer's correction of a call's analysis.
public struct CallCorrectionRecord: Sendable, Hashable {
    public var evaluationID: Int64
    public var at: Timestamp
    public var userID: Int64?
    /// The reviewer's login, when read back (nil: from the CLI, or the user was removed since).
    public var login: String?
    /// The correction, as JSON that SalesSpeech writes and reads.
    public var correction: String
    public init(evaluationID: Int64, at: Timestamp, userID: Int64?, login: String? = nil, correction: String) {
        self.evaluationID = evaluationID
        self.at = at
        self.userID = userID
        self.login = login
        self.correction = correction
    }
}

/// A call analysed from its transcript, as lists show it.
public struct AnalyzedCall: Sendable, Hashable {
    public var evaluationID: Int64
    /// The call activity's external id.
    public var call: String
    public var rep: Int64
    public var at: Timestamp
    public var score: Int
    public var objectionsRaised: Int
    public var objectionsHandled: Int
    public var measures: CallMeasures
    public init(
        evaluationID: Int64, call: String, rep: Int64, at: Timestamp, score: Int, objectionsRaised: Int,
        objectionsHandled: Int,
        measures: CallMeasures
    ) {
        self.evaluationID = evaluationID
        self.call = call
        self.rep = rep
        self.at = at
        self.score = score
        self.objectionsRaised = objectionsRaised
        self.objectionsHandled = objectionsHandled
        self.measures = measures
    }
}

/// A deal's descriptive fields for lists.
public struct DealDetails: Sendable, Hashable {
    public var externalID: String
    public var account: String
    public var amount: Money
    public var product: String?
    public var kind: DealKind
    public var createdAt: Timestamp
    /// The amount in the deal's own currency, when that is not the company's.
    public var original: OriginalAmount?
    public init(
        externalID: String, account: String, amount: Money, product: String?, kind: DealKind, createdAt: Timestamp,
        original: OriginalAmount? = nil
    ) {
        self.externalID = externalID
        self.account = account
        self.amount = amount
        self.product = product
        self.kind = kind
        self.createdAt = createdAt
        self.original = original
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
    public init(
        externalID: String, rep: Int64, type: ActivityType, at: Timestamp, durationSeconds: Int32, outcome: String?,
        account: String?
    ) {
        self.externalID = externalID
        self.rep = rep
        self.type = type
        self.at = at
        self.durationSeconds = durationSeconds
        self.outcome = outcome
        self.account = account
    }
}

extension EventStore {
    public func replay(kinds: Set<EventKind>, activitiesOnDeals: Bool, _ body: (SalesEvent) throws -> Void) throws {
        try replay { event in
            guard kinds.contains(event.kind) else { return }
            if activitiesOnDeals, case .activity(let a) = event, a.deal == nil { return }
            try body(event)
        }
    }

    /// Every deal's timeline (and the accounts, leads, invoices and surveys predictions read), from only the
    /// events it keeps: for a process whose engine came from a snapshot.
    public func makeDealHistory() throws -> DealHistory {
        let history = DealHistory()
        try replay(kinds: DealHistory.kinds, activitiesOnDeals: true) { history.apply($0) }
        history.finish()
        return history
    }

    /// Builds an engine from every stored event.
    public func makeEngine(calendar: CompanyCalendar = CompanyCalendar()) throws -> SalesEngine {
        let engine = SalesEngine(calendar: calendar)
        try replay { engine.apply($0) }
        return engine
    }

    /// Builds the engine and every deal's timeline (for predictions) in one pass over the store.
    public func makeEngineAndHistory(calendar: CompanyCalendar = CompanyCalendar()) throws -> (SalesEngine, DealHistory)
    {
        let engine = SalesEngine(calendar: calendar)
        let history = DealHistory()
        try replay {
            engine.apply($0)
            history.apply($0)
        }
        history.finish()
        return (engine, history)
    }

    /// Appends a batch atomically; unresolved references abort it unless `skipInvalid`.
    /// Returns the events newly stored, ready for `SalesEngine.apply`.
    @discardableResult
    public func append(_ events: [SalesEvent], source: String) throws -> [SalesEvent] {
        try write(source: source) { writer in
            var batch = events
            var stored: [SalesEvent] = []
            let outcomes = try writer.append(batch: &batch)
            for (e, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .inserted, .updated: stored.append(e)
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
            "\(kind.rawValue) '\(id)': "
                + refs.map { "\($0.field) '\($0.external)' is not a known \($0.kind.rawValue)" }.joined(separator: "; ")
        case .schema(let m): m
        case .newerSchema(let found, let known):
            "the store was written by a newer SalesKPI (schema \(found), this one knows up to \(known)): upgrade "
                + "SalesKPI"
        }
    }
}
