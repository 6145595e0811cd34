import Foundation
import SalesCore
import SalesImport
import SalesStorage

/// Runs a connector's pull into a store: each page through the importer (all or nothing, idempotent, changed
/// records replaced), then its cursor; the run's counts and outcome recorded on the connection.
public struct SyncRunner {
    public let connections: any ConnectionStore
    /// Stores one page: through the importer into the store (`saleskpi sync`), or through the live engine
    /// (`serve`, so that open dashboards move at once).
    public let store: (SyncPage, _ source: String) throws -> ImportReport
    /// Called after each stored page with the run so far: for a progress line.
    public var progress: ((SyncRun, String) -> Void)?

    public init(
        connections: any ConnectionStore, store: @escaping (SyncPage, _ source: String) throws -> ImportReport
    ) {
        self.connections = connections
        self.store = store
    }

    /// Straight into `db`.
    public init(db: any SalesDatabase, calendar: CompanyCalendar) {
        self.init(connections: db.connections) { page, source in
            try page.store(through: Importer(store: db, source: source, calendar: calendar))
        }
    }

    /// Syncs from the stored cursor (`full`: from the beginning, as a nightly reconcile does); returns the run.
    /// A failed run is recorded with its reason and rethrown.
    @discardableResult
    public func run(_ connector: some CRMConnector, full: Bool = false, now: () -> Timestamp = Self.now) async throws
        -> SyncRun
    {
        let crm = connector.crm
        guard let connection = try connections.connection(crm: crm) else { throw UnknownConnection(crm: crm) }
        var run = SyncRun(
            crm: crm, startedAt: now(), finishedAt: now(), fetched: 0, stored: 0, changed: 0, requests: 0, status: .ok)
        var matching = RepMatching((try? ConnectionSettings.decode(connection.settings))?.reps ?? [:])
        do {
            let cursor = full || connection.cursor.isEmpty ? nil : connection.cursor
            try await connector.pull(from: cursor) { page in
                var page = page
                page.records = matching.apply(page.records)
                let report = try store(page, crm)
                try connections.saveCursor(crm: crm, cursor: page.cursor)
                run.fetched += page.records.count
                run.stored += report.totalInserted
                run.changed += report.totalUpdated
                run.requests = connector.requests
                progress?(run, page.label)
            }
        } catch {
            run.status = .failed
            run.message = Self.describe(error)
        }
        run.requests = connector.requests
        run.finishedAt = now()
        try connections.record(run)
        if run.status == .failed { throw SyncFailure(run: run) }
        return run
    }

    public static func now() -> Timestamp { Timestamp(Date().timeIntervalSince1970) }

    /// An error as the connection's last error says it (English: the store keeps one text; pages translate the
    /// kinds they know).
    static func describe(_ error: Error) -> String {
        switch error {
        case CRMHTTPClient.Failure.unauthorized(let path):
            "the CRM refused the token (\(path)): it expired or was revoked; run saleskpi connect again with a new one"
        case CRMHTTPClient.Failure.forbidden(let path, let body):
            "the CRM refused access to \(path): the token lacks a right, or the CRM blocked this address (\(body))"
        case CRMHTTPClient.Failure.status(let status, let path, let body): "HTTP \(status) from \(path): \(body)"
        case CRMHTTPClient.Failure.rateLimited(let path, let tries):
            "still rate-limited on \(path) after \(tries) tries: the sync resumes from here next time"
        case CRMHTTPClient.Failure.unreachable(let path, let reason): "the CRM did not answer \(path): \(reason)"
        case let f as ImportFailure: f.issues.prefix(3).map { $0.message(.en) }.joined(separator: "; ")
        default: "\(error)"
        }
    }
}

/// A sync that stopped: the run, recorded with its reason.
public struct SyncFailure: Error, Sendable {
    public let run: SyncRun
}

extension SyncPage {
    /// Stores the page's records through `importer` (which then skips what names an unknown record, if the page
    /// says so).
    public func store(through importer: Importer) throws -> ImportReport {
        importer.skipInvalid = skipsUnknownReferences
        return try importer.run { emit in
            for (i, record) in records.enumerated() { try emit((label, i + 1, .success(record))) }
        }
    }
}
