import Foundation
import Logging
import PostgresNIO
import SalesCore
import SalesStorage

/// The store on PostgreSQL, for several teams and several `serve` instances: the same tables, constraints
/// and numbered migrations as the SQLite file (`EventSchema`), plus `seq`, every event's place in commit order.
///
/// Writes are serialised across processes by a transaction-scoped advisory lock, taken before the first
/// insert: `seq` then grows in commit order, so "everything after seq N" is a safe cursor for catching up
/// (no transaction can later commit a smaller one). Each write is one transaction: all-or-nothing.
/// A write that stored events sends `NOTIFY saleskpi_events`; other instances listen (`listen`) and catch up.
public final class PostgresEventStore: SalesDatabase, SharedEventStore, @unchecked Sendable {
    let pool: PostgresPool
    private let references = ReferenceCache()
    /// The last `seq` this process has handed to its engine (through `replay`, its own writes or `catchUp`).
    private var cursor: Int64 = 0
    private var sink: ((SalesEvent) -> Void)?

    public static let channel = "saleskpi_events"
    /// The advisory lock keys: writers, and migrations.
    static let writeLock: Int64 = 0x5341_4C45_534B_5049  // "SALESKPI"
    static let migrationLock: Int64 = 0x5341_4C45_534B_504D

    public var location: String { pool.location.description }

    public init(url: String, connections: Int = 8) throws {
        pool = PostgresPool(try PostgresLocation(url: url), size: connections)
        try migrate()
    }

    var logger: Logger { pool.logger }

