import Foundation
import Hummingbird
import HummingbirdCore
import Testing

@testable import SalesServer

/// The OpenAPI document served at /api/v1/openapi.yaml must be a valid OpenAPI 3.1 document
/// (`Tests/support/check_openapi.py`: PyYAML and openapi-spec-validator, which `.ci/run` installs) and
/// describe exactly the routes the router serves — paths, methods and query parameters.
@Suite struct OpenAPITests {
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../support/check_openapi.py").standardized.path

    /// The query parameters each route reads: its handler's query type's. A parameter added to a type fails
    /// `theDocumentMatchesTheRoutes` until the document lists it; a type cannot read a name it does not declare
    /// (`aQueryTypeReadsOnlyWhatItDeclares`).
    static let queries: [String: Set<String>] = [
        "get /health": [], "get /metrics": [], "post /api/v1/calls/{id}/corrections": [],
        "get /api/v1/openapi.yaml": [], "get /api/v1/me": [], "get /api/v1/catalog": NoQuery.parameters,
        "get /api/v1/reports": ReportQuery.parameters,
        "get /api/v1/scorecards": TableQuery.parameters,
        "get /api/v1/plans": PlansQuery.parameters,
        "get /api/v1/deals": DealsQuery.parameters,
        "get /api/v1/activities": ActivitiesQuery.parameters,
        "get /api/v1/calls": ListQuery.parameters,
        "post /api/v1/calls": CallUploadQuery.parameters,
        "get /api/v1/calls/{id}": [],
        "post /api/v1/events": EventBatchQuery.parameters,
        "get /api/v1/forecast": TableQuery.parameters,
        "get /api/v1/pipeline": PipelineQuery.parameters,
        "get /api/v1/recommendations": TableQuery.parameters,
        "get /api/v1/whatif": WhatIfQuery.parameters,
        "get /api/v1/churn": TableQuery.parameters,
        "get /api/v1/leads": TableQuery.parameters,
        "get /api/v1/renewals": TableQuery.parameters,
    ]

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

    /// Reading a parameter the query type does not declare stops the process (in a debug build, as tests run):
    /// the declared list, which the document is checked against, cannot fall behind what is read.
    @Test func aQueryTypeReadsOnlyWhatItDeclares() async {
        await #expect(processExitsWith: .failure) {
            let uri = URI("/api/v1/deals?set=won&secret=1")
            _ = QueryParameters(uri.queryParameters, declared: DealSetQuery.parameters).text("secret")
        }
        let uri = URI("/api/v1/deals?set=lost&rep=")
        let parameters = QueryParameters(uri.queryParameters, declared: DealsQuery.parameters)
        #expect(parameters.text("set") == "lost" && parameters.text("rep") == nil)
    }
}
