import Foundation
import Hummingbird
import Testing

/// The OpenAPI document served at /api/v1/openapi.yaml must be a valid OpenAPI 3.1 document
/// (`Tests/support/check_openapi.py`: PyYAML and openapi-spec-validator, which `.ci/run` installs) and
/// describe exactly the routes the router serves — paths, methods and query parameters.
@Suite struct OpenAPITests {
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../support/check_openapi.py").standardized.path
    static let apiSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/SalesServer/API").standardized

    /// The query parameters each route reads, as the handlers in `Sources/SalesServer/API` do (directly
    /// or through `AppServices.period` — period, from, to — and `AppServices.slice` — rep, team, role).
    /// A new parameter goes here and into the document; `everyParameterTheCodeReadsIsListed` notices one
    /// that went into neither.
    static let queries: [String: Set<String>] = {
        let period: Set<String> = ["period", "from", "to"]
        let slice: Set<String> = ["rep", "team", "role"]
        return [
            "get /health": [], "get /metrics": [],
            "get /api/v1/openapi.yaml": [], "get /api/v1/me": [], "get /api/v1/catalog": [],
            "get /api/v1/reports": period.union(["by", "kpis", "format"]),
            "get /api/v1/scorecards": period.union(slice).union(["format"]),
            "get /api/v1/plans": period,
            "get /api/v1/deals": period.union(slice).union(["set", "format"]),
            "get /api/v1/activities": period.union(slice).union(["type", "limit", "format"]),
            "get /api/v1/calls": period.union(slice).union(["limit", "format"]),
            "post /api/v1/calls": ["call", "file", "source"],
            "get /api/v1/calls/{id}": [],
            "post /api/v1/events": ["source", "skip_invalid"],
            "get /api/v1/forecast": period.union(slice).union(["format"]),
            "get /api/v1/pipeline": period.union(slice).union(["limit", "format"]),
            "get /api/v1/recommendations": period.union(slice).union(["format"]),
            "get /api/v1/whatif": period.union(slice).union(["stage", "conversion", "deal_size", "cycle", "activity"]),
            "get /api/v1/churn": period.union(slice).union(["format"]),
            "get /api/v1/leads": period.union(slice).union(["format"]),
        ]
    }()

    /// Runs the checker on `yaml`; its exit status, stdout and stderr.
    static func check(_ yaml: String, _ arguments: [String] = []) throws -> (status: Int32, out: String, err: String) {
        let base = NSTemporaryDirectory() + "saleskpi-openapi-\(UUID().uuidString)"
        let file = base + ".yaml"
        let outFile = base + ".out"
        let errFile = base + ".err"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { for f in [file, outFile, errFile] { try? FileManager.default.removeItem(atPath: f) } }
        // Output to files, not pipes: nothing to drain while the checker runs.
        FileManager.default.createFile(atPath: outFile, contents: nil)
        FileManager.default.createFile(atPath: errFile, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", checker, file] + arguments
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return (
            p.terminationStatus, try String(contentsOfFile: outFile, encoding: .utf8),
            try String(contentsOfFile: errFile, encoding: .utf8)
        )
    }

    /// What the checker's failure means, for the test's message.
    static func explain(_ r: (status: Int32, out: String, err: String)) -> String {
        switch r.status {
        case 127: "python3 is not installed (CI: bash .ci/run)"
        case 2: "\(r.err)\nCI installs it: python3 -m pip install openapi-spec-validator (bash .ci/run does)"
        default: r.err + r.out
        }
    }

    static func servedDocument(_ f: ServerFixture) async throws -> String {
        try await f.test { client in
            let (status, text) = try await client.get("/api/v1/openapi.yaml", bearer(f.adminToken))
            #expect(status == .ok)
            return text
        }
    }

    @Test func theServedDocumentIsValidOpenAPI31() async throws {
        let f = try ServerFixture()
        let yaml = try await Self.servedDocument(f)
        #expect(yaml.hasPrefix("openapi: 3.1.0"))
        let result = try Self.check(yaml)
        #expect(result.status == 0, "\(Self.explain(result))")
    }

    @Test func theDocumentMatchesTheRoutes() async throws {
        let f = try ServerFixture()
        // Every route under /api/v1, and /health and /metrics, as OpenAPI writes paths: `:id` → `{id}`.
        let served = Set(
            f.router.routes.compactMap { r -> String? in
                let path = "\(r.path)".split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                let normalized = path.hasPrefix("/") ? path : "/" + path
                guard normalized.hasPrefix("/api/v1/") || ["/health", "/metrics"].contains(normalized) else {
                    return nil
                }
                return "\(r.method.rawValue.lowercased()) \(normalized)"
            })
        let yaml = try await Self.servedDocument(f)
        let result = try Self.check(yaml, ["--operations"])
        try #require(result.status == 0, "\(Self.explain(result))")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: [String]]
        let documented = try #require(parsed, "the checker's --operations output is not a JSON object: \(result.out)")

        #expect(served.count > 10)
        // Paths and methods: each route the router has is documented, and nothing else is.
        #expect(Set(documented.keys).subtracting(served).sorted() == [], "documented but not served")
        #expect(served.subtracting(documented.keys).sorted() == [], "served but not documented")
        // Query parameters: what the document lists is what the code reads.
        #expect(Set(Self.queries.keys) == served, "OpenAPITests.queries must list every route")
        for (operation, names) in documented.sorted(by: { $0.key < $1.key }) {
            guard let read = Self.queries[operation] else { continue }
            #expect(Set(names) == read, "\(operation): documented \(names.sorted()), the code reads \(read.sorted())")
        }
    }

    /// Every `request.query("…")` in the API's sources is in `queries`: a parameter added to a handler
    /// fails here until it is documented (and listed for its route).
    @Test func everyParameterTheCodeReadsIsListed() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.apiSources, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        try #require(!files.isEmpty, "no sources in \(Self.apiSources.path)")
        let pattern = try NSRegularExpression(pattern: #"\.query\("([A-Za-z0-9_\-]+)"\)"#)
        var read = Set<String>()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                read.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        // Names built at run time (`number("conversion", …)` reads `request.query(name)`).
        read.formUnion(["conversion", "deal_size", "cycle", "activity"])
        let listed = Self.queries.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        #expect(read.count > 10)
        #expect(read.subtracting(listed).sorted() == [], "read by the code but documented nowhere")
        #expect(listed.subtracting(read).sorted() == [], "listed but read nowhere")
    }
}
