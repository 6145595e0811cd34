import Foundation
import GRDB
import SalesCore

/// The embedded default store: one SQLite file in WAL mode. Each `write` is one transaction, so
/// an import is all-or-nothing and a crash mid-import leaves the file as it was before.
public final class SQLiteEventStore: SalesDatabase {
    public let path: String
    let db: DatabaseQueue
    private let references = ReferenceCache()

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // NORMAL is crash-safe in WAL mode: a crash can lose the last commit, never corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A small page cache for reads: a server reads little once its engine is built, and a page freed
            // by SQLite stays with the process. Writes take a large one (`write`).
            try db.execute(sql: "PRAGMA cache_size = \(Self.readCache)")
        }
        db = try DatabaseQueue(path: path, configuration: config)
        let migrator = SQLiteSchema.migrator()
        try db.read { db in
            let applied = try migrator.appliedIdentifiers(db)
            let known = Set(migrator.migrations)
            if !applied.isSubset(of: known) { throw StoreError.newerSchema(found: applied.count, known: known.count) }
        }
        try migrator.migrate(db)
    }

    /// Page cache sizes in KiB (negative: SQLite's unit for "KiB, not pages").
    private static let readCache = -16_384
    private static let writeCache = -262_144

    public func write<T>(source: String, _ body: (EventWriter) throws -> T) throws -> T {
        try write(source: source, expected: 0, body)
    }

    /// Records from which a write into empty tables builds their secondary indexes once at the end, sorting
    /// what it stored, rather than keeping them in step row by row (about a third of a large import's time).
    public static let bulkRecords = 50_000

    public func write<T>(source: String, expected: Int, _ body: (EventWriter) throws -> T) throws -> T {
        var added: [ReferenceCache.Key] = []
        do {
            // `write` wraps the body in one transaction and rolls it back if the body throws, the indexes'
            // DROP and CREATE with it.
            return try db.write { db in
                // A large page cache keeps the (source, external_id) indexes in memory during big imports.
                try db.execute(sql: "PRAGMA cache_size = \(Self.writeCache)")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(Self.readCache)") }
                let deferred = expected >= Self.bulkRecords ? try Self.dropIndexesOfEmptyTables(db) : []
                let writer = Writer(db: db, source: source, store: self)
                defer { added = writer.added }
                let result = try body(writer)
                for create in deferred { try db.execute(sql: create) }
                return result
            }
        } catch {
            // The transaction rolled back: forget the ids it had cached.
            references.forget(added)
            throw error
        }
    }

    /// Drops the secondary indexes of the event tables that hold no row yet; returns their CREATE statements.
    /// The unique (source, external_id) ones stay: they are how a re-sent record is told from a new one.
    private static func dropIndexesOfEmptyTables(_ db: Database) throws -> [String] {
        var creates: [String] = []
        for kind in EventKind.allCases {
            let table = EventSchema.tableName(kind)
            guard try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))")! else { continue }
            let indexes = try Row.fetchAll(
                db,
                sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                arguments: [table])
            for index in indexes {
                try db.execute(sql: "DROP INDEX \(index["name"] as String)")
                creates.append(index["sql"])
            }
        }
        return creates
    }

    final class Writer: EventWriter {
        let db: Database
        let source: String
        unowned let store: SQLiteEventStore
        var added: [ReferenceCache.Key] = []
        private var inserts: [EventKind: Statement] = [:]
        private var lookups: [EventKind: Statement] = [:]
        private var updates: [EventKind: Statement] = [:]

        init(db: Database, source: String, store: SQLiteEventStore) {
            self.db = db
            self.source = source
            self.store = store
        }

        func append(_ event: inout SalesEvent) throws -> AppendOutcome {
            let kind = event.kind
            let missing = try store.references.resolve(&event, source: source) { kind, external in
                let stmt =
                    try lookups[kind]
                    ?? db.makeStatement(
                        sql: "SELECT id FROM \(EventSchema.tableName(kind)) WHERE source = ? AND external_id = ?")
                lookups[kind] = stmt
                return try Int64.fetchOne(stmt, arguments: [source, external])
            }
            if !missing.isEmpty { return .unresolved(missing) }
            let stmt = try inserts[kind] ?? db.makeStatement(sql: EventSchema.insert(kind, .sqlite))
            inserts[kind] = stmt
            let values = [SQLValue.text(source), .text(event.externalID)] + EventSchema.values(event)
            try stmt.run(binding: values, in: db)
            guard db.changesCount == 1 else { return try replace(&event, values) }
            let id = db.lastInsertedRowID
            store.references.stored(&event, id: id, source: source, added: &added)
            return .inserted(id)
        }

        /// A record already stored: replaced if it now says something else, else a duplicate.
        private func replace(_ event: inout SalesEvent, _ values: [SQLValue]) throws -> AppendOutcome {
            let kind = event.kind
            guard kind.isUpdatable else { return .duplicate }
            let stmt = try updates[kind] ?? db.makeStatement(sql: EventSchema.update(kind))
            updates[kind] = stmt
            try stmt.run(binding: values, in: db)
            guard db.changesCount == 1 else { return .duplicate }
            try db.execute(sql: "UPDATE record_revision SET updates = updates + 1")
            guard
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(EventSchema.tableName(kind)) WHERE source = ? AND external_id = ?",
                    arguments: [source, event.externalID])
            else { throw StoreError.schema("\(kind.rawValue) '\(event.externalID)' vanished while replaced") }
            event.setID(id)
            return .updated(id)
        }

        func attach(_ t: CallTranscriptRecord, toEvaluation id: Int64) throws {
            try db.execute(
                sql: "INSERT INTO call_transcripts (evaluation_id, file, transcript, analysis) VALUES (?, ?, ?, ?)",
                arguments: [id, t.file, t.transcript, t.analysis])
        }

        func correct(_ e: Evaluation, analysis: String, by c: CallCorrectionRecord) throws {
            let sql = EventSchema.correction(.sqlite)
            try db.makeStatement(sql: sql.evaluation).run(
                binding: EventSchema.correctedValues(e) + [.int(e.id)], in: db)
            guard db.changesCount == 1 else { throw StoreError.schema("evaluation \(e.id) is not stored") }
            try db.execute(sql: sql.analysis, arguments: [analysis, e.id])
            try db.execute(sql: sql.correction, arguments: [c.evaluationID, c.at, c.userID, c.correction])
            try db.execute(sql: "UPDATE record_revision SET updates = updates + 1")
        }
    }

    public func replay(_ body: (SalesEvent) throws -> Void) throws { try replay(after: [:], body) }

    /// The events stored after these ids (per kind; a kind not given: all of it), in replay order.
    public func replay(after ids: [EventKind: Int64], _ body: (SalesEvent) throws -> Void) throws {
        try replay(kinds: Set(EventKind.allCases), after: ids, activitiesOnDeals: false, body)
    }

    public func replay(kinds: Set<EventKind>, activitiesOnDeals: Bool, _ body: (SalesEvent) throws -> Void) throws {
        try replay(kinds: kinds, after: [:], activitiesOnDeals: activitiesOnDeals, body)
    }

    private func replay(
        kinds: Set<EventKind>, after ids: [EventKind: Int64], activitiesOnDeals: Bool,
        _ body: (SalesEvent) throws -> Void
    ) throws {
        try db.read { db in
            for kind in EventKind.allCases where kinds.contains(kind) {
                // The partial index `activities_deal` lists the few activities on a deal in id order: no scan, no sort.
                let onDeals = activitiesOnDeals && kind == .activity ? " AND deal_id IS NOT NULL" : ""
                let sql = """
                    SELECT id, external_id, \(EventSchema.columns(kind).joined(separator: ", "))
                    FROM \(EventSchema.tableName(kind))
                    WHERE id > \(ids[kind] ?? 0)\(onDeals) ORDER BY id
                    """
                try db.makeStatement(sql: sql).forEachRow(in: db) { try body(EventSchema.decode(kind, $0)) }
            }
        }
    }

    public func count() throws -> [EventKind: Int] {
        try db.read { db in
            var out: [EventKind: Int] = [:]
            for kind in EventKind.allCases {
                out[kind] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(EventSchema.tableName(kind))") ?? 0
            }
            return out
        }
    }

    public func revision() throws -> Int64 {
        try db.read { db in try Int64.fetchOne(db, sql: "SELECT updates FROM record_revision") ?? 0 }
    }

    public func source(of kind: EventKind, id: Int64) throws -> String? {
        try db.read { db in
            try String.fetchOne(
                db, sql: "SELECT source FROM \(EventSchema.tableName(kind)) WHERE id = ?", arguments: [id])
        }
    }

    public func dealDetails(ids: [Int64]) throws -> [Int64: DealDetails] {
        guard !ids.isEmpty else { return [:] }
        return try db.read { db in
            var out: [Int64: DealDetails] = [:]
            // Primary-key look-ups in chunks: SQLite limits the number of bound parameters.
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.id, d.external_id, a.name, d.amount, d.product, d.kind, d.created_at, d.currency,
                            d.original_amount
                        FROM deals d JOIN accounts a ON a.id = d.account_id
                        WHERE d.id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                        """, arguments: StatementArguments(chunk))
                for r in rows {
                    out[r[0]] = DealDetails(
                        externalID: r[1], account: r[2], amount: r[3], product: r[4],
                        kind: DealKind(rawValue: r[5]) ?? .new, createdAt: r[6],
                        original: (r[7] as String?).flatMap { c in
                            (r[8] as Int64?).map { OriginalAmount(currency: c, amount: $0) }
                        })
                }
            }
            return out
        }
    }

    public func activities(reps: [Int64], from: Timestamp, to: Timestamp, type: ActivityType?, limit: Int) throws
        -> [ActivitySummary]
    {
        guard !reps.isEmpty else { return [] }
        return try db.read { db in
            var args: [DatabaseValueConvertible?] = reps.map { $0 } + [from, to]
            if let type { args.append(type.rawValue) }
            args.append(limit)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT x.external_id, x.rep_id, x.type, x.at, x.duration_seconds, x.outcome, a.name
                    FROM activities x LEFT JOIN accounts a ON a.id = x.account_id
                    WHERE x.rep_id IN (\(reps.map { _ in "?" }.joined(separator: ","))) AND x.at >= ? AND x.at < ?
                      \(type == nil ? "" : " AND x.type = ?")
                    ORDER BY x.at DESC, x.id DESC LIMIT ?
                    """, arguments: StatementArguments(args)
            ).map {
                ActivitySummary(
                    externalID: $0[0], rep: $0[1], type: ActivityType(rawValue: $0[2]) ?? .call, at: $0[3],
                    durationSeconds: $0[4], outcome: $0[5], account: $0[6])
            }
        }
    }

    public func activities(source: String, externalIDs: [String]) throws -> [String: ActivityOwner] {
        try db.read { db in
            var out: [String: ActivityOwner] = [:]
            let stmt = try db.makeStatement(
                sql: """
                    SELECT x.type, x.at, x.rep_id, r.external_id FROM activities x JOIN reps r ON r.id = x.rep_id
                    WHERE x.source = ? AND x.external_id = ?
                    """)
            for ext in externalIDs {
                guard let row = try Row.fetchOne(stmt, arguments: [source, ext]) else { continue }
                out[ext] = ActivityOwner(
                    externalID: ext, type: ActivityType(rawValue: row[0]) ?? .call, at: row[1],
                    rep: EntityRef(row[3], id: row[2]))
            }
            return out
        }
    }

    /// An analysed call's columns, for `analyzedCall(_:)`.
    private static let callSelect = """
        SELECT e.id, COALESCE(x.external_id, e.external_id), e.rep_id, e.at, e.score, e.objections_raised,
               e.objections_handled, \(EventSchema.callColumns.map { "e." + $0 }.joined(separator: ", ")), c.file,
               c.transcript, c.analysis
        FROM evaluations e JOIN call_transcripts c ON c.evaluation_id = e.id
        LEFT JOIN activities x ON x.id = e.activity_id
        """

    private static func analyzedCall(_ r: Row) -> AnalyzedCall {
        AnalyzedCall(
            evaluationID: r[0], call: r[1], rep: r[2], at: r[3], score: r[4], objectionsRaised: r[5],
            objectionsHandled: r[6],
            measures: CallMeasures(
                repTalkSeconds: r[7], clientTalkSeconds: r[8], questions: r[9], openQuestions: r[10],
                stagesCovered: r[11], stagesTotal: r[12], nextStepAgreed: r[13]))
    }

    public func analyzedCalls(reps: [Int64], from: Timestamp, to: Timestamp, limit: Int) throws -> [AnalyzedCall] {
        guard !reps.isEmpty else { return [] }
        return try db.read { db in
            try Row.fetchAll(
                db,
                sql: Self.callSelect + """
                     WHERE e.rep_id IN (\(reps.map { _ in "?" }.joined(separator: ","))) AND e.at >= ? AND e.at < ?
                    ORDER BY e.at DESC, e.id DESC LIMIT ?
                    """, arguments: StatementArguments(reps + [from, to, Int64(limit)])
            ).map(Self.analyzedCall)
        }
    }

    public func analyzedCall(evaluationID: Int64) throws -> (AnalyzedCall, CallTranscriptRecord)? {
        try db.read { db in
            try Row.fetchOne(db, sql: Self.callSelect + " WHERE e.id = ?", arguments: [evaluationID]).map {
                (Self.analyzedCall($0), CallTranscriptRecord(file: $0[14], transcript: $0[15], analysis: $0[16]))
            }
        }
    }

    public func callCorrections(evaluationID: Int64) throws -> [CallCorrectionRecord] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.evaluation_id, c.at, c.user_id, u.login, c.correction FROM call_corrections c
                    LEFT JOIN users u ON u.id = c.user_id WHERE c.evaluation_id = ? ORDER BY c.id
                    """, arguments: [evaluationID]
            ).map {
                CallCorrectionRecord(evaluationID: $0[0], at: $0[1], userID: $0[2], login: $0[3], correction: $0[4])
            }
        }
    }

    public func reviewedCalls() throws -> [(evaluationID: Int64, record: CallTranscriptRecord)] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT evaluation_id, file, transcript, analysis FROM call_transcripts
                    WHERE evaluation_id IN (SELECT evaluation_id FROM call_corrections) ORDER BY evaluation_id
                    """
            ).map { ($0[0], CallTranscriptRecord(file: $0[1], transcript: $0[2], analysis: $0[3])) }
        }
    }

    // The server's own state, kept in the same file.
    public var users: any UserDirectory { SQLiteUserDirectory(db: db) }
    public var sessions: any SessionStore { SQLiteSessionStore(db: db) }
    public var apiTokens: any APITokenStore { SQLiteAPITokenStore(db: db) }
    public var audit: any AuditLog { SQLiteAuditLog(db: db) }
    public var storedResponses: any IdempotencyStore { SQLiteIdempotencyStore(db: db) }
    public var kpiSystems: any KPISystemHistory { SQLiteKPISystemHistory(db: db) }
    public var forecastLedger: any ForecastLedgerStore { SQLiteForecastLedger(db: db) }
    public var alertLog: any AlertLog { SQLiteAlertLog(db: db) }
    public var connections: any ConnectionStore { SQLiteConnectionStore(db: db) }
    public var callModels: any CallModelStore { SQLiteCallModelStore(db: db) }
    public var location: String { path }

    /// A table's columns, in order (for copying the store).
    package func columns(of table: String) throws -> [String] {
        try db.read { db in try db.columns(in: table).map(\.name) }
    }

    /// Every row of a table in `key` order, as typed values (for copying the store and checking the copy).
    package func rows(of table: String, columns: [String], orderedBy key: String, _ body: ([SQLValue]) throws -> Void)
        throws
    {
        try db.read { db in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(key)")
            while let row = try cursor.next() {
                try body(
                    (0..<row.count).map { i in
                        switch (row[i] as DatabaseValue).storage {
                        case .null: .null
                        case .int64(let x): .int(x)
                        case .double(let x): .real(x)
                        case .string(let s): .text(s)
                        case .blob(let d): .blob([UInt8](d))
                        }
                    })
            }
        }
    }

    /// Reads the store with SQL: for tests and independent checks.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try db.read(body) }
}
