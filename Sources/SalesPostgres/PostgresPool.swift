import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SalesStorage

/// Where a PostgreSQL store is: `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public let configuration: PostgresConnection.Configuration
    /// The URL without its password: the only form that reaches messages and logs.
    public let description: String

    public init(url: String) throws {
        guard let c = URLComponents(string: url), ["postgres", "postgresql"].contains(c.scheme ?? ""),
            let host = c.host, !host.isEmpty
        else {
            throw PostgresStoreError("not a PostgreSQL URL (expected postgres://user:password@host:5432/database)")
        }
        let database = String(c.path.drop(while: { $0 == "/" }))
        let mode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        let tls: PostgresConnection.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "require":
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            tls = mode == "prefer" ? .prefer(context) : .require(context)
        default: throw PostgresStoreError("sslmode=\(mode): expected disable, prefer or require")
        }
        configuration = .init(
            host: host, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
            database: database.isEmpty ? nil : database, tls: tls)
        var shown = c
        if shown.password != nil { shown.password = "***" }
        description = shown.string ?? "postgres://\(host)"
    }
}

/// An error from PostgreSQL or about it, with the server's own message (PostgresNIO hides it by default).
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }

    static func wrap(_ error: Error) -> Error {
        guard let e = error as? PSQLError else { return error }
        if let info = e.serverInfo, let message = info[.message] {
            return PostgresStoreError("PostgreSQL: " + message + (info[.detail].map { " (\($0))" } ?? ""))
        }
        return PostgresStoreError("PostgreSQL: \(e.code)" + (e.underlying.map { ": \($0)" } ?? ""))
    }
}

/// A small blocking connection pool: the stores' protocols are synchronous (SQLite's are), so a
/// caller borrows a connection, waits on its futures off the event loops, and gives it back.
/// Connections are opened on demand up to `size`; a broken one is dropped and replaced.
final class PostgresPool: @unchecked Sendable {
    let location: PostgresLocation
    let size: Int
    let logger: Logger
    private let group = MultiThreadedEventLoopGroup.singleton
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0

    init(_ location: PostgresLocation, size: Int = 8) {
        self.location = location
        self.size = max(1, size)
        var logger = Logger(label: "saleskpi.postgres")
        logger.logLevel = .warning
        self.logger = logger
    }

    /// The last holder (a store, or an account store it handed out) is gone: close what is open.
    deinit { close() }

    func connect() throws -> PostgresConnection {
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        do {
            return try PostgresConnection.connect(
                on: group.any(), configuration: location.configuration, id: id, logger: logger
            ).wait()
        } catch {
            throw PostgresStoreError("cannot connect to \(location): \(PostgresStoreError.wrap(error))")
        }
    }

    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let result = try body(connection)
            checkIn(connection)
            return result
        } catch {
            checkIn(connection)
            throw PostgresStoreError.wrap(error)
        }
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            while let c = idle.popLast() {
                if !c.isClosed {
                    condition.unlock()
                    return c
                }
                open -= 1
            }
            if open < size { break }
            condition.wait()
        }
        open += 1
        condition.unlock()
        do { return try connect() } catch {
            condition.withLock {
                open -= 1
                condition.signal()
            }
            throw error
        }
    }

    private func checkIn(_ c: PostgresConnection) {
        condition.withLock {
            if c.isClosed { open -= 1 } else { idle.append(c) }
            condition.signal()
        }
    }

    func close() {
        let all = condition.withLock {
            defer {
                idle = []
                open = 0
            }
            return idle
        }
        for c in all { try? c.close().wait() }
    }
}

extension PostgresConnection {
    /// Runs a statement with positional values (`$1`, `$2`, …) and returns every row. (Not named `run`:
    /// an interpolated string must never be taken for SQL text where a `PostgresQuery` binds its values.)
    @discardableResult
    func execute(_ sql: String, _ values: [SQLValue] = [], logger: Logger) throws -> [PostgresRandomAccessRow] {
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .int(let x): binds.append(x)
            case .real(let x): binds.append(x)
            case .text(let s): binds.append(s)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            case .null: binds.appendNull()
            }
        }
        return try run(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) throws -> [PostgresRandomAccessRow] {
        do {
            return try self.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() }
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }
}

extension PostgresPool {
    /// Runs one statement on a borrowed connection, its values bound by `PostgresQuery`'s interpolation.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> [PostgresColumns] {
        try withConnection { c in try c.run(query, logger: logger).map(PostgresColumns.init) }
    }
}

/// A PostgreSQL row read by column index, as the shared schema decodes rows.
struct PostgresColumns: ColumnReader {
    let row: PostgresRandomAccessRow
    init(_ row: PostgresRandomAccessRow) { self.row = row }
    func int(_ i: Int32) -> Int64 { optInt(i) ?? 0 }
    func optInt(_ i: Int32) -> Int64? { (try? row[Int(i)].decode(Int64?.self)) ?? nil }
    func double(_ i: Int32) -> Double { ((try? row[Int(i)].decode(Double?.self)) ?? nil) ?? 0 }
    func optText(_ i: Int32) -> String? { (try? row[Int(i)].decode(String?.self)) ?? nil }
}

extension PostgresLocation {
    /// Database names are spliced into SQL (they cannot be bound): letters, digits and _ only.
    private static func check(_ name: String) throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.isEmpty else {
            throw PostgresStoreError("a database name of letters, digits and _ expected, not '\(name)'")
        }
    }

    /// Creates a database on this server (connecting to this URL's database to do it); a no-op if it exists.
    /// Returns the URL of the new database.
    public func createDatabase(named name: String, url: String) throws -> String {
        try Self.check(name)
        let pool = PostgresPool(self, size: 1)
        defer { pool.close() }
        try pool.withConnection { c in
            if try c.execute("SELECT 1 FROM pg_database WHERE datname = $1", [.text(name)], logger: pool.logger).isEmpty
            {
                try c.execute("CREATE DATABASE \(name)", logger: pool.logger)
            }
        }
        guard var components = URLComponents(string: url) else { return url }
        // The new database's URL: this one with another path.
        components.path = "/" + name
        return components.string ?? url
    }
}

extension PostgresLocation {
    /// Drops a database on this server, ending its sessions first.
    public func dropDatabase(named name: String) throws {
        try Self.check(name)
        let pool = PostgresPool(self, size: 1)
        defer { pool.close() }
        try pool.withConnection { c in
            try c.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                [.text(name)], logger: pool.logger)
            try c.execute("DROP DATABASE IF EXISTS \(name)", logger: pool.logger)
        }
    }

    /// The names of this server's databases that start with `prefix`: for tools that clean up after themselves.
    public func databaseNames(startingWith prefix: String) throws -> [String] {
        let pool = PostgresPool(self, size: 1)
        defer { pool.close() }
        return try pool.withConnection { c in
            try c.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", [.text(prefix)],
                logger: pool.logger
            ).compactMap { (try? $0[0].decode(String.self)) }
        }
    }
}
