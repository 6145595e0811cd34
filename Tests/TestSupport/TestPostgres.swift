import Foundation
import SalesPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server the tests use: SALESKPI_TEST_POSTGRES_URL, else the one `.ci/run` starts on
/// loopback. Each test gets a database of its own on it, named after the test process, and the
/// databases go when that process ends — or, if it was killed, when the next test process starts.
/// Without that the server keeps every run's databases and, a thousand runs on, takes minutes to
/// recover after a crash (CI once timed out starting it).
public enum TestPostgres {
    public static let url =
        ProcessInfo.processInfo.environment["SALESKPI_TEST_POSTGRES_URL"]
        ?? "postgres://saleskpi:saleskpi@127.0.0.1:5432/saleskpi_test"

    private static let prefix = "t_"
    private static let ownPrefix = prefix + "\(getpid())_"

    public static func freshDatabase() throws -> String {
        _ = swept
        let name = ownPrefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        return try PostgresLocation(url: url).createDatabase(named: name, url: url)
    }

    /// Drops what earlier test processes left (those no longer running) and arranges for this process's
    /// databases to go at its exit. Runs once, on the first database a test asks for; a failure to clean
    /// up is reported, not thrown, as it says nothing about the code under test.
    private static let swept: Void = {
        do {
            try dropDatabases { name in
                guard let pid = processID(in: name) else { return true }  // older runs named no process
                return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
            }
        } catch {
            FileHandle.standardError.write(Data("TestPostgres: could not drop old test databases: \(error)\n".utf8))
        }
        atexit { try? TestPostgres.dropDatabases { $0.hasPrefix(TestPostgres.ownPrefix) } }
    }()

    private static func processID(in name: String) -> pid_t? {
        let parts = name.dropFirst(prefix.count).split(separator: "_")
        return parts.count == 2 ? pid_t(parts[0]) : nil
    }

    private static func dropDatabases(where shouldDrop: (String) -> Bool) throws {
        let server = try PostgresLocation(url: url)
        for name in try server.databaseNames(startingWith: prefix) where shouldDrop(name) {
            try server.dropDatabase(named: name)
        }
    }
}
