import Foundation

/// The parts of Salesforce's REST API a sync reads (../shared/design/crm-formats.md §5c): SOQL through
/// `GET /services/data/vXX.X/query?q=…` (up to 2 000 records a batch, `done` and `nextRecordsUrl`), and
/// `sobjects/Opportunity/describe` to see whether the org keeps several currencies (`CurrencyIsoCode` exists
/// only then). Field names are the API's (`OwnerId`), decoded as lower camel case (`ownerId`); times
/// `2026-01-01T10:00:00.000+0000`, dates `2026-01-01`. Errors come as `[{"message", "errorCode"}]`.
enum SalesforceAPI {
    static let version = "v60.0"

    struct Query<Record: Decodable>: Decodable {
        var totalSize: Int
        var done: Bool
        var nextRecordsUrl: String?
        var records: [Record]
    }
    /// A record of a query ordered by `SystemModstamp, Id`.
    protocol Stamped: Decodable {
        var id: String { get }
        var systemModstamp: String { get }
    }

    struct User: Stamped {
        var id: String
        var name: String?
        var email: String?
        var userRoleId: String?
        var userRole: Role?
        var systemModstamp: String
        struct Role: Decodable { var name: String? }
    }
    struct Stage: Decodable {
        var apiName: String
        var masterLabel: String
        var isClosed: Bool
        var isWon: Bool
    }
    struct Account: Stamped {
        var id: String
        var name: String?
        var systemModstamp: String
    }
    struct Opportunity: Stamped {
        var id: String
        var name: String?
        var accountId: String?
        var ownerId: String
        var stageName: String
        var amount: Double?
        var currencyIsoCode: String?
        var closeDate: String?
        var isClosed: Bool?
        var createdDate: String
        var systemModstamp: String
    }
    struct History: Stamped {
        var id: String
        var opportunityId: String
        var stageName: String?
        var forecastCategory: String?
        var closeDate: String?
        var createdDate: String
        var systemModstamp: String
    }
    struct Task: Stamped {
        var id: String
        var ownerId: String?
        var whatId: String?
        var taskSubtype: String?
        var type: String?
        var callDurationInSeconds: Int?
        var callDisposition: String?
        var isClosed: Bool?
        var activityDate: String?
        var completedDateTime: String?
        var createdDate: String
        var systemModstamp: String
    }
    struct Event: Stamped {
        var id: String
        var ownerId: String?
        var whatId: String?
        var activityDateTime: String?
        var activityDate: String?
        var createdDate: String
        var systemModstamp: String
    }
    struct Describe: Decodable {
        var fields: [Field]
        struct Field: Decodable { var name: String }
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .custom { path in
            let key = path.last?.stringValue ?? ""
            return APIKey(stringValue: key.prefix(1).lowercased() + key.dropFirst())
        }
        return d
    }()
}