    private func migrate() throws {
        let all = EventSchema.migrations(.postgres)
        try transaction { c in
            try c.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.migrationLock)], logger: logger)
            try c.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                logger: logger)
            let applied = Set(
                try c.execute("SELECT id FROM schema_migrations", logger: logger).map { PostgresColumns($0).text(0) })
            if !applied.isSubset(of: Set(all.map(\.id))) {
                throw StoreError.newerSchema(found: applied.count, known: all.count)
            }
            for m in all where !applied.contains(m.id) {
                for sql in m.statements { try c.execute(sql, logger: logger) }
                try c.execute(
                    "INSERT INTO schema_migrations VALUES ($1, extract(epoch FROM now())::bigint)", [.text(m.id)],
                    logger: logger)
            }
        }
    }

    /// Runs `body` in one transaction on a pooled connection: committed if it returns, rolled back if it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: (PostgresConnection) throws -> T) throws -> T {
        try pool.withConnection { c in
            try c.execute(begin, logger: logger)
            do {
                let result = try body(c)
                try c.execute("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? c.execute("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// A read-only transaction on one snapshot: every table read as of the same instant.
    func snapshot<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    // MARK: Writing

    public func write<T>(source: String, _ body: (EventWriter) throws -> T) throws -> T {
        var added: [ReferenceCache.Key] = []
        do {
            let (result, lastSeq) = try transaction { c -> (T, Int64) in
                try c.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.writeLock)], logger: logger)
                // Others' events first: this write's records may refer to them.
                if sink != nil { _ = try deliver(after: cursor, on: c) }
                let writer = Writer(connection: c, source: source, store: self)
                defer { added = writer.added }
                let result = try body(writer)
                if writer.lastSeq > 0 {
                    try c.execute(
                        "SELECT pg_notify($1, $2)", [.text(Self.channel), .text(String(writer.lastSeq))], logger: logger
                    )
                }
                return (result, writer.lastSeq)
            }
            // Serialised writers: nothing between the hand-over above and this write's events.
            if sink != nil, lastSeq > 0 { cursor = lastSeq }
            return result
        } catch {
            references.forget(added)
            throw error
        }
    }

    final class Writer: EventWriter {
        let c: PostgresConnection
        let source: String
        unowned let store: PostgresEventStore
        var added: [ReferenceCache.Key] = []
        var lastSeq: Int64 = 0
        /// INSERT texts by kind and row count: a batch reuses the full-size one.
        private var inserts: [String: String] = [:]

        init(connection: PostgresConnection, source: String, store: PostgresEventStore) {
            c = connection
            self.source = source
            self.store = store
        }

        func append(_ event: inout SalesEvent) throws -> AppendOutcome {
            var batch = [event]
            let outcome = try append(batch: &batch)[0]
            event = batch[0]
            return outcome
        }

        /// Resolved events of one kind wait in a chunk and go to the server as one multi-row INSERT:
        /// one round trip per chunk instead of per event.
        func append(batch events: inout [SalesEvent]) throws -> [AppendOutcome] {
            var outcomes = [AppendOutcome](repeating: .duplicate, count: events.count)
            var chunk: [Int] = []
            var inChunk: Set<String> = []
            func flush() throws {
                guard let first = chunk.first else { return }
                let kind = events[first].kind
                let key = "\(kind.rawValue)/\(chunk.count)"
                let sql = inserts[key] ?? EventSchema.insert(kind, .postgres, rows: chunk.count)
                inserts[key] = sql
                let values = chunk.flatMap {
                    [SQLValue.text(source), .text(events[$0].externalID)] + EventSchema.values(events[$0])
                }
                var stored: [String: (id: Int64, seq: Int64, new: Bool)] = [:]
                for row in try c.execute(sql, values, logger: store.logger) {
                    let cols = PostgresColumns(row)
                    stored[cols.optText(2) ?? ""] = (cols.int(0), cols.int(1), cols.bool(3))
                }
                // A row the server skipped is a duplicate; of two equal ids in one chunk, the first is stored.
                var replaced: Int64 = 0
                for i in chunk {
                    guard let row = stored.removeValue(forKey: events[i].externalID) else { continue }
                    lastSeq = max(lastSeq, row.seq)
                    if row.new {
                        store.references.stored(&events[i], id: row.id, source: source, added: &added)
                        outcomes[i] = .inserted(row.id)
                    } else {
                        events[i].setID(row.id)
                        outcomes[i] = .updated(row.id)
                        replaced += 1
                    }
                }
                if replaced > 0 {
                    try c.execute(
                        "UPDATE record_revision SET updates = updates + $1", [.int(replaced)], logger: store.logger)
                }
                chunk.removeAll(keepingCapacity: true)
                inChunk.removeAll(keepingCapacity: true)
            }
            for i in events.indices {
                // A record twice in one INSERT … DO UPDATE is an error: the second goes to the next one.
                if let first = chunk.first,
                    events[first].kind != events[i].kind
                        || chunk.count == EventSchema.rowsPerStatement(events[first].kind)
                        || (events[i].kind.isUpdatable && inChunk.contains(events[i].externalID))
                {
                    try flush()
                }
                var missing = try resolve(&events[i])
                // What is missing may be waiting in the chunk.
                if let first = chunk.first, missing.contains(where: { $0.kind == events[first].kind }) {
                    try flush()
                    missing = try resolve(&events[i])
                }
                if missing.isEmpty {
                    chunk.append(i)
                    if events[i].kind.isUpdatable { inChunk.insert(events[i].externalID) }
                } else {
                    outcomes[i] = .unresolved(missing)
                }
            }
            try flush()
            return outcomes
        }

        private func resolve(_ event: inout SalesEvent) throws -> [UnresolvedReference] {
            try store.references.resolve(&event, source: source) { kind, external in
                try c.execute(
                    "SELECT id FROM \(EventSchema.tableName(kind)) WHERE source = $1 AND external_id = $2",
                    [.text(source), .text(external)], logger: store.logger
                ).first.map { PostgresColumns($0).int(0) }
            }
        }

        func attach(_ t: CallTranscriptRecord, toEvaluation id: Int64) throws {
            try c.execute(
                "INSERT INTO call_transcripts (evaluation_id, file, transcript, analysis) VALUES ($1, $2, $3, $4)",
                [.int(id), .text(t.file), .text(t.transcript), .text(t.analysis)], logger: store.logger)
        }

        func correct(_ e: Evaluation, analysis: String, by r: CallCorrectionRecord) throws {
            let sql = EventSchema.correction(.postgres)
            let log = store.logger
            guard
                let seq = try c.execute(sql.evaluation, EventSchema.correctedValues(e) + [.int(e.id)], logger: log)
                    .first.map({ PostgresColumns($0).int(0) })
            else { throw StoreError.schema("evaluation \(e.id) is not stored") }
            // Other instances hear of it by its new seq, and rebuild (the revision moved).
            lastSeq = max(lastSeq, seq)
            try c.execute(sql.analysis, [.text(analysis), .int(e.id)], logger: log)
            let user: SQLValue = r.userID.map { .int($0) } ?? .null
            try c.execute(
                sql.correction, [.int(r.evaluationID), .int(r.at), user, .text(r.correction)], logger: log)
            try c.execute("UPDATE record_revision SET updates = updates + 1", logger: log)
        }
    }

    // MARK: Reading

    /// Rows per round trip when streaming a table: bounded memory, few round trips.
    static let page = 20_000

    /// Every event of `kind` with `seq > after`, in id order, a page at a time; returns the largest seq seen.
    private func events(_ kind: EventKind, after: Int64, on c: PostgresConnection, _ body: (SalesEvent) throws -> Void)
        throws -> Int64
    {
        let cols = EventSchema.columns(kind)
        let seqColumn = Int32(cols.count + 2)
        // A full replay walks the primary key; with `seq > 0` in the query the planner, misjudging a
        // freshly loaded table, may scan and sort the whole table once per page.
        let sql = """
            SELECT id, external_id, \(cols.joined(separator: ", ")), seq FROM \(EventSchema.tableName(kind))
            WHERE \(after > 0 ? "seq > $1" : "$1 = 0") AND id > $2 ORDER BY id LIMIT \(Self.page)
            """
        var lastID: Int64 = 0
        var maxSeq = after
        while true {
            let rows = try c.execute(sql, [.int(after), .int(lastID)], logger: logger)
            for row in rows {
                let r = PostgresColumns(row)
                maxSeq = max(maxSeq, r.int(seqColumn))
                try body(EventSchema.decode(kind, r))
            }
            guard rows.count == Self.page, let last = rows.last else { return maxSeq }
            lastID = PostgresColumns(last).int(0)
        }
    }

    public func replay(_ body: (SalesEvent) throws -> Void) throws {
        let last = try snapshot { c in
            try EventKind.allCases.reduce(Int64(0)) { m, kind in max(m, try events(kind, after: 0, on: c, body)) }
        }
        cursor = max(cursor, last)
    }

    public func follow(_ sink: @escaping (SalesEvent) -> Void) { self.sink = sink }

    public func catchUp() throws -> Int {
        guard sink != nil else { return 0 }
        return try snapshot { c in try deliver(after: cursor, on: c) }
    }

    /// Hands the sink every event with `seq > after`, kind by kind (referenced kinds first), and moves the cursor.
    private func deliver(after: Int64, on c: PostgresConnection) throws -> Int {
        guard let sink else { return 0 }
        var n = 0
        var last = after
        for kind in EventKind.allCases {
            last = max(
                last,
                try events(kind, after: after, on: c) {
                    sink($0)
                    n += 1
                })
        }
        cursor = last
        return n
    }

    public func count() throws -> [EventKind: Int] {
        try snapshot { c in
            var out: [EventKind: Int] = [:]
            for kind in EventKind.allCases {
                out[kind] = Int(
                    try c.execute("SELECT count(*) FROM \(EventSchema.tableName(kind))", logger: logger).first.map {
                        PostgresColumns($0).int(0)
                    } ?? 0)
            }
            return out
        }
    }

    /// Runs a read on a pooled connection (no transaction needed for one statement).
    @discardableResult
    func read(_ sql: String, _ values: [SQLValue] = []) throws -> [PostgresColumns] {
        try pool.withConnection { c in try c.execute(sql, values, logger: logger).map(PostgresColumns.init) }
    }

    public func revision() throws -> Int64 {
        try read("SELECT updates FROM record_revision").first?.int(0) ?? 0
    }

    public func source(of kind: EventKind, id: Int64) throws -> String? {
        try read("SELECT source FROM \(EventSchema.tableName(kind)) WHERE id = $1", [.int(id)]).first?.optText(0)
    }

    public func dealDetails(ids: [Int64]) throws -> [Int64: DealDetails] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: DealDetails] = [:]
        for r in try read(
            """
            SELECT d.id, d.external_id, a.name, d.amount, d.product, d.kind, d.created_at, d.currency, d.original_amount
            FROM deals d JOIN accounts a ON a.id = d.account_id WHERE d.id = ANY(string_to_array($1, ',')::bigint[])
            """, [Self.idList(ids)])
        {
            out[r.int(0)] = DealDetails(
                externalID: r.text(1), account: r.text(2), amount: r.int(3), product: r.optText(4),
                kind: DealKind(rawValue: r.text(5)) ?? .new, createdAt: r.int(6),
                original: OriginalAmount.decode(r, currency: 7))
        }
        return out
    }

    /// `= ANY(…)` over a list of ids, bound as one text parameter.
    private static func idList(_ ids: [Int64]) -> SQLValue { .text(ids.map(String.init).joined(separator: ",")) }

    public func activities(reps: [Int64], from: Timestamp, to: Timestamp, type: ActivityType?, limit: Int) throws
        -> [ActivitySummary]
    {
        guard !reps.isEmpty else { return [] }
        return try read(
            """
            SELECT x.external_id, x.rep_id, x.type, x.at, x.duration_seconds, x.outcome, a.name
            FROM activities x LEFT JOIN accounts a ON a.id = x.account_id
            WHERE x.rep_id = ANY(string_to_array($1, ',')::bigint[]) AND x.at >= $2 AND x.at < $3
              AND ($4::text IS NULL OR x.type = $4)
            ORDER BY x.at DESC, x.id DESC LIMIT $5
            """,
            [Self.idList(reps), .int(from), .int(to), type.map { .text($0.rawValue) } ?? .null, .int(Int64(limit))]
        ).map {
            ActivitySummary(
                externalID: $0.text(0), rep: $0.int(1), type: ActivityType(rawValue: $0.text(2)) ?? .call,
                at: $0.int(3),
                durationSeconds: Int32(truncatingIfNeeded: $0.int(4)), outcome: $0.optText(5), account: $0.optText(6))
        }
    }

    public func activities(source: String, externalIDs: [String]) throws -> [String: ActivityOwner] {
        guard !externalIDs.isEmpty else { return [:] }
        var out: [String: ActivityOwner] = [:]
        for r in try read(
            """
            SELECT x.external_id, x.type, x.at, x.rep_id, r.external_id FROM activities x JOIN reps r ON r.id = x.rep_id
            WHERE x.source = $1 AND x.external_id = ANY($2::text[])
            """, [.text(source), .text("{" + externalIDs.map(Self.arrayElement).joined(separator: ",") + "}")])
        {
            out[r.text(0)] = ActivityOwner(
                externalID: r.text(0), type: ActivityType(rawValue: r.text(1)) ?? .call, at: r.int(2),
                rep: EntityRef(r.text(4), id: r.int(3)))
        }
        return out
    }

    /// A text quoted as an element of a PostgreSQL array literal.
    private static func arrayElement(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static let callSelect = """
        SELECT e.id, COALESCE(x.external_id, e.external_id), e.rep_id, e.at, e.score, e.objections_raised,
               e.objections_handled, \(EventSchema.callColumns.map { "e." + $0 }.joined(separator: ", ")), c.file,
               c.transcript, c.analysis
        FROM evaluations e JOIN call_transcripts c ON c.evaluation_id = e.id
        LEFT JOIN activities x ON x.id = e.activity_id
        """

    private static func analyzedCall(_ r: PostgresColumns) -> AnalyzedCall {
        func i(_ n: Int32) -> Int { Int(r.int(n)) }
        return AnalyzedCall(
            evaluationID: r.int(0), call: r.text(1), rep: r.int(2), at: r.int(3), score: i(4), objectionsRaised: i(5),
            objectionsHandled: i(6),
            measures: CallMeasures(
                repTalkSeconds: i(7), clientTalkSeconds: i(8), questions: i(9), openQuestions: i(10),
                stagesCovered: i(11), stagesTotal: i(12), nextStepAgreed: r.bool(13)))
    }

    public func analyzedCalls(reps: [Int64], from: Timestamp, to: Timestamp, limit: Int) throws -> [AnalyzedCall] {
        guard !reps.isEmpty else { return [] }
        return try read(
            Self.callSelect + """
                 WHERE e.rep_id = ANY(string_to_array($1, ',')::bigint[]) AND e.at >= $2 AND e.at < $3
                ORDER BY e.at DESC, e.id DESC LIMIT $4
                """, [Self.idList(reps), .int(from), .int(to), .int(Int64(limit))]
        ).map(Self.analyzedCall)
    }

    public func analyzedCall(evaluationID: Int64) throws -> (AnalyzedCall, CallTranscriptRecord)? {
        try read(Self.callSelect + " WHERE e.id = $1", [.int(evaluationID)]).first.map {
            (
                Self.analyzedCall($0),
                CallTranscriptRecord(file: $0.text(14), transcript: $0.text(15), analysis: $0.text(16))
            )
        }
    }

    public func callCorrections(evaluationID: Int64) throws -> [CallCorrectionRecord] {
        try read(
            """
            SELECT c.evaluation_id, c.at, c.user_id, u.login, c.correction FROM call_corrections c
            LEFT JOIN users u ON u.id = c.user_id WHERE c.evaluation_id = $1 ORDER BY c.id
            """, [.int(evaluationID)]
        ).map {
            CallCorrectionRecord(
                evaluationID: $0.int(0), at: $0.int(1), userID: $0.optInt(2), login: $0.optText(3),
                correction: $0.text(4))
        }
    }

    public func reviewedCalls() throws -> [(evaluationID: Int64, record: CallTranscriptRecord)] {
        try read(
            """
            SELECT evaluation_id, file, transcript, analysis FROM call_transcripts
            WHERE evaluation_id IN (SELECT evaluation_id FROM call_corrections) ORDER BY evaluation_id
            """
        ).map { ($0.int(0), CallTranscriptRecord(file: $0.text(1), transcript: $0.text(2), analysis: $0.text(3))) }
    }

    // The server's own state, shared by every `serve` instance: a session opened on one is valid on all.
    public var users: any UserDirectory { PostgresUserDirectory(pool: pool) }
    public var sessions: any SessionStore { PostgresSessionStore(pool: pool) }
    public var apiTokens: any APITokenStore { PostgresAPITokenStore(pool: pool) }
    public var audit: any AuditLog { PostgresAuditLog(pool: pool) }
    public var storedResponses: any IdempotencyStore { PostgresIdempotencyStore(pool: pool) }
    public var kpiSystems: any KPISystemHistory { PostgresKPISystemHistory(pool: pool) }
    public var forecastLedger: any ForecastLedgerStore { PostgresForecastLedger(pool: pool) }
    public var alertLog: any AlertLog { PostgresAlertLog(pool: pool) }
    public var connections: any ConnectionStore { PostgresConnectionStore(pool: pool) }
    public var callModels: any CallModelStore { PostgresCallModelStore(pool: pool) }

    /// The company's time zone for the BI views' days (`bi_day`), set from the KPI system in force.
    public func setReportingTimeZone(_ zone: String) throws {
        try read("UPDATE bi_settings SET time_zone = $1 WHERE id = 1 AND time_zone <> $1", [.text(zone)])
    }

    // MARK: Other instances

    /// Listens for other instances' writes until cancelled and calls `changed` on each, and once after
    /// every (re)connection, since notifications sent while disconnected are lost: the caller catches up
    /// by sequence number then. Reconnects after a second when the connection drops.
    public func listen(_ changed: @escaping @Sendable () -> Void) async {
        while !Task.isCancelled {
            do {
                let c = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(),
                    configuration: pool.location.configuration, id: 0, logger: pool.logger
                ).get()
                do {
                    try await c.listen(on: Self.channel) { notifications in
                        changed()
                        for try await _ in notifications { changed() }
                    }
                } catch {
                    pool.logger.warning(
                        "listening for other instances' writes: \(PostgresStoreError.wrap(error)); reconnecting")
                }
                // Closed before it is released (PostgresNIO requires it), also when the server cut it.
                try? await c.close()
            } catch {
                pool.logger.warning(
                    "cannot listen for other instances' writes: \(PostgresStoreError.wrap(error)); retrying")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

extension PostgresEventStore {
    /// Runs SQL as it is, outside the store's rules: for tests that check what the server itself refuses.
    public func executeForTests(_ sql: String) throws { try read(sql) }
    /// Runs a query and returns every cell as text (NULL as nil): for tests that read the database directly.
    public func queryForTests(_ sql: String) throws -> [[String?]] {
        try pool.withConnection { c in
            try c.execute(sql, logger: logger).map { row in
                (0..<row.count).map { (try? row[$0].decode(String?.self)) ?? nil }
            }
        }
    }
}
