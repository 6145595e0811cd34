import Foundation
import SalesPostgres
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `saleskpi serve` processes on one PostgreSQL database stay in step: what is posted to one shows in
/// the other's numbers within a second, also after their LISTEN connections were cut (catch-up by seq).
@Suite(.serialized) struct ScalingTests {
    /// A `serve` process on a free port, stopped when the test ends.
    final class Instance {
        let process = Process()
        let port: Int
        let base: String
        let log: String

        init(url: String) throws {
            port = Int.random(in: 20_000..<60_000)
            base = "http://127.0.0.1:\(port)"
            process.executableURL = CLITests.binary
            process.arguments = [
                "serve", "--postgres-url", url, "--port", "\(port)", "--log-level", "warning", "--lang", "en",
            ]
            process.standardOutput = FileHandle.nullDevice
            // Its log, for when a test fails.
            log = NSTemporaryDirectory() + "saleskpi-serve-\(port).log"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
            try process.run()
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        func waitUntilUp() async throws {
            for _ in 0..<300 {
                if (try? await ScalingTests.get(base + "/health", token: nil)) != nil { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("serve on port \(port) did not start; its log: \(log)")
        }
    }

    static func get(_ url: String, token: String?) async throws -> String {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return String(decoding: data, as: UTF8.self)
    }

    static func post(_ url: String, token: String, json: String) async throws {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        #expect((200..<300).contains(status), "\(String(decoding: data, as: UTF8.self))")
    }

    /// The company's calls in November 2026, as an instance reports them.
    static func calls(_ instance: Instance, token: String) async throws -> Int? {
        let csv = try await get(
            instance.base + "/api/v1/reports?by=company&kpis=calls&period=2026-11&format=csv", token: token)
        return csv.split(separator: "\n").dropFirst().first.flatMap { $0.split(separator: ",").last }.flatMap {
            Int($0)
        }
    }

    /// Polls `instance` until it reports `expected` calls; returns how long that took.
    static func seconds(until instance: Instance, shows expected: Int, token: String) async throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < 10 {
            if try await calls(instance, token: token) == expected { return Date().timeIntervalSince(start) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return .infinity
    }

    static func callsJSON(_ ids: ClosedRange<Int>) -> String {
        ids.map {
            #"{"event": "activity", "external_id": "call-\#($0)", "rep_id": "R1", "type": "call", "at": "#
                + #""2026-11-0\#($0 % 9 + 1)T10:00:00+03:00", "duration_seconds": 60}"#
        }
        .joined(separator: ",")
    }

    @Test func twoInstancesOnOnePostgreSQLStayInStep() async throws {
        let url = try TestPostgres.freshDatabase()
        let added = try CLITests.run(
            ["user", "add", "--postgres-url", url, "--login", "admin", "--role", "admin", "--cost", "4"],
            env: ["SALESKPI_PASSWORD": "secret-password"])
        #expect(added.status == 0, "\(added.err)")
        let issued = try CLITests.run(["user", "token", "--postgres-url", url, "--login", "admin", "--name", "test"])
        let token = issued.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(issued.status == 0 && !token.isEmpty, "\(issued.err)")

        let a = try Instance(url: url)
        let b = try Instance(url: url)
        try await a.waitUntilUp()
        try await b.waitUntilUp()
        #expect(try await Self.calls(b, token: token) == 0)

        // The team, the rep and three calls posted to A appear in B's report.
        try await Self.post(
            a.base + "/api/v1/events?source=crm", token: token,
            json: """
                {"events": [{"event": "team", "external_id": "T", "name": "Sales"},
                            {"event": "rep", "external_id": "R1", "name": "Anna", "role": "ae", "team_id": "T"},
                            \(Self.callsJSON(1...3))]}
                """)
        let first = try await Self.seconds(until: b, shows: 3, token: token)
        #expect(first < 1, "B showed A's calls after \(first) s (logs: \(a.log), \(b.log))")

        // Cut both instances' LISTEN connections: they reconnect and catch up by sequence number.
        let admin = try PostgresEventStore(url: url)
        try admin.executeForTests(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
        try await Self.post(
            b.base + "/api/v1/events?source=crm", token: token, json: #"{"events": [\#(Self.callsJSON(4...5))]}"#)
        let afterCut = try await Self.seconds(until: a, shows: 5, token: token)
        #expect(afterCut < 3, "A caught up with B's calls after \(afterCut) s")
        // Re-sending the same events to the other instance counts nothing twice.
        try await Self.post(
            a.base + "/api/v1/events?source=crm", token: token, json: #"{"events": [\#(Self.callsJSON(1...5))]}"#)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Self.calls(a, token: token) == 5)
        #expect(try await Self.calls(b, token: token) == 5)
    }
}
