import SalesCore
import SalesStorage

/// What the capability contract suites share: each runs against every kind of database.
typealias DatabaseKind = EventStoreContractTests.Kind

extension UserDirectory {
    /// A rep with this login and name, added.
    func addRep(_ login: String) throws -> UserAccount {
        try add(UserAccount(login: login, name: login.capitalized, role: .rep, passwordHash: "h"))
    }
}

/// A session that ends long after any test runs (2033-05-18).
let farFuture: Timestamp = 2_000_000_000
