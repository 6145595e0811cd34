import Foundation
import SalesCore
import SalesImport
import Testing

@Suite struct DocsTests {
    /// docs/data-format.md describes every canonical column of every file.
    @Test func dataFormatDocumentsEveryColumn() throws {
        let doc = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/data-format.md").standardized.path, encoding: .utf8)
        var missing: [String] = []
        for kind in EventKind.allCases {
            guard let start = doc.range(of: "| \(kind.fileName) |") else {
                missing.append(kind.fileName)
                continue
            }
            let section = doc[start.lowerBound...].prefix(4000)
            for field in CanonicalSchema.fields(kind)
            where !section.contains("| **\(field.name)** |") && !section.contains(field.name) {
                missing.append("\(kind.fileName):\(field.name)")
            }
        }
        #expect(missing.isEmpty, "\(missing)")
    }
}
