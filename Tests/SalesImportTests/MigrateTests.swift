import Foundation
import SalesCore
import SalesPostgres
import SalesStorage
import TestSupport
import Testing

/// `saleskpi migrate` copies the Maven CRM store into PostgreSQL with nothing lost: its own check passes,
/// the copy answers the report that pandas computed from the CSV files, and a changed row is caught.
@Suite(.serialized) struct MigrateTests {
    @Test func mavenStoreMovesToPostgreSQLWithNothingLost() throws {
        let db = CLITests.tempDB()
        let url = try TestPostgres.freshDatabase()
        #expect(
            try CLITests.run(["import", "--db", db, "--preset", "maven-crm", MavenCRMTests.dataset, "--lang", "en"])
                .status == 0)
        let added = try CLITests.run(
            ["user", "add", "--db", db, "--login", "anna", "--role", "admin", "--cost", "4"],
            env: ["SALESKPI_PASSWORD": "secret-password"])
        #expect(added.status == 0, "\(added.err)")

        let migrated = try CLITests.run(["migrate", "--from", "sqlite:" + db, "--to", url, "--json"])
        #expect(migrated.status == 0, "\(migrated.err)")
        let report = try JSONSerialization.jsonObject(with: Data(migrated.out.utf8)) as? [String: Any]
        #expect(report?["matches"] as? Bool == true)
        #expect((report?["to"] as? String)?.contains("***") == true)  // the password never printed

        // Counted by each database itself, not by the migration.
        let sqlite = try SQLiteEventStore(path: db)
        let postgres = try PostgresEventStore(url: url)
        #expect(try postgres.count() == sqlite.count())
        #expect(try postgres.count()[.deal] == 8_800)
        #expect(try postgres.users.user(login: "anna")?.role == .admin)

        // The copy answers Q2 2017 per rep as pandas computed it from the CSV files (Fixtures/maven/expected.py).
        let r = try CLITests.run([
            "report", "--postgres-url", url, "--from", "2017-04-01", "--to", "2017-07-01", "--by", "rep",
            "--format", "csv", "--kpis", MavenCRMTests.kpis.joined(separator: ","),
        ])
        #expect(r.status == 0, "\(r.err)")
        let got = Set(r.out.split(separator: "\n").dropFirst().map(String.init))
        let url2 = try #require(
            Bundle.module.url(forResource: "expected", withExtension: "csv", subdirectory: "Fixtures/maven"))
        let expected = try String(contentsOf: url2, encoding: .utf8).split(separator: "\n").filter {
            $0.hasPrefix("2017-Q2,")
        }.map { String($0.dropFirst(8)) }
        #expect(expected.count == 30)
        for row in expected { #expect(got.contains(row), "missing or different: \(row)") }

        // New records continue after the copied ids.
        try postgres.append([.team(Team(externalID: "new-team", name: "New"))], source: "crm")
        #expect(
            try postgres.queryForTests(
                "SELECT (id > (SELECT max(id) FROM teams WHERE external_id <> 'new-team'))::text FROM teams "
                    + "WHERE external_id = 'new-team'"
            )
                == [["true"]])

        // The check can fail: one amount changed in the copy is caught,
        // in that table only (teams differ by the team just added).
        try postgres.executeForTests("UPDATE deals SET amount = amount + 1 WHERE id = (SELECT min(id) FROM deals)")
        let checks = try StoreMigration.compare(sqlite, postgres)
        #expect(checks.filter { !$0.matches }.map(\.table) == ["teams", "deals"])
        #expect(checks.first { $0.table == "deals" }.map { $0.sourceRows == $0.targetRows } == true)

        // A database that already holds a store is refused, and left as it was.
        let again = try CLITests.run(["migrate", "--from", db, "--to", url, "--lang", "en"])
        #expect(again.status != 0 && again.err.contains("is not empty"))
        #expect(try postgres.count()[.deal] == 8_800)
    }
}
