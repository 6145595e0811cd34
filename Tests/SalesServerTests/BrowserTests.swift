import Foundation
import Testing

/// Starts a real `saleskpi serve` over a generated company and runs `Tests/browser/dashboard_test.py`
/// in headless Chromium (Debian's chromium and chromium-driver, PyPI's selenium: `.ci/run` installs
/// them). Screenshots land in `artifacts/browser/`.
@Suite(.serialized) struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static var binary: String { root.appendingPathComponent(".build/debug/saleskpi").path }

    @discardableResult
    static func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func dashboardsInARealBrowser() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
            "install chromium and chromium-driver (bash .ci/run does)")
        let dir = NSTemporaryDirectory() + "saleskpi-browser-\(UUID().uuidString)"
        let db = dir + "/store.sqlite"
        let password = "browser-pass-1"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(
            try Self.run(
                Self.binary, ["generate", "--reps", "20", "--days", "150", "--seed", "5", "--out", dir + "/bundle"]
            ).0 == 0)
        try #require(try Self.run(Self.binary, ["import", "--db", db, dir + "/bundle", "--source", "demo"]).0 == 0)
        for (login, role, rep) in [("admin", "admin", nil), ("head", "head", "R1"), ("rep", "rep", "R3")]
            as [(String, String, String?)]
        {
            let (status, out) = try Self.run(
                Self.binary,
                ["user", "add", "--db", db, "--login", login, "--role", role, "--cost", "4"]
                    + (rep.map { ["--rep", $0] } ?? []),
                env: ["SALESKPI_PASSWORD": password])
            try #require(status == 0, "\(out)")
        }
        let (tokenStatus, tokenOut) = try Self.run(
            Self.binary, ["user", "token", "--db", db, "--login", "admin", "--name", "browser-test"])
        try #require(tokenStatus == 0)
        let token = tokenOut.trimmingCharacters(in: .whitespacesAndNewlines)

        let port = 20_000 + Int(ProcessInfo.processInfo.processIdentifier % 20_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.binary)
        server.arguments = ["serve", "--db", db, "--port", String(port), "--lang", "ru"]
        let serverLog = Pipe()
        server.standardOutput = serverLog
        server.standardError = serverLog
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"  // the script waits for /health
        let artifacts = Self.root.appendingPathComponent("artifacts/browser").path
        let (status, out) = try Self.run(
            "/usr/bin/env", ["python3", Self.root.appendingPathComponent("Tests/browser/dashboard_test.py").path],
            env: [
                "BASE_URL": base, "DB": db, "SALESKPI": Self.binary, "TOKEN": token, "ARTIFACTS": artifacts,
                "PASSWORD": password,
            ])
        print(out)
        #expect(status == 0, "\(out)")

        // SIGTERM: the server shuts down gracefully, live pages included, and exits cleanly.
        server.terminate()
        let deadline = Date().addingTimeInterval(10)
        while server.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.isRunning, "the server did not stop within 10 s of SIGTERM")
        #expect(server.terminationStatus == 0)
    }
}
