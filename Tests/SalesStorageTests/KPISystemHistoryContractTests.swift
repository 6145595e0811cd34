import SalesCore
import SalesStorage
import Testing

/// Saved KPI systems: the one saved last is in force, whoever saved it.
@Suite struct KPISystemHistoryContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func theLatestVersionIsInForce(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        #expect(try db.kpiSystems.latest() == nil)
        let anna = try db.users.addRep("anna")
        try db.kpiSystems.save(yaml: "v1", userID: anna.id, at: 1)
        #expect(try db.kpiSystems.latest() == "v1")
        try db.kpiSystems.save(yaml: "v2", userID: nil, at: 2)
        #expect(try db.kpiSystems.latest() == "v2")
        // The order of saving decides, not the instant given; the same text may be saved again.
        try db.kpiSystems.save(yaml: "v1", userID: anna.id, at: 0)
        #expect(try db.kpiSystems.latest() == "v1")
    }

    @Test(arguments: DatabaseKind.allCases)
    func anEmptySystemIsRefused(_ kind: DatabaseKind) throws {
        let db = try EventStoreContractTests.makeDatabase(kind)
        try db.kpiSystems.save(yaml: "v1", userID: nil, at: 1)
        #expect(throws: (any Error).self) { try db.kpiSystems.save(yaml: "", userID: nil, at: 2) }
        #expect(try db.kpiSystems.latest() == "v1")
    }
}
