import Foundation
import Hummingbird
import Testing

/// The OpenAPI document must describe exactly the routes the router serves under /api/v1.
@Suite struct OpenAPITests {
    @Test func theDocumentMatchesTheRoutes() async throws {
        let f = try ServerFixture()
        let served = Set(f.router.routes.compactMap { r -> String? in
            // Path parameters as OpenAPI writes them: `:id` → `{id}`.
            let path = "\(r.path)".split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            guard path.hasPrefix("/api/v1/") else { return nil }
            return "\(r.method.rawValue.lowercased()) \(path.dropFirst(7))"
        })
        let yaml = try await f.test { client in
            let (_, text) = try await client.get("/api/v1/openapi.yaml", bearer(f.adminToken))
            return text
        }
        // Paths are the two-space-indented keys under `paths:`, methods the four-space keys under them.
        var documented = Set<String>(), path: String?, inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(String(method)) { documented.insert("\(method) \(path)") }
            }
        }
        #expect(!served.isEmpty)
        #expect(documented == served)
        #expect(yaml.hasPrefix("openapi: 3.1.0"))
    }
}
