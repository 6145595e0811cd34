import Foundation
import SalesCore
import SalesImport
import Testing

@testable import SalesServer

@Suite struct KPIDocsTests {
    /// docs/kpis.md is made from the registry; when a KPI or a measure changes, the file must follow.
    @Test func theKPIReferenceIsInStepWithTheRegistry() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/kpis.md").standardized.path
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        let generated = KPIPath.document(catalog: .standard, system: try KPISystemFile.standard())
        #expect(committed == generated, "docs/kpis.md is out of step: run `saleskpi kpis --docs > docs/kpis.md`")
    }

    /// Every route a KPI's path names is one the server registers, with the page's own query names.
    @Test func pathsNameOnlyRoutesThatExist() throws {
        let system = try KPISystemFile.standard()
        let known = Set(Route.allCases.map(\.rawValue))
        for kpi in KPICatalog.standard.kpis {
            let path = try #require(KPIPath(kpi.id, catalog: .standard, system: system, lang: .en))
            for address in path.routes + path.drillDown + path.shown where address.route.hasPrefix("GET ") {
                for part in address.route.split(separator: ", ") {
                    let route = part.dropFirst(4).split(separator: "?").first.map(String.init) ?? ""
                    #expect(known.contains(route), "\(kpi.id): \(address.route)")
                }
            }
        }
    }
}
