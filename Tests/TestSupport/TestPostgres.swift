import Foundation
import SalesPostgres

/// The PostgreSQL server the tests use: SALESKPI_TEST_POSTGRES_URL, else the one `.ci/run` starts on
/// loopback. Each test gets a database of its own on it.
public enum TestPostgres {
    public static let url =
        ProcessInfo.processInfo.environment["SALESKPI_TEST_POSTGRES_URL"]
        ?? "postgres://saleskpi:saleskpi@127.0.0.1:5432/saleskpi_test"

    public static func freshDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        return try PostgresLocation(url: url).createDatabase(named: name, url: url)
    }
}
